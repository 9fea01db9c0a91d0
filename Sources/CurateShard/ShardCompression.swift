import CurateCore
import CZlib
import CZstd

/// How shard data files are compressed. Both are read as they are by Hugging Face `datasets`
/// (which picks the codec from the file extension) and by `curate eval`.
///
/// Output stays deterministic: the gzip header carries no file name and a zero timestamp, and
/// both codecs run at a fixed level, so the same records give the same bytes and sha256.
public enum ShardCompression: String, Sendable, CaseIterable {
    case none, gzip, zstd

    /// The data file's extension after `.jsonl`.
    public var fileExtension: String {
        switch self {
        case .none: ""
        case .gzip: ".gz"
        case .zstd: ".zst"
        }
    }

    /// The codec a file name implies (`….jsonl.gz` → gzip).
    public static func of(file: String) -> ShardCompression {
        file.hasSuffix(".gz") ? .gzip : file.hasSuffix(".zst") ? .zstd : .none
    }

    public func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        switch self {
        case .none: return bytes
        case .gzip: return try Self.gzip(bytes)
        case .zstd: return try Self.zstdCompress(bytes)
        }
    }

    public func decompress(_ bytes: [UInt8], file: String) throws -> [UInt8] {
        switch self {
        case .none: return bytes
        case .gzip: return try Self.gunzip(bytes, file: file)
        case .zstd: return try Self.zstdDecompress(bytes, file: file)
        }
    }

    // MARK: gzip (zlib with a gzip wrapper: windowBits 15 + 16)

    private static func gzip(_ input: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CurateError("gzip: zlib could not start a compressor — check that zlib1g is installed")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 32)
        var input = input
        let status = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw CurateError("gzip: compression failed (zlib status \(status))") }
        return Array(output.prefix(Int(stream.total_out)))
    }

    private static func gunzip(_ input: [UInt8], file: String) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CurateError("gzip: zlib could not start a decompressor")
        }
        defer { inflateEnd(&stream) }
        var input = input
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var status: Int32 = Z_OK
        input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    output.append(contentsOf: target.prefix(target.count - Int(stream.avail_out)))
                }
            } while status == Z_OK
        }
        guard status == Z_STREAM_END else {
            throw CurateError("\(file): not a complete gzip file (zlib status \(status)) — rewrite the shards with `curate shard`")
        }
        return output
    }

    // MARK: zstd (one frame with its content size)

    private static func zstdCompress(_ input: [UInt8]) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: ZSTD_compressBound(input.count))
        let size = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { ZSTD_compress($0.baseAddress, $0.count, source.baseAddress, source.count, 3) }
        }
        guard ZSTD_isError(size) == 0 else { throw CurateError("zstd: compression failed (\(String(cString: ZSTD_getErrorName(size))))") }
        return Array(output.prefix(size))
    }

    private static func zstdDecompress(_ input: [UInt8], file: String) throws -> [UInt8] {
        let declared = input.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        // ZSTD_CONTENTSIZE_UNKNOWN / _ERROR are the two largest values.
        guard declared < UInt64.max - 1 else {
            throw CurateError("\(file): not a zstd frame with a known size — rewrite the shards with `curate shard`")
        }
        var output = [UInt8](repeating: 0, count: Int(declared))
        let size = input.withUnsafeBytes { source in
            output.withUnsafeMutableBytes { ZSTD_decompress($0.baseAddress, $0.count, source.baseAddress, source.count) }
        }
        guard ZSTD_isError(size) == 0 else {
            throw CurateError("\(file): zstd could not decompress it (\(String(cString: ZSTD_getErrorName(size)))) — rewrite the shards")
        }
        return Array(output.prefix(size))
    }
}
