/// Byte-stable JSON text for shards and manifests.
///
/// Foundation's encoders are not guaranteed to order keys or escape characters the same way
/// across platforms and releases, and shards must be byte-identical for the same inputs. This
/// writer fixes both: keys in the order given, only the escapes RFC 8259 requires.
public enum JSONValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    /// Seeds are `UInt64`; written as unsigned so a large seed reads back as itself.
    case unsigned(UInt64)
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
        var out: [UInt8] = []
        write(to: &out, indent: nil, depth: 0)
        return String(decoding: out, as: UTF8.self)
    }

    /// Indented JSON, two spaces per level, for files people read (manifests).
    public func prettyText() -> String {
        var out: [UInt8] = []
        write(to: &out, indent: "  ", depth: 0)
        out.append(0x0A)
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes UTF-8 bytes straight into one buffer: building a `String` scalar by scalar was
    /// the slowest part of storing a conversation.
    private func write(to out: inout [UInt8], indent: String?, depth: Int) {
        switch self {
        case .string(let s): JSONValue.appendQuoted(s, to: &out)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .unsigned(let u): out.append(contentsOf: String(u).utf8)
        case .double(let d): out.append(contentsOf: JSONValue.format(d).utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .raw(let text): out.append(contentsOf: text.utf8)
        case .array(let items):
            writeContainer(open: 0x5B, close: 0x5D, count: items.count, to: &out, indent: indent, depth: depth) { i, out in
                items[i].write(to: &out, indent: indent, depth: depth + 1)
            }
        case .object(let pairs):
            writeContainer(open: 0x7B, close: 0x7D, count: pairs.count, to: &out, indent: indent, depth: depth) { i, out in
                JSONValue.appendQuoted(pairs[i].0, to: &out)
                out.append(0x3A)
                if indent != nil { out.append(0x20) }
                pairs[i].1.write(to: &out, indent: indent, depth: depth + 1)
            }
        }
    }

    private func writeContainer(open: UInt8, close: UInt8, count: Int, to out: inout [UInt8], indent: String?,
                                depth: Int, element: (Int, inout [UInt8]) -> Void) {
        out.append(open)
        guard count > 0 else { out.append(close); return }
        for i in 0..<count {
            if i > 0 { out.append(0x2C) }
            if let indent { out.append(0x0A); for _ in 0...depth { out.append(contentsOf: indent.utf8) } }
            element(i, &out)
        }
        if let indent { out.append(0x0A); for _ in 0..<depth { out.append(contentsOf: indent.utf8) } }
        out.append(close)
    }

    /// Shortest round-trip formatting; integral values keep a `.0` so readers see a float.
    static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) + ".0" }
        return "\(d)"
    }

    /// Quotes `s`, escaping only what RFC 8259 requires; all other bytes (UTF-8 included) are
    /// copied as they are.
    public static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        var text = s
        text.makeContiguousUTF8()
        text.utf8.withContiguousStorageIfAvailable { bytes in
            // Runs of bytes that need no escape are copied in one call.
            var runStart = 0
            for (i, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                runStart = i + 1
                switch byte {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: out.append(contentsOf: [0x5C, 0x72])
                case 0x09: out.append(contentsOf: [0x5C, 0x74])
                case 0x08: out.append(contentsOf: [0x5C, 0x62])
                case 0x0C: out.append(contentsOf: [0x5C, 0x66])
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        out.append(0x22)
    }
}
