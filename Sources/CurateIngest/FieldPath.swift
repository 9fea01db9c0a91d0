import CurateCore

/// A dotted path into a decoded JSON record: `summary`, `meta.topic`, `turns.0.text`.
/// Mappings and presets name their fields this way so that one reader serves every shape.
public struct FieldPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let components: [String]

    public init(_ dotted: String) {
        components = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// The record itself, for mappings whose fields sit at the top level (a CSV row's entity
    /// columns).
    public static let record = FieldPath(components: [])

    private init(components: [String]) { self.components = components }

    public var description: String { components.joined(separator: ".") }

    /// The value at this path, or nil when any step is missing or of the wrong kind. JSON
    /// `null` counts as missing.
    public func lookup(in record: JSONValue) -> JSONValue? {
        var current = record
        for key in components {
            if let next = current[key] {
                current = next
            } else if let array = current.arrayValue, let index = Int(key), array.indices.contains(index) {
                current = array[index]
            } else {
                return nil
            }
        }
        if case .null = current { return nil }
        return current
    }
}

extension FieldPath {
    /// Every value the path reaches, where a `*` step fans out over an array's items:
    /// `frames.*.slots.*` is every slot of every frame (SGD). Missing steps reach nothing.
    public func values(in record: JSONValue) -> [JSONValue] {
        var current = [record]
        for key in components {
            current = current.flatMap { value -> [JSONValue] in
                if key == "*" { return value.arrayValue ?? [] }
                return FieldPath(components: [key]).lookup(in: value).map { [$0] } ?? []
            }
        }
        return current
    }
}

/// Renders a scalar JSON value as text: strings as they are, numbers without a spurious `.0`.
func scalarText(_ value: JSONValue?) -> String? {
    switch value {
    case .string(let s): return s
    case .int(let i): return String(i)
    case .unsigned(let u): return String(u)
    case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
    case .bool(let b): return b ? "true" : "false"
    default: return nil
    }
}

/// A text field's value: a scalar as text, or a list of text segments joined by line breaks
/// (an export that splits a message into parts); nil when missing or of another kind.
func textValue(_ value: JSONValue?) -> String? {
    if let text = scalarText(value) { return text }
    guard let items = value?.arrayValue, !items.isEmpty else { return nil }
    let parts = items.compactMap(scalarText)
    return parts.count == items.count ? parts.joined(separator: "\n") : nil
}

/// Every text a label field gives: one for a scalar, one per item of a list of scalars
/// (several summaries are several references).
func textValues(_ value: JSONValue?) -> [String] {
    if let text = scalarText(value) { return [text] }
    return value?.arrayValue?.compactMap(scalarText) ?? []
}

/// Why a field that is there is not text, for messages: " (it holds an object)".
func notText(_ value: JSONValue?) -> String {
    switch value {
    case .object?: return " (it holds an object, not text)"
    case .array(let items)? where !items.isEmpty: return " (it holds a list with items that are not text)"
    default: return ""
    }
}
