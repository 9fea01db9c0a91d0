/// A little-endian reader over untrusted bytes. Every read is checked against the end of the
/// buffer first, so a truncated or corrupt file becomes `GGUFError.truncated` naming what was
/// being read and where, never an out-of-bounds load.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    func require(_ count: Int, _ what: @autoclosure () -> String) throws {
        guard count >= 0, count <= remaining else {
            throw GGUFError.truncated(what: what(), offset: offset, needed: count, fileSize: bytes.count)
        }
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws -> T {
        try require(MemoryLayout<T>.size, what())
        let v = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: v)
    }

    /// A u64 length or count that must fit in the rest of the file at `unit` bytes per item.
    mutating func count(unit: Int, _ what: @autoclosure () -> String) throws -> Int {
        let start = offset
        let n = try read(UInt64.self, what())
        guard n <= UInt64(remaining / max(unit, 1)) else {
            throw GGUFError.truncated(what: what(), offset: start, needed: Int(clamping: n), fileSize: bytes.count)
        }
        return Int(n)
    }

    /// A gguf_string: u64 byte length then the bytes (not NUL-terminated). Invalid UTF-8 is
    /// repaired rather than rejected, as llama.cpp does not validate token texts either.
    mutating func string(_ what: @autoclosure () -> String) throws -> String {
        let n = try count(unit: 1, what())
        let s = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset ..< offset + n]), as: UTF8.self)
        offset += n
        return s
    }

    mutating func value(_ type: GGUFValueType, key: String) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try read(UInt8.self, key))
        case .int8: return .int8(try read(Int8.self, key))
        case .uint16: return .uint16(try read(UInt16.self, key))
        case .int16: return .int16(try read(Int16.self, key))
        case .uint32: return .uint32(try read(UInt32.self, key))
        case .int32: return .int32(try read(Int32.self, key))
        case .uint64: return .uint64(try read(UInt64.self, key))
        case .int64: return .int64(try read(Int64.self, key))
        case .float32: return .float32(Float(bitPattern: try read(UInt32.self, key)))
        case .float64: return .float64(Double(bitPattern: try read(UInt64.self, key)))
        case .bool: return .bool(try read(UInt8.self, key) != 0)
        case .string: return .string(try string(key))
        case .array:
            let raw = try read(UInt32.self, key)
            guard let elementType = GGUFValueType(rawValue: raw) else {
                throw GGUFError.invalidValueType(key: key, type: raw)
            }
            // Strings take at least their 8-byte length; nested arrays at least 12 bytes.
            let n = try count(unit: elementType.fixedSize ?? 8, "array '\(key)'")
            var items: [GGUFValue] = []
            items.reserveCapacity(n)
            for _ in 0 ..< n { items.append(try value(elementType, key: key)) }
            return .array(elementType, items)
        }
    }
}
