/// A JSON (RFC 8259) parser over UTF-8 bytes, producing `JSONValue` with object keys in
/// document order.
///
/// Written here because Foundation's `JSONSerialization` on Linux builds bridged
/// `NSDictionary`/`NSString` trees and was the largest cost of reading records and stored rows
/// (bench/dialogsum). It also reports the byte offset of an error, which lets rejections say
/// `file:line:column`.
public enum JSONParser {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        /// 0-based byte offset into the input where parsing stopped.
        public let offset: Int
        public let message: String
        public var description: String { "\(message) at byte \(offset + 1)" }

        public init(offset: Int, message: String) {
            self.offset = offset
            self.message = message
        }
    }

    /// Nesting deeper than this is rejected instead of risking the stack on hostile input.
    static let maximumDepth = 512

    public static func parse(_ text: String) throws -> JSONValue {
        var copy = text
        copy.makeContiguousUTF8()
        return try copy.utf8.withContiguousStorageIfAvailable { try parse($0) }!
    }

    public static func parse(_ bytes: ArraySlice<UInt8>) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { try parse($0) }
    }

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        var cursor = Cursor(bytes: bytes)
        cursor.skipWhitespace()
        let value = try cursor.value(depth: 0)
        cursor.skipWhitespace()
        guard cursor.atEnd else { throw cursor.failure("unexpected text after the JSON value") }
        return value
    }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var atEnd: Bool { index >= bytes.count }
        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        func failure(_ message: String) -> Failure { Failure(offset: index, message: message) }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws {
            guard current == byte else { throw failure("expected \(what)") }
            index += 1
        }

        mutating func value(depth: Int) throws -> JSONValue {
            guard depth < JSONParser.maximumDepth else { throw failure("nesting deeper than \(JSONParser.maximumDepth) levels") }
            guard let byte = current else { throw failure("unexpected end of input") }
            switch byte {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw failure("unexpected character '\(Character(Unicode.Scalar(byte)))'")
            }
        }

        mutating func literal(_ word: StaticString, _ value: JSONValue) throws -> JSONValue {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count,
                  (0..<count).allSatisfy({ bytes[index + $0] == word.utf8Start[$0] }) else {
                throw failure("unexpected character '\(Character(Unicode.Scalar(current!)))'")
            }
            index += count
            return value
        }

        mutating func object(depth: Int) throws -> JSONValue {
            index += 1
            var pairs: [(String, JSONValue)] = []
            skipWhitespace()
            if current == UInt8(ascii: "}") { index += 1; return .object(pairs) }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw failure("expected a quoted key") }
                let key = try string()
                skipWhitespace()
                try expect(UInt8(ascii: ":"), "':' after a key")
                skipWhitespace()
                pairs.append((key, try value(depth: depth + 1)))
                skipWhitespace()
                if current == UInt8(ascii: ",") { index += 1; continue }
                try expect(UInt8(ascii: "}"), "',' or '}' in an object")
                return .object(pairs)
            }
        }

        mutating func array(depth: Int) throws -> JSONValue {
            index += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if current == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                skipWhitespace()
                items.append(try value(depth: depth + 1))
                skipWhitespace()
                if current == UInt8(ascii: ",") { index += 1; continue }
                try expect(UInt8(ascii: "]"), "',' or ']' in an array")
                return .array(items)
            }
        }

        /// A string; the common case without escapes is decoded straight from the input bytes.
        mutating func string() throws -> String {
            index += 1
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    defer { index += 1 }
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                }
                if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
                if byte < 0x20 { throw failure("unescaped control character in a string") }
                index += 1
            }
            throw failure("unterminated string")
        }

        mutating func escapedString(from start: Int) throws -> String {
            var out = Array(bytes[start..<index])
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    index += 1
                    guard let escape = current else { throw failure("unterminated string") }
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"): out.append(contentsOf: String(try unicodeEscape()).utf8)
                    default:
                        index -= 1
                        throw failure("invalid escape '\\\(Character(Unicode.Scalar(escape)))'")
                    }
                default:
                    if byte < 0x20 { throw failure("unescaped control character in a string") }
                    out.append(byte)
                    index += 1
                }
            }
            throw failure("unterminated string")
        }

        /// `\uXXXX`, joining a surrogate pair; a lone surrogate becomes U+FFFD, as browsers do.
        mutating func unicodeEscape() throws -> Character {
            let high = try hex4()
            if (0xD800..<0xDC00).contains(high), index + 1 < bytes.count,
               bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                let save = index
                index += 2
                let low = try hex4()
                if (0xDC00..<0xE000).contains(low) {
                    return Character(Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!)
                }
                index = save
            }
            return Character(Unicode.Scalar(high) ?? "\u{FFFD}")
        }

        mutating func hex4() throws -> UInt32 {
            guard index + 4 <= bytes.count else { throw failure("truncated \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw failure("invalid hex digit in \\u escape")
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        /// Checks the RFC 8259 number grammar, then converts: integers that fit become `.int`,
        /// everything else `.double`.
        mutating func number() throws -> JSONValue {
            let start = index
            var isInteger = true
            if current == UInt8(ascii: "-") { index += 1 }
            guard let first = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { throw failure("expected a digit") }
            if first == UInt8(ascii: "0") { index += 1 } else { skipDigits() }
            if current == UInt8(ascii: ".") {
                isInteger = false
                index += 1
                guard skipDigits() > 0 else { throw failure("expected a digit after '.'") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                isInteger = false
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard skipDigits() > 0 else { throw failure("expected a digit in the exponent") }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            if isInteger, let integer = Int(text) { return .int(integer) }
            if isInteger, let unsigned = UInt64(text) { return .unsigned(unsigned) }
            return .double(Double(text)!)
        }

        @discardableResult
        mutating func skipDigits() -> Int {
            let start = index
            while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
            return index - start
        }
    }
}

extension JSONValue {
    /// The value for `key` in an object (first match, in document order), else nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var arrayValue: [JSONValue]? { if case .array(let items) = self { items } else { nil } }

    /// Numbers of either kind as a `Double`.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .unsigned(let u): Double(u)
        case .double(let d): d
        default: nil
        }
    }

    public var intValue: Int? { if case .int(let i) = self { i } else { nil } }
    public var objectPairs: [(String, JSONValue)]? { if case .object(let pairs) = self { pairs } else { nil } }
}
