import CurateCore
import Foundation

/// Finds where JSON values begin and end in a byte stream without decoding them (tracking
/// nesting and strings only), so the readers stream: each value's bytes are decoded by
/// `JSONParser` on their own, and a malformed one costs one reject, not the file.
enum JSONScan {
    /// The bytes of one value; nil when the file ends first. Inside an array (`inList`) a value
    /// runs to the next top-level `,` or `]` whatever it holds (trailing whitespace trimmed),
    /// so a broken element still ends at the comma after it. Standing alone, a value ends
    /// where its outermost brackets or its string close, or a bare word ends. With `keep`
    /// false the bytes are skipped, not collected (an empty array comes back), so a
    /// gigabyte-long value costs no memory.
    static func value(_ stream: inout ByteStream, inList: Bool, keep: Bool = true) throws -> [UInt8]? {
        var bytes: [UInt8] = []
        var count = 0
        var depth = 0
        var inString = false
        func take(_ byte: UInt8) {
            count += 1
            if keep { bytes.append(byte) }
        }
        while let byte = try stream.peek() {
            if inString {
                take(byte)
                _ = try stream.next()
                if byte == UInt8(ascii: "\\") {
                    if let escaped = try stream.next() { take(escaped) }
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if !inList && depth == 0 { return bytes }
                }
                continue
            }
            let endsBareWord = !inList && count > 0 && (isWhitespace(byte) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "}"))
            if depth == 0, byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || endsBareWord {
                while let last = bytes.last, isWhitespace(last) { bytes.removeLast() }
                return bytes
            }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: "\""): inString = true
            default: break
            }
            take(byte)
            _ = try stream.next()
            if !inList && depth <= 0 && (byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")) { return bytes }
        }
        return inList || count == 0 || depth > 0 || inString ? nil : bytes
    }

    static func skipWhitespace(_ stream: inout ByteStream) throws {
        while let byte = try stream.peek(), isWhitespace(byte) { _ = try stream.next() }
    }

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    /// Reads an object's next `"key":`, leaving the stream at the value; nil at the object's
    /// end (or where it stops being an object).
    static func nextKey(_ stream: inout ByteStream) throws -> String? {
        try skipWhitespace(&stream)
        if try stream.peek() == UInt8(ascii: ",") { _ = try stream.next(); try skipWhitespace(&stream) }
        guard try stream.peek() == UInt8(ascii: "\""), let bytes = try value(&stream, inList: false),
              let key = (try? JSONParser.parse(bytes[...]))?.stringValue else { return nil }
        try skipWhitespace(&stream)
        guard try stream.next() == UInt8(ascii: ":") else { return nil }
        try skipWhitespace(&stream)
        return key
    }
}

/// How a JSON file lays out its records, from a scan of its structure (never a parse of the
/// whole file, never more than one value's bytes in memory):
/// - `lines`: JSON Lines — the first value ends on its first line (or that line is broken);
/// - `array`: one array, records are its elements;
/// - `values`: pretty-printed values one after another (`jq` without `-c`), each a record;
/// - `object`: the file is exactly one pretty-printed object. `lists` are its top-level keys
///   whose values are lists of objects: one of them may hold the records (`{"data": […]}`).
enum JSONLayout: Equatable {
    case lines
    case array
    case values
    case object(keys: [String], lists: [String])

    static func of(_ url: URL) throws -> JSONLayout {
        var stream = try ByteStream(url: url)
        defer { stream.close() }
        try stream.skipByteOrderMark()
        try JSONScan.skipWhitespace(&stream)
        switch try stream.peek() {
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "{"): break
        default: return .lines
        }
        let firstLine = stream.line
        guard try JSONScan.value(&stream, inList: false, keep: false) != nil, stream.line > firstLine else { return .lines }
        try JSONScan.skipWhitespace(&stream)
        guard try stream.peek() == nil else { return .values }
        return try outline(url)
    }

    /// The top-level keys of a file that is one object, and which of them hold lists of objects.
    private static func outline(_ url: URL) throws -> JSONLayout {
        var stream = try ByteStream(url: url)
        defer { stream.close() }
        try stream.skipByteOrderMark()
        try JSONScan.skipWhitespace(&stream)
        _ = try stream.next()
        var keys: [String] = []
        var lists: [String] = []
        while let key = try JSONScan.nextKey(&stream) {
            keys.append(key)
            if try stream.peek() == UInt8(ascii: "[") {
                let head = try stream.lookahead(1 << 12).dropFirst()
                if head.first(where: { !JSONScan.isWhitespace($0) }) == UInt8(ascii: "{") { lists.append(key) }
            }
            guard try JSONScan.value(&stream, inList: false, keep: false) != nil else { break }
        }
        return .object(keys: keys, lists: lists)
    }
}
