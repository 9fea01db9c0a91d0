/// Byte-stable JSON text for shards and manifests.
///
/// Foundation's encoders are not guaranteed to order keys or escape characters the same way
/// across platforms and releases, and shards must be byte-identical for the same inputs. This
/// writer fixes both: keys in the order given, only the escapes RFC 8259 requires.
public enum JSONValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    case array([JSONValue])
    /// Ordered: keys are written in this order.
    case object([(String, JSONValue)])
    /// JSON text already serialized by this writer (a stored spec), embedded verbatim so its
    /// key order survives the round trip through the store.
    case raw(String)

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.text() == b.text() }

    /// Compact JSON on one line.
    public func text() -> String {
        var out = ""
        write(to: &out, indent: nil, depth: 0)
        return out
    }

    /// Indented JSON, two spaces per level, for files people read (manifests).
    public func prettyText() -> String {
        var out = ""
        write(to: &out, indent: "  ", depth: 0)
        out.append("\n")
        return out
    }

    private func write(to out: inout String, indent: String?, depth: Int) {
        switch self {
        case .string(let s): JSONValue.appendQuoted(s, to: &out)
        case .int(let i): out.append(String(i))
        case .double(let d): out.append(JSONValue.format(d))
        case .bool(let b): out.append(b ? "true" : "false")
        case .null: out.append("null")
        case .raw(let text): out.append(text)
        case .array(let items):
            writeContainer(open: "[", close: "]", count: items.count, to: &out, indent: indent, depth: depth) { i, out in
                items[i].write(to: &out, indent: indent, depth: depth + 1)
            }
        case .object(let pairs):
            writeContainer(open: "{", close: "}", count: pairs.count, to: &out, indent: indent, depth: depth) { i, out in
                JSONValue.appendQuoted(pairs[i].0, to: &out)
                out.append(indent == nil ? ":" : ": ")
                pairs[i].1.write(to: &out, indent: indent, depth: depth + 1)
            }
        }
    }

    private func writeContainer(open: String, close: String, count: Int, to out: inout String, indent: String?,
                                depth: Int, element: (Int, inout String) -> Void) {
        out.append(open)
        guard count > 0 else { out.append(close); return }
        for i in 0..<count {
            if i > 0 { out.append(",") }
            if let indent { out.append("\n" + String(repeating: indent, count: depth + 1)) }
            element(i, &out)
        }
        if let indent { out.append("\n" + String(repeating: indent, count: depth)) }
        out.append(close)
    }

    /// Shortest round-trip formatting; integral values keep a `.0` so readers see a float.
    static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) + ".0" }
        return "\(d)"
    }

    public static func appendQuoted(_ s: String, to out: inout String) {
        out.append("\"")
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case "\u{08}": out.append("\\b")
            case "\u{0C}": out.append("\\f")
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append("\"")
    }
}
