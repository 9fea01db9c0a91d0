/// A dotted path into a decoded JSON record: `summary`, `meta.topic`, `turns.0.text`.
/// Mappings and presets name their fields this way so that one reader serves every shape.
public struct FieldPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let components: [String]

    public init(_ dotted: String) {
        components = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    public init(stringLiteral value: String) { self.init(value) }

    public var description: String { components.joined(separator: ".") }

    /// The value at this path, or nil when any step is missing or of the wrong kind.
    public func lookup(in record: Any) -> Any? {
        var current: Any = record
        for key in components {
            if let object = current as? [String: Any], let next = object[key] {
                current = next
            } else if let array = current as? [Any], let index = Int(key), array.indices.contains(index) {
                current = array[index]
            } else {
                return nil
            }
        }
        return current is NSNullLike ? nil : current
    }
}

/// Lets `lookup` treat JSON `null` as absent without importing Foundation's `NSNull` here.
protocol NSNullLike {}

/// Renders a scalar JSON value as text: strings as they are, numbers without a spurious `.0`.
func scalarText(_ value: Any?) -> String? {
    switch value {
    case let s as String: return s
    case let i as Int: return String(i)
    case let d as Double: return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
    case let b as Bool: return b ? "true" : "false"
    default: return nil
    }
}
