import CurateCore
import Foundation

/// Reads JSON Lines, one record per line, streaming (a UTF-8 byte order mark before the first
/// line is skipped). A line that is not valid JSON becomes a `Diagnostic` naming the line and
/// what to do; the rest go on.
struct JSONLinesReader: RecordReader {
    let url: URL
    let site: DiagnosticSite

    func read(_ emit: (ReaderEvent) throws -> Void) throws {
        var lines = try LineReader(url: url)
        defer { lines.close() }
        while var bytes = try lines.nextLine() {
            // A byte order mark (Windows tools write one) is not part of the first record.
            var column = 1
            if lines.lineNumber == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { (bytes, column) = (bytes.dropFirst(3), 4) }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            do {
                let value = try JSONRecordDecoder.decode(bytes, line: lines.lineNumber, column: column, site: site)
                try emit(.record(SourceRecord(value: value, locator: "line \(lines.lineNumber)", excerpt: excerpt(bytes))))
            } catch let diagnostic as Diagnostic {
                try emit(.rejected(diagnostic))
            }
        }
    }
}

/// Decodes one record's bytes with `JSONParser`, explaining failures: invalid UTF-8, Python
/// reprs, malformed JSON with the column. Shared by the JSON Lines and JSON array readers.
enum JSONRecordDecoder {
    /// `line` and `column` are where `bytes` starts in the file, so errors point into the file.
    static func decode(_ bytes: ArraySlice<UInt8>, line: Int, column: Int = 1, site: DiagnosticSite) throws -> JSONValue {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            let offset = firstInvalidUTF8Offset(bytes)
            let (errorLine, errorColumn) = position(of: offset, in: bytes, line: line, column: column)
            throw site.diagnostic(line: errorLine, column: errorColumn, reason: "invalid-utf8",
                                  message: "invalid UTF-8 at byte \(offset + 1) of the record",
                                  hint: "re-encode the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)", excerpt: excerpt(bytes))
        }
        do {
            return try JSONParser.parse(bytes)
        } catch let error as JSONParser.Failure {
            let text = String(decoding: bytes.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("{'") || text.hasPrefix("[{'") || text.contains("': '") {
                throw site.diagnostic(line: line, reason: "python-repr",
                                      message: "this line is a Python dict literal (single-quoted keys), not JSON",
                                      hint: "convert the file with python3 -c \"import ast,json,sys; [print(json.dumps(ast.literal_eval(l), ensure_ascii=False)) for l in sys.stdin]\" < IN > OUT.jsonl",
                                      excerpt: excerpt(bytes))
            }
            let (errorLine, errorColumn) = position(of: error.offset, in: bytes, line: line, column: column)
            throw site.diagnostic(line: errorLine, column: errorColumn, reason: "malformed-json",
                                  message: "not valid JSON: \(error.message)",
                                  hint: "fix the record or remove it; each record must be one JSON object", excerpt: excerpt(bytes))
        }
    }

    /// Decodes one record of a JSON array or value stream that starts at `line:column` and
    /// emits it, or its rejection. A record alone on its line is `line L`; one that shares its
    /// line with the one before (a minified array) is `line L:C`, so no two share a locator.
    static func emit(_ bytes: [UInt8], line: Int, column: Int, previousLine: inout Int, site: DiagnosticSite,
                     _ emit: (ReaderEvent) throws -> Void) throws {
        let locator = line == previousLine ? "line \(line):\(column)" : "line \(line)"
        previousLine = line
        do {
            let value = try decode(bytes[...], line: line, column: column, site: site)
            try emit(.record(SourceRecord(value: value, locator: locator, excerpt: excerpt(bytes))))
        } catch let diagnostic as Diagnostic {
            try emit(.rejected(diagnostic))
        }
    }

    /// The file line and column of byte `offset` of a record that starts at `line:column`.
    static func position(of offset: Int, in bytes: ArraySlice<UInt8>, line: Int, column: Int) -> (Int, Int) {
        let before = bytes.prefix(offset)
        guard let lastNewline = before.lastIndex(of: 0x0A) else { return (line, column + offset) }
        return (line + before.count { $0 == 0x0A }, before.distance(from: lastNewline, to: before.endIndex))
    }

    /// The offset of the first byte that does not start a valid UTF-8 sequence.
    static func firstInvalidUTF8Offset(_ bytes: ArraySlice<UInt8>) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput, .error: return offset
            }
        }
    }
}
