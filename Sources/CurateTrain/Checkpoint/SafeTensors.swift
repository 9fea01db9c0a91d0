import CurateCore
import CurateModel
import Foundation

/// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length,
/// a JSON header mapping each tensor name to its dtype, shape and byte range, then the raw
/// little-endian data. curate writes F32; it reads F32, F16 and BF16 (what PEFT saves).
public enum SafeTensors {
    public struct Tensor: Sendable {
        public var name: String
        public var shape: [Int]
        public var values: [Float]
        public init(name: String, shape: [Int], values: [Float]) {
            precondition(shape.reduce(1, *) == values.count, "\(name): shape \(shape) does not hold \(values.count) values")
            (self.name, self.shape, self.values) = (name, shape, values)
        }
    }

    /// Writes `tensors` (in the order given) atomically to `url`.
    public static func write(_ tensors: [Tensor], metadata: [(String, String)] = [], to url: URL) throws {
        var entries: [(String, JSONValue)] = []
        if !metadata.isEmpty { entries.append(("__metadata__", .object(metadata.map { ($0.0, .string($0.1)) }))) }
        var offset = 0
        for t in tensors {
            let bytes = t.values.count * 4
            entries.append((t.name, .object([("dtype", .string("F32")), ("shape", .array(t.shape.map { .int($0) })),
                                             ("data_offsets", .array([.int(offset), .int(offset + bytes)]))])))
            offset += bytes
        }
        var header = Array(JSONValue.object(entries).text().utf8)
        while header.count % 8 != 0 { header.append(0x20) }  // pad with spaces so the data is 8-byte aligned
        var data = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        for t in tensors { t.values.withUnsafeBytes { data.append(contentsOf: $0) } }
        try AtomicWrite.file(data, to: url)
    }

    /// Every tensor of the file, by name, as fp32.
    public static func read(_ url: URL) throws -> [String: Tensor] {
        let file = try MappedFile(path: url.path)
        let bytes = file.bytes
        func fail(_ why: String) -> Error { TrainError.badInput("\(url.path): not a safetensors file (\(why)) — was it written by curate or PEFT?") }
        guard bytes.count >= 8 else { throw fail("\(bytes.count) bytes") }
        let headerLength = Int(bytes.loadUnaligned(as: UInt64.self).littleEndian)
        guard headerLength > 0, 8 + headerLength <= bytes.count else { throw fail("header of \(headerLength) bytes") }
        let header = try JSONParser.parse(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[8 ..< 8 + headerLength]), as: UTF8.self))
        let data = UnsafeRawBufferPointer(rebasing: bytes[(8 + headerLength)...])
        var out: [String: Tensor] = [:]
        for (name, info) in header.objectPairs ?? [] where name != "__metadata__" {
            guard let dtype = info["dtype"]?.stringValue, let shape = info["shape"]?.arrayValue?.compactMap(\.intValue),
                  let range = info["data_offsets"]?.arrayValue?.compactMap(\.intValue), range.count == 2 else { throw fail("entry \(name)") }
            let count = shape.reduce(1, *)
            let width = ["F32": 4, "F16": 2, "BF16": 2][dtype]
            guard let width else { throw fail("\(name) has dtype \(dtype); curate reads F32, F16 and BF16") }
            guard range[0] >= 0, range[1] == range[0] + count * width, range[1] <= data.count else { throw fail("\(name)'s byte range") }
            let raw = UnsafeRawBufferPointer(rebasing: data[range[0] ..< range[1]])
            let values: [Float] = (0 ..< count).map { i in
                switch dtype {
                case "F32": return Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                case "F16": return Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))))
                default: return Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16)
                }
            }
            out[name] = Tensor(name: name, shape: shape, values: values)
        }
        return out
    }
}
