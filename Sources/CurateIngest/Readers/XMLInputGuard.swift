import Foundation

/// Feeds libxml2 a file through a scan that caps what one start tag may hold: at most
/// `maximumAttributes` attributes, names of `maximumNameBytes` and values of
/// `maximumValueBytes`. libxml2 2.9 checks each attribute against every earlier one of the
/// element (an element with 100,000 attributes takes minutes); past a cap the rest of the tag
/// is left out (line breaks kept, so line numbers stay right) and the element is noted by its
/// number in document order, so the reader rejects the record it belongs to (`xml-limit`)
/// and goes on.
///
/// The scan knows only what is needed to find start tags: comments, CDATA sections,
/// processing instructions, declarations (a DOCTYPE's internal subset) and quoted values.
final class XMLInputGuard {
    static let maximumAttributes = 1_000
    static let maximumNameBytes = 1_024
    static let maximumValueBytes = 1 << 20

    private let handle: FileHandle
    /// Start tags, numbered from 1 in document order, that went past a cap, with which.
    private(set) var overLimit: [Int: String] = [:]
    private var startTags = 0

    private enum State {
        case text
        case tagOpen
        case bang([UInt8])
        case comment, cdata, instruction, declaration(depth: Int, quote: UInt8?)
        case endTag
        case tagName
        case inTag
        case attributeName
        case beforeValue
        case value(quote: UInt8)
        /// Past a cap: everything up to the tag's end is left out.
        case dropping(quote: UInt8?, last: UInt8)
    }

    private var state = State.text
    private var recent: (UInt8, UInt8) = (0, 0)
    private var attributes = 0
    private var length = 0
    private var name: [UInt8] = []

    init(url: URL) throws {
        handle = try FileHandle(forReadingFrom: url)
    }

    deinit { try? handle.close() }

    /// Fills `buffer` with up to `count` bytes of the guarded file; 0 at its end, -1 on error.
    /// One byte is held back from each read: closing a cut-short empty element hands on a
    /// `/` that was left out in an earlier read. A read whose bytes were all left out reads
    /// on, since handing libxml2 nothing would tell it the file has ended.
    func read(into buffer: UnsafeMutablePointer<CChar>, count: Int) -> Int32 {
        guard count > 1 else { return 0 }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.isEmpty {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: count - 1) ?? Data()
            } catch {
                return -1
            }
            if chunk.isEmpty { return 0 }
            for byte in chunk { feed(byte, &out) }
        }
        out.withUnsafeBufferPointer { bytes in
            buffer.withMemoryRebound(to: UInt8.self, capacity: count) { $0.update(from: bytes.baseAddress!, count: bytes.count) }
        }
        return Int32(out.count)
    }

    private func feed(_ byte: UInt8, _ out: inout [UInt8]) {
        if let passed = pass(byte) { out += passed }
        recent = (recent.1, byte)
    }

    /// The bytes to hand on for `byte`: itself, nothing (left out), or more.
    private func pass(_ byte: UInt8) -> [UInt8]? {
        switch state {
        case .text:
            if byte == UInt8(ascii: "<") { state = .tagOpen }
        case .tagOpen:
            switch byte {
            case UInt8(ascii: "!"): state = .bang([])
            case UInt8(ascii: "?"): state = .instruction
            case UInt8(ascii: "/"): state = .endTag
            default:
                startTags += 1
                (attributes, length) = (0, 1)
                state = .tagName
            }
        case .bang(var prefix):
            prefix.append(byte)
            if prefix == Array("--".utf8) {
                state = .comment
            } else if prefix == Array("[CDATA[".utf8) {
                state = .cdata
            } else if Array("[CDATA[".utf8).starts(with: prefix) || prefix == [UInt8(ascii: "-")] {
                state = .bang(prefix)
            } else {
                state = .declaration(depth: byte == UInt8(ascii: "[") ? 1 : 0, quote: nil)
                if byte == UInt8(ascii: ">") { state = .text }
            }
        case .comment:
            if byte == UInt8(ascii: ">") && recent == (UInt8(ascii: "-"), UInt8(ascii: "-")) { state = .text }
        case .cdata:
            if byte == UInt8(ascii: ">") && recent == (UInt8(ascii: "]"), UInt8(ascii: "]")) { state = .text }
        case .instruction:
            if byte == UInt8(ascii: ">") && recent.1 == UInt8(ascii: "?") { state = .text }
        case .declaration(let depth, let quote):
            if let quote {
                if byte == quote { state = .declaration(depth: depth, quote: nil) }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                state = .declaration(depth: depth, quote: byte)
            } else if byte == UInt8(ascii: "[") {
                state = .declaration(depth: depth + 1, quote: nil)
            } else if byte == UInt8(ascii: "]") {
                state = .declaration(depth: max(0, depth - 1), quote: nil)
            } else if byte == UInt8(ascii: ">") && depth == 0 {
                state = .text
            }
        case .endTag:
            if byte == UInt8(ascii: ">") { state = .text }
        case .tagName:
            if Self.isSpace(byte) { state = .inTag } else if byte == UInt8(ascii: ">") { state = .text } else if byte == UInt8(ascii: "/") {
                state = .inTag
            } else {
                length += 1
                if length > Self.maximumNameBytes { note("an element name longer than \(Self.maximumNameBytes) bytes") }
            }
        case .inTag:
            if byte == UInt8(ascii: ">") {
                state = .text
            } else if byte == UInt8(ascii: "=") {
                state = .beforeValue
            } else if !Self.isSpace(byte) && byte != UInt8(ascii: "/") {
                attributes += 1
                if attributes > Self.maximumAttributes { return drop(byte, "more than \(Self.maximumAttributes) attributes") }
                (name, state) = ([byte], .attributeName)
                return nil
            }
        case .attributeName:
            // The name is held back until it ends: one cut short would leave `name` without
            // `=value`, which libxml2 would refuse as malformed.
            if byte == UInt8(ascii: "=") || Self.isSpace(byte) || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") {
                state = byte == UInt8(ascii: "=") ? .beforeValue : byte == UInt8(ascii: ">") ? .text : .inTag
                defer { name = [] }
                return name + [byte]
            }
            name.append(byte)
            if name.count > Self.maximumNameBytes {
                name = []
                return drop(byte, "an attribute name longer than \(Self.maximumNameBytes) bytes")
            }
            return nil
        case .beforeValue:
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                (length, state) = (0, .value(quote: byte))
            } else if !Self.isSpace(byte) {
                state = byte == UInt8(ascii: ">") ? .text : .inTag
            }
        case .value(let quote):
            if byte == quote {
                state = .inTag
            } else {
                length += 1
                if length > Self.maximumValueBytes {
                    // Close the value that was handed on, then leave out the rest of it.
                    note("an attribute value longer than \(Self.maximumValueBytes) bytes")
                    state = .dropping(quote: quote, last: 0)
                    return [quote]
                }
            }
        case .dropping(let quote, let last):
            if let quote {
                if byte == quote { state = .dropping(quote: nil, last: byte) }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                state = .dropping(quote: byte, last: byte)
            } else if byte == UInt8(ascii: ">") {
                // An empty element keeps its '/': `<x … />` must still close itself.
                state = .text
                return last == UInt8(ascii: "/") ? Array("/>".utf8) : [byte]
            } else if !Self.isSpace(byte) {
                state = .dropping(quote: nil, last: byte)
            }
            return byte == 0x0A ? [byte] : nil
        }
        return [byte]
    }

    private func drop(_ byte: UInt8, _ what: String) -> [UInt8]? {
        note(what)
        state = .dropping(quote: nil, last: byte)
        return byte == 0x0A ? [byte] : nil
    }

    private func note(_ what: String) {
        if overLimit[startTags] == nil { overLimit[startTags] = what }
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
}
