import CurateCore

/// One record as a reader found it, before any mapping: the decoded value (a CSV row or an
/// XML element becomes a JSON object of strings) plus where it is in the file. Readers
/// produce these and mappings consume them, so every format shares every preset mechanism.
struct SourceRecord {
    var value: JSONValue
    /// `line 12` — where the record starts; `line 1:52` (with the column) when another record
    /// starts on the same line, so every record's locator is its own.
    var locator: String
    var excerpt: String
    /// The file inside a folder source (`general/2024-03-04.json` of a Slack export) the
    /// record was read from; nil for single-file sources.
    var member: String? = nil
    /// Set when the reader could read the record's fields but must reject it (an XML element
    /// past a size cap): handing it on lets a message grouper place it in its conversation.
    var rejection: Diagnostic? = nil
}

enum ReaderEvent {
    case record(SourceRecord)
    /// A record that could not be read, nothing known of which conversation it was part of
    /// (a CSV row that cannot be split into cells): a message grouper suspects the
    /// conversations on either side of it.
    case rejected(Diagnostic)
    /// A record that could not be read, by a reader that knows which conversation it was
    /// part of (`CHANNEL/DAY` for a broken message in a Slack day file), or that it was part
    /// of none (nil: a users.json entry).
    case rejectedMessage(Diagnostic, conversation: String?)
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
