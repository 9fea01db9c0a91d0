import CurateCore
import Foundation

/// A file read one byte at a time through a 1 MiB buffer, counting lines and columns as it
/// goes, so hand-written readers (CSV, JSON arrays) stream with bounded memory and can say
/// `line:column` for every problem. Lines and columns count from 1; a column counts bytes.
struct ByteStream {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var index = 0
    private var exhausted = false
    private(set) var line = 1
    private(set) var column = 1
    static let chunkSize = 1 << 20

    init(url: URL) throws {
        handle = try FileHandle(forReadingFrom: url)
    }

    func close() { try? handle.close() }

    /// The next byte without consuming it, or nil at end of file.
    mutating func peek() throws -> UInt8? {
        if index < buffer.count { return buffer[index] }
        guard try refill() else { return nil }
        return buffer[index]
    }

    /// Consumes and returns the next byte, or nil at end of file.
    mutating func next() throws -> UInt8? {
        guard let byte = try peek() else { return nil }
        index += 1
        if byte == 0x0A {
            line += 1
            column = 1
        } else {
            column += 1
        }
        return byte
    }

    /// Skips a UTF-8 byte order mark if the file starts with one (Excel writes them).
    mutating func skipByteOrderMark() throws {
        guard try peek() == 0xEF else { return }
        while buffer.count - index < 3, try refill() {}
        if buffer[index...].starts(with: [0xEF, 0xBB, 0xBF]) { index += 3 }
    }

    /// The next `count` bytes (fewer at end of file) without consuming them; for sniffing.
    mutating func lookahead(_ count: Int) throws -> ArraySlice<UInt8> {
        while buffer.count - index < count, try refill() {}
        return buffer[index..<min(buffer.count, index + count)]
    }

    /// Reads another chunk; returns false at end of file. Unread bytes are kept.
    private mutating func refill() throws -> Bool {
        guard !exhausted else { return false }
        let chunk = try handle.read(upToCount: Self.chunkSize) ?? Data()
        if chunk.isEmpty {
            exhausted = true
            return false
        }
        ReadMeter.current?.add(chunk.count)
        buffer.removeSubrange(0..<index)
        index = 0
        buffer.append(contentsOf: chunk)
        return true
    }
}
