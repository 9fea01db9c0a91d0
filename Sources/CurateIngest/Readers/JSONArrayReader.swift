import CurateCore
import Foundation

/// Reads a file holding one JSON array (SAMSum, SGD, ShareGPT dumps) one element at a time,
/// so a multi-gigabyte array never sits in memory whole.
///
/// The scanner only finds where each element ends (tracking nesting and strings); the element
/// itself is decoded by `JSONParser`. A malformed element is rejected and the next one read,
/// because the scanner resynchronizes at the next top-level comma.
struct JSONArrayReader: RecordReader {
    let url: URL
    let site: DiagnosticSite

    func read(_ emit: (ReaderEvent) throws -> Void) throws {
        var stream = try ByteStream(url: url)
        defer { stream.close() }
        try stream.skipByteOrderMark()
        try skipWhitespace(&stream)
        guard try stream.next() == UInt8(ascii: "[") else {
            return try emit(.rejected(site.diagnostic(line: stream.line, column: stream.column - 1, reason: "malformed-json",
                                                      message: "the file does not start with a JSON array '['",
                                                      hint: "use a preset for JSON Lines or check that this is the right file")))
        }
        while true {
            try skipWhitespace(&stream)
            if try stream.peek() == UInt8(ascii: "]") { return try expectEnd(&stream, emit) }
            let (line, column) = (stream.line, stream.column)
            guard let bytes = try elementBytes(&stream) else {
                return try emit(.rejected(site.diagnostic(line: line, column: column, reason: "truncated",
                                                          message: "the file ends inside the array element that starts here",
                                                          hint: "the file is truncated — fetch it again or drop this last element")))
            }
            do {
                let value = try JSONRecordDecoder.decode(bytes[...], line: line, column: column, site: site)
                try emit(.record(SourceRecord(value: value, locator: "line \(line)", excerpt: excerpt(bytes))))
            } catch let diagnostic as Diagnostic {
                try emit(.rejected(diagnostic))
            }
            if try stream.next() == UInt8(ascii: "]") { return try expectEnd(&stream, emit) }
        }
    }

    /// Bytes up to (not including) the next `,` or `]` outside strings and nested values,
    /// with trailing whitespace trimmed; nil when the file ends first.
    private func elementBytes(_ stream: inout ByteStream) throws -> [UInt8]? {
        var bytes: [UInt8] = []
        var depth = 0
        var inString = false
        while let byte = try stream.peek() {
            if inString {
                bytes.append(try stream.next()!)
                if byte == UInt8(ascii: "\\"), let escaped = try stream.next() { bytes.append(escaped) }
                if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            if depth == 0, byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") {
                while let last = bytes.last, Self.isWhitespace(last) { bytes.removeLast() }
                return bytes
            }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: "\""): inString = true
            default: break
            }
            bytes.append(try stream.next()!)
        }
        return nil
    }

    private func expectEnd(_ stream: inout ByteStream, _ emit: (ReaderEvent) throws -> Void) throws {
        try skipWhitespace(&stream)
        guard try stream.peek() != nil else { return }
        try emit(.rejected(site.diagnostic(line: stream.line, column: stream.column, reason: "malformed-json",
                                           message: "text after the closing ']' of the array",
                                           hint: "remove it; the file must hold exactly one JSON array")))
    }

    private func skipWhitespace(_ stream: inout ByteStream) throws {
        while let byte = try stream.peek(), Self.isWhitespace(byte) { _ = try stream.next() }
    }

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
}
