import Foundation

/// Builds a GGUF v3 file in memory. Used by tests to make tiny models hermetically and by tools
/// that rewrite metadata; tensors are given as fp32 and quantized with `Quantize`.
public struct GGUFWriter {
    public private(set) var metadata: [(key: String, value: GGUFValue)] = []
    private var tensors: [(name: String, shape: [Int], type: GGMLType, bytes: [UInt8])] = []

    public init() {}

    public var alignment: Int {
        metadata.last(where: { $0.key == "general.alignment" })?.value.int ?? GGUFFile.defaultAlignment
    }

    public mutating func set(_ key: String, _ value: GGUFValue) {
        metadata.removeAll { $0.key == key }
        metadata.append((key, value))
    }

    /// Adds a tensor of ggml `shape` (`shape[0]` fastest) from fp32 `values`, encoded as `type`.
    public mutating func addTensor(_ name: String, shape: [Int], type: GGMLType, values: [Float]) throws {
        guard shape.reduce(1, *) == values.count else {
            throw GGUFError.invalidTensor(name: name, reason: "shape \(shape) does not hold \(values.count) values")
        }
        tensors.append((name, shape, type, try Quantize.encode(values, as: type)))
    }

    /// The whole file.
    public func data() -> Data {
        var out: [UInt8] = Array("GGUF".utf8)
        Quantize.append(UInt32(3), to: &out)
        Quantize.append(UInt64(tensors.count), to: &out)
        Quantize.append(UInt64(metadata.count), to: &out)
        for (key, value) in metadata {
            appendString(key, &out)
            Quantize.append(value.type.rawValue, to: &out)
            appendValue(value, &out)
        }
        let align = alignment
        var offset = 0
        for t in tensors {
            appendString(t.name, &out)
            Quantize.append(UInt32(t.shape.count), to: &out)
            for d in t.shape { Quantize.append(UInt64(d), to: &out) }
            Quantize.append(t.type.rawValue, to: &out)
            Quantize.append(UInt64(offset), to: &out)
            offset += padded(t.bytes.count, align)
        }
        out += [UInt8](repeating: 0, count: padded(out.count, align) - out.count)
        for t in tensors {
            out += t.bytes
            out += [UInt8](repeating: 0, count: padded(t.bytes.count, align) - t.bytes.count)
        }
        return Data(out)
    }

    public func write(to path: String) throws {
        try data().write(to: URL(fileURLWithPath: path))
    }

    private func padded(_ n: Int, _ align: Int) -> Int { (n + align - 1) / align * align }

    private func appendString(_ s: String, _ out: inout [UInt8]) {
        Quantize.append(UInt64(s.utf8.count), to: &out)
        out += s.utf8
    }

    private func appendValue(_ v: GGUFValue, _ out: inout [UInt8]) {
        switch v {
        case let .uint8(x): out.append(x)
        case let .int8(x): out.append(UInt8(bitPattern: x))
        case let .uint16(x): Quantize.append(x, to: &out)
        case let .int16(x): Quantize.append(x, to: &out)
        case let .uint32(x): Quantize.append(x, to: &out)
        case let .int32(x): Quantize.append(x, to: &out)
        case let .uint64(x): Quantize.append(x, to: &out)
        case let .int64(x): Quantize.append(x, to: &out)
        case let .float32(x): Quantize.append(x.bitPattern, to: &out)
        case let .float64(x): Quantize.append(x.bitPattern, to: &out)
        case let .bool(x): out.append(x ? 1 : 0)
        case let .string(s): appendString(s, &out)
        case let .array(type, items):
            Quantize.append(type.rawValue, to: &out)
            Quantize.append(UInt64(items.count), to: &out)
            for item in items { appendValue(item, &out) }
        }
    }
}
