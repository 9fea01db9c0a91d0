import CurateCore

/// Splits a dialogue stored as one string ("#Person1#: Hi\n#Person2#: Hello") into turns.
///
/// Scans characters by hand rather than with `Regex`, which is slow on Linux and this runs
/// once per line of every transcript.
public enum TranscriptStyle: String, Sendable, CaseIterable {
    /// DialogSum: `#Person1#: text`.
    case hashTags = "hash-tags"
    /// SAMSum and most chat exports: `Name: text`, the name being the text before the first
    /// colon, at most 40 characters and not itself containing a line break.
    case nameColon = "name-colon"

    /// The speaker label at the start of `line` and the text after it, or nil when the line
    /// does not start a new turn (it continues the previous one).
    func split(_ line: Substring) -> (speaker: String, text: Substring)? {
        switch self {
        case .hashTags:
            guard line.first == "#", let close = line.dropFirst().firstIndex(of: "#") else { return nil }
            let afterTag = line.index(after: close)
            guard afterTag < line.endIndex, line[afterTag] == ":" else { return nil }
            return (String(line[...close]), line[line.index(after: afterTag)...])
        case .nameColon:
            guard let colon = line.prefix(41).firstIndex(of: ":") else { return nil }
            let name = line[..<colon].trimmingSpaces()
            guard !name.isEmpty else { return nil }
            return (String(name), line[line.index(after: colon)...])
        }
    }
}

struct TranscriptParser {
    let style: TranscriptStyle

    /// Turns in order. Lines that do not start with a speaker label are appended to the
    /// previous turn; text before the first label is an error the caller reports.
    func turns(from transcript: String, roleFor: (String) -> Role) -> (turns: [Turn], orphanText: String?) {
        var turns: [Turn] = []
        var orphan: String?
        for rawLine in Self.lines(transcript) {
            let line = rawLine.trimmingSpaces()
            if line.isEmpty { continue }
            if let (speaker, text) = style.split(line) {
                turns.append(Turn(speaker: speaker, role: roleFor(speaker), text: String(text.trimmingSpaces())))
            } else if !turns.isEmpty {
                turns[turns.count - 1].text += "\n" + line
            } else {
                orphan = orphan.map { $0 + "\n" + line } ?? String(line)
            }
        }
        return (turns, orphan)
    }

    /// Lines split at `\n` bytes (a preceding `\r` is trimmed with the other spaces). Splitting
    /// on UTF-8 bytes avoids grapheme breaking, which is slow and treats `\r\n` as one Character.
    static func lines(_ text: String) -> [Substring] {
        var lines: [Substring] = []
        var start = text.utf8.startIndex
        var index = start
        while index < text.utf8.endIndex {
            if text.utf8[index] == 0x0A || text.utf8[index] == 0x0D {
                if start < index { lines.append(text[start..<index]) }
                start = text.utf8.index(after: index)
            }
            index = text.utf8.index(after: index)
        }
        if start < text.utf8.endIndex { lines.append(text[start...]) }
        return lines
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return s
    }
}
