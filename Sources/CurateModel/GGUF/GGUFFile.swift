/// Where a tensor lives in a GGUF file and how it is shaped.
public struct GGUFTensorInfo: Equatable, Sendable {
    public let name: String
    /// ggml order: `shape[0]` is the contiguous (fastest-varying) dimension. A PyTorch weight of
    /// shape [out, in] is stored as shape [in, out], i.e. row-major `out` rows of `in` floats.
    public let shape: [Int]
    public let type: GGMLType
    /// Byte offset from the start of the data section.
    public let offset: Int

    public var elementCount: Int { shape.reduce(1, *) }
}

/// A parsed GGUF (v2/v3) file: metadata, tensor table, and the memory-mapped tensor data.
///
/// Layout (gguf.md): magic "GGUF", u32 version, u64 tensor count, u64 KV count, the KVs, the
/// tensor infos, padding to `general.alignment` (default 32), then the data section. Every
/// offset and size is checked against the file size while parsing, so `tensorBytes` and
/// `floats` never read outside the map.
public final class GGUFFile: @unchecked Sendable {
    public static let defaultAlignment = 32

    public let version: UInt32
    public let metadata: [String: GGUFValue]
    /// Metadata keys in file order, so a dump or a rewrite keeps the original order.
    public let metadataKeys: [String]
    public let tensors: [GGUFTensorInfo]
    public let alignment: Int
    /// Offset of the data section from the start of the file.
    public let dataOffset: Int
    public var path: String { file.path }
    private let tensorIndex: [String: Int]
    private let file: MappedFile
    private let storage: UnsafeRawBufferPointer

    /// Maps and parses the file at `path`.
    public convenience init(path: String) throws {
        try self.init(file: MappedFile(path: path))
    }

    private init(file: MappedFile) throws {
        self.file = file
        let bytes = file.bytes
        storage = bytes
        var c = ByteCursor(bytes)
        try c.require(4, "magic")
        let magic = Array(bytes[0 ..< 4])
        guard magic == Array("GGUF".utf8) else { throw GGUFError.badMagic(found: magic) }
        c.offset = 4
        version = try c.read(UInt32.self, "version")
        guard version == 2 || version == 3 else { throw GGUFError.unsupportedVersion(version) }
        // A tensor info takes at least 8 (name) + 4 (dims) + 4 (type) + 8 (offset) bytes; a KV
        // at least 8 (key) + 4 (type) + 1 (value).
        let tensorCount = try c.count(unit: 24, "tensor count")
        let kvCount = try c.count(unit: 13, "metadata count")

        var metadata: [String: GGUFValue] = [:]
        var keys: [String] = []
        for i in 0 ..< kvCount {
            let key = try c.string("metadata key #\(i)")
            let raw = try c.read(UInt32.self, "type of '\(key)'")
            guard let type = GGUFValueType(rawValue: raw) else { throw GGUFError.invalidValueType(key: key, type: raw) }
            metadata[key] = try c.value(type, key: key)
            keys.append(key)
        }
        self.metadata = metadata
        metadataKeys = keys

        alignment = metadata["general.alignment"]?.int ?? GGUFFile.defaultAlignment
        guard alignment > 0, alignment & (alignment - 1) == 0 else {
            throw GGUFError.invalidTensor(name: "general.alignment", reason: "alignment \(alignment) is not a power of two")
        }

        var infos: [GGUFTensorInfo] = []
        infos.reserveCapacity(tensorCount)
        for i in 0 ..< tensorCount {
            let name = try c.string("name of tensor #\(i)")
            let nDims = try c.read(UInt32.self, "dimension count of '\(name)'")
            guard nDims >= 1, nDims <= 4 else {
                throw GGUFError.invalidTensor(name: name, reason: "\(nDims) dimensions (ggml allows 1...4)")
            }
            var shape: [Int] = []
            var elements = 1
            for d in 0 ..< Int(nDims) {
                let n = try c.read(UInt64.self, "dimension \(d) of '\(name)'")
                let (product, overflow) = elements.multipliedReportingOverflow(by: Int(clamping: n))
                guard n > 0, n < 1 << 40, !overflow else {
                    throw GGUFError.invalidTensor(name: name, reason: "dimension \(d) is \(n)")
                }
                shape.append(Int(n))
                elements = product
            }
            let type = GGMLType(rawValue: try c.read(UInt32.self, "type of '\(name)'"))
            let offset = try c.read(UInt64.self, "offset of '\(name)'")
            guard offset < 1 << 48 else { throw GGUFError.invalidTensor(name: name, reason: "offset \(offset)") }
            infos.append(GGUFTensorInfo(name: name, shape: shape, type: type, offset: Int(offset)))
        }
        tensors = infos

        dataOffset = (c.offset + alignment - 1) / alignment * alignment
        var index: [String: Int] = [:]
        for (i, t) in infos.enumerated() {
            guard index.updateValue(i, forKey: t.name) == nil else {
                throw GGUFError.invalidTensor(name: t.name, reason: "appears twice")
            }
            // Sizes of unsupported types are unknown here; they are rejected when read instead.
            guard let (block, _) = t.type.blockLayout else { continue }
            guard t.shape[0] % block == 0 else {
                throw GGUFError.invalidTensor(name: t.name, reason: "row length \(t.shape[0]) is not a multiple of the \(t.type) block size \(block)")
            }
            guard let size = t.type.byteCount(elements: t.elementCount) else {
                throw GGUFError.invalidTensor(name: t.name, reason: "\(t.elementCount) elements is too large")
            }
            let start = dataOffset + t.offset
            guard start <= bytes.count, size <= bytes.count - start else {
                throw GGUFError.truncated(what: "data of tensor '\(t.name)'", offset: start, needed: size, fileSize: bytes.count)
            }
        }
        tensorIndex = index
    }

    public func tensor(named name: String) throws -> GGUFTensorInfo {
        guard let i = tensorIndex[name] else { throw GGUFError.missingTensor(name) }
        return tensors[i]
    }

    public func hasTensor(named name: String) -> Bool { tensorIndex[name] != nil }

    /// The raw (still quantized) bytes of a tensor; valid while this object is alive.
    public func tensorBytes(_ info: GGUFTensorInfo) throws -> UnsafeRawBufferPointer {
        guard let size = info.type.byteCount(elements: info.elementCount) else {
            throw GGUFError.unsupportedTensorType(name: info.name, type: info.type)
        }
        let start = dataOffset + info.offset
        return UnsafeRawBufferPointer(rebasing: storage[start ..< start + size])
    }

    /// The tensor dequantized to fp32, in storage order (`shape[0]` fastest).
    public func floats(_ name: String) throws -> [Float] {
        let info = try tensor(named: name)
        let raw = try tensorBytes(info)
        return [Float](unsafeUninitializedCapacity: info.elementCount) { out, count in
            Dequantize.run(info.type, raw, into: UnsafeMutableBufferPointer(rebasing: out[0 ..< info.elementCount]))
            count = info.elementCount
        }
    }

    // MARK: Typed metadata access, with errors naming the key.

    public func value(_ key: String) throws -> GGUFValue {
        guard let v = metadata[key] else { throw GGUFError.missingKey(key) }
        return v
    }

    public func int(_ key: String) throws -> Int {
        guard let v = try value(key).int else { throw GGUFError.wrongValueType(key: key, expected: "an integer") }
        return v
    }

    public func double(_ key: String) throws -> Double {
        guard let v = try value(key).double else { throw GGUFError.wrongValueType(key: key, expected: "a number") }
        return v
    }

    public func string(_ key: String) throws -> String {
        guard let v = try value(key).string else { throw GGUFError.wrongValueType(key: key, expected: "a string") }
        return v
    }

    public func strings(_ key: String) throws -> [String] {
        guard let a = try value(key).array else { throw GGUFError.wrongValueType(key: key, expected: "an array") }
        return try a.map { v in
            guard let s = v.string else { throw GGUFError.wrongValueType(key: key, expected: "an array of strings") }
            return s
        }
    }

    public func ints(_ key: String) throws -> [Int] {
        guard let a = try value(key).array else { throw GGUFError.wrongValueType(key: key, expected: "an array") }
        return try a.map { v in
            guard let i = v.int else { throw GGUFError.wrongValueType(key: key, expected: "an array of integers") }
            return i
        }
    }
}
