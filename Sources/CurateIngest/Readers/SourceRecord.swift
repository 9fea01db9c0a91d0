import CurateCore

/// One record as a reader found it, before any mapping: the decoded value (a CSV row or an
/// XML element becomes a JSON object of strings) plus where it is in the file. Readers
/// produce these and mappings consume them, so every format shares every preset mechanism.
struct SourceRecord {
    var value: JSONValue
    /// `line 12` — where the record starts.
    var locator: String
    var excerpt: String
    /// The file inside a folder source (`general/2024-03-04.json` of a Slack export) the
    /// record was read from; nil for single-file sources.
    var member: String? = nil
}

enum ReaderEvent {
    case record(SourceRecord)
    case rejected(Diagnostic)
}

/// Reads one container format (JSON Lines, a JSON array, CSV, XML) into records, streaming.
protocol RecordReader {
    func read(_ emit: (ReaderEvent) throws -> Void) throws
}

/// Names a file in diagnostics.
struct DiagnosticSite {
    let file: String

    func diagnostic(line: Int, column: Int? = nil, reason: String, message: String, hint: String,
                    excerpt: String = "") -> Diagnostic {
        var diagnostic = Diagnostic(file: file, locator: "line \(line)", reason: reason, message: message, hint: hint,
                                    excerpt: excerpt)
        diagnostic.column = column
        return diagnostic
    }
}

/// The first bytes of a record, for rejects that must be understandable without the file.
func excerpt<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    String(decoding: bytes.prefix(160), as: UTF8.self)
}
