import CurateCore
import Foundation

/// Streams a file line by line with bounded memory (one chunk plus one line), numbering lines
/// from 1 as editors do. `\n` ends a line; a trailing `\r` is dropped; the last line need not
/// end with a newline (DialogSum's 2021 train file does not).
struct LineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private(set) var lineNumber = 0
    static let chunkSize = 1 << 20

    init(url: URL) throws {
        handle = try FileHandle(forReadingFrom: url)
    }

    /// The next line's bytes, or nil at end of file.
    mutating func nextLine() throws -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                var line = buffer[start..<newline]
                start = newline + 1
                if line.last == 0x0D { line = line.dropLast() }
                lineNumber += 1
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                var line = buffer[start...]
                start = buffer.count
                if line.last == 0x0D { line = line.dropLast() }
                lineNumber += 1
                return line
            }
            let chunk = try handle.read(upToCount: Self.chunkSize) ?? Data()
            if chunk.isEmpty { atEnd = true }
            ReadMeter.current?.add(chunk.count)
            buffer.removeSubrange(0..<start)
            start = 0
            buffer.append(contentsOf: chunk)
        }
    }

    func close() { try? handle.close() }
}
