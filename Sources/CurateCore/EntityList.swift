import Foundation

/// The NER target format: `label: text; label: text`, or `none` for a dialogue without
/// entities. Templates render entity targets with `format` and evaluation reads predictions
/// back with `parse`, which must give back exactly what was formatted (round trip).
///
/// `;` and `\` inside a label or text are escaped with a backslash, so any span survives.
public enum EntityList {
    public struct Entry: Hashable, Sendable {
        public var label: String
        public var text: String

        public init(label: String, text: String) {
            self.label = label
            self.text = text
        }
    }

    /// The marker for "no entities", so an empty answer is explicit rather than blank.
    public static let none = "none"

    public static func format(_ entries: [Entry]) -> String {
        guard !entries.isEmpty else { return none }
        return entries.map { escape($0.label) + ": " + escape($0.text) }.joined(separator: "; ")
    }

    /// The entries in `text`, or nil when it is not in the format (a parse failure, which
    /// evaluation reports separately from wrong entities).
    public static func parse(_ text: String) -> [Entry]? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.lowercased() == none { return [] }
        var entries: [Entry] = []
        for item in split(trimmed) {
            guard let colon = item.range(of: ": ") else { return nil }
            let label = unescape(String(item[..<colon.lowerBound]))
            let value = unescape(String(item[colon.upperBound...]))
            guard !label.isEmpty, !value.isEmpty else { return nil }
            entries.append(Entry(label: label, text: value))
        }
        return entries.isEmpty ? nil : entries
    }

    private static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
    }

    private static func unescape(_ s: String) -> String {
        var out = ""
        var escaped = false
        for c in s {
            if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }

    /// Splits at unescaped `; ` separators, keeping escapes for `unescape`.
    private static func split(_ s: String) -> [Substring] {
        var items: [Substring] = []
        var start = s.startIndex
        var i = s.startIndex
        var escaped = false
        while i < s.endIndex {
            let c = s[i]
            if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == ";" {
                items.append(s[start..<i])
                start = s.index(after: i)
                if start < s.endIndex, s[start] == " " { start = s.index(after: start) }
                i = start
                continue
            }
            i = s.index(after: i)
        }
        items.append(s[start...])
        return items.filter { !$0.isEmpty }
    }
}
