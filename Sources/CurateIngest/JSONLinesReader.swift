import CurateCore
import Foundation

/// Reads JSON Lines with a mapping, one record per line, streaming. A line that is not a
/// valid record becomes a `Diagnostic` naming the line and what to do; the rest go on.
struct JSONLinesReader {
    let url: URL
    let displayPath: String
    let sha256: String
    let mapping: RecordMapping

    func read(_ emit: (IngestEvent) throws -> Void) throws {
        var lines = try LineReader(url: url)
        defer { lines.close() }
        while let bytes = try lines.nextLine() {
            let locator = "line \(lines.lineNumber)"
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let provenance = Provenance(sourcePath: displayPath, sourceSHA256: sha256, locator: locator)
            let fail = { (reason: String, message: String, hint: String) in
                Diagnostic(file: displayPath, locator: locator, reason: reason, message: message, hint: hint,
                           excerpt: Self.excerpt(bytes))
            }
            do {
                let record = try decode(bytes, fail: fail)
                try emit(.conversation(try mapping.conversation(from: record, provenance: provenance, fail: fail)))
            } catch let diagnostic as Diagnostic {
                try emit(.rejected(diagnostic))
            }
        }
    }

    private func decode(_ bytes: ArraySlice<UInt8>, fail: (String, String, String) -> Diagnostic) throws -> JSONValue {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            let offset = Self.firstInvalidUTF8Offset(bytes)
            var diagnostic = fail("invalid-utf8", "invalid UTF-8 at byte \(offset + 1) of the line",
                                  "re-encode the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)")
            diagnostic.column = offset + 1
            throw diagnostic
        }
        do {
            return try JSONParser.parse(bytes)
        } catch let error as JSONParser.Failure {
            throw Self.diagnoseMalformed(bytes, error: error, fail: fail)
        }
    }

    /// Names what the line looks like, because "invalid JSON" alone does not tell a user that
    /// their export wrote Python reprs or CSV into a .jsonl file.
    static func diagnoseMalformed(_ bytes: ArraySlice<UInt8>, error: JSONParser.Failure,
                                  fail: (String, String, String) -> Diagnostic) -> Diagnostic {
        let text = String(decoding: bytes.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("{'") || text.hasPrefix("[{'") || text.contains("': '") {
            return fail("python-repr", "this line is a Python dict literal (single-quoted keys), not JSON",
                        "convert the file with python3 -c \"import ast,json,sys; [print(json.dumps(ast.literal_eval(l), ensure_ascii=False)) for l in sys.stdin]\" < IN > OUT.jsonl")
        }
        var diagnostic = fail("malformed-json", "not valid JSON: \(error.message)",
                              "fix the line or remove it; each line must be one JSON object")
        diagnostic.column = error.offset + 1
        return diagnostic
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

    static func excerpt(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix(160), as: UTF8.self)
    }
}
