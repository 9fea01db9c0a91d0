import CurateCore
import Foundation

/// Reads a file holding one JSON array (SAMSum, SGD, ShareGPT dumps) one element at a time,
/// so a multi-gigabyte array never sits in memory whole — or the array that an object wraps
/// its records in (`{"version": 2, "data": […]}`), named by `wrapper`.
///
/// `JSONScan` only finds where each element ends; the element itself is decoded by
/// `JSONParser`. A malformed element is rejected and the next one read, because the scan
/// resynchronizes at the next top-level comma.
struct JSONArrayReader: RecordReader {
    let url: URL
    let site: DiagnosticSite
    /// The top-level key of the list to read when the file is an object; nil when the file
    /// is the array itself.
    var wrapper: String? = nil

    func read(_ emit: (ReaderEvent) throws -> Void) throws {
        var stream = try ByteStream(url: url)
        defer { stream.close() }
        try stream.skipByteOrderMark()
        try JSONScan.skipWhitespace(&stream)
        guard let wrapper else {
            guard try stream.next() == UInt8(ascii: "[") else {
                return try emit(.rejected(site.diagnostic(line: stream.line, column: stream.column - 1, reason: "malformed-json",
                                                          message: "the file does not start with a JSON array '['",
                                                          hint: "use a preset for JSON Lines or check that this is the right file")))
            }
            guard try elements(&stream, emit) else { return }
            return try expectEnd(&stream, emit)
        }
        _ = try stream.next()
        while let key = try JSONScan.nextKey(&stream) {
            if key == wrapper, try stream.peek() == UInt8(ascii: "[") {
                _ = try stream.next()
                guard try elements(&stream, emit) else { return }
            } else if try JSONScan.value(&stream, inList: false, keep: false) == nil {
                break
            }
        }
    }

    /// Reads elements up to and including the closing `]`; false when the file ends first.
    private func elements(_ stream: inout ByteStream, _ emit: (ReaderEvent) throws -> Void) throws -> Bool {
        var previousLine = 0
        while true {
            try JSONScan.skipWhitespace(&stream)
            if try stream.peek() == UInt8(ascii: "]") {
                _ = try stream.next()
                return true
            }
            let (line, column) = (stream.line, stream.column)
            guard let bytes = try JSONScan.value(&stream, inList: true) else {
                try emit(.rejected(site.diagnostic(line: line, column: column, reason: "truncated",
                                                   message: "the file ends inside the array element that starts here",
                                                   hint: "the file is truncated — fetch it again or drop this last element")))
                return false
            }
            try JSONRecordDecoder.emit(bytes, line: line, column: column, previousLine: &previousLine, site: site, emit)
            if try stream.next() == UInt8(ascii: "]") { return true }
        }
    }

    private func expectEnd(_ stream: inout ByteStream, _ emit: (ReaderEvent) throws -> Void) throws {
        try JSONScan.skipWhitespace(&stream)
        guard try stream.peek() != nil else { return }
        try emit(.rejected(site.diagnostic(line: stream.line, column: stream.column, reason: "malformed-json",
                                           message: "text after the closing ']' of the array",
                                           hint: "remove it; the file must hold exactly one JSON array")))
    }
}

/// Reads JSON values that follow one another with only whitespace between them — pretty-
/// printed records (`jq .` output), or a file that is one pretty-printed object — each value
/// one record, streaming.
struct JSONValuesReader: RecordReader {
    let url: URL
    let site: DiagnosticSite

    func read(_ emit: (ReaderEvent) throws -> Void) throws {
        var stream = try ByteStream(url: url)
        defer { stream.close() }
        try stream.skipByteOrderMark()
        var previousLine = 0
        while true {
            try JSONScan.skipWhitespace(&stream)
            guard try stream.peek() != nil else { return }
            let (line, column) = (stream.line, stream.column)
            guard var bytes = try JSONScan.value(&stream, inList: false) else {
                return try emit(.rejected(site.diagnostic(line: line, column: column, reason: "truncated",
                                                          message: "the file ends inside the JSON value that starts here",
                                                          hint: "the file is truncated — fetch it again or drop this last record")))
            }
            // A stray ',' or ']' between values: one reject, then on.
            if bytes.isEmpty, let stray = try stream.next() { bytes = [stray] }
            try JSONRecordDecoder.emit(bytes, line: line, column: column, previousLine: &previousLine, site: site, emit)
        }
    }
}
