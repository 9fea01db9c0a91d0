import CurateCore
import Foundation

/// How to split a CSV file. The first row is always the header: its names are the field
/// names mappings use (`dialogue`, `instruction`, …).
public struct CSVOptions: Sendable, Hashable {
    /// `,` `;` `\t` or `|`; nil sniffs it from the header row (the candidate that occurs most
    /// often outside quotes).
    public var delimiter: UInt8?

    public init(delimiter: UInt8? = nil) { self.delimiter = delimiter }

    public static let delimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]
}

/// An RFC 4180 reader written over bytes, streaming: quoted cells may hold delimiters, line
/// breaks and doubled quotes (`""`); lines end in LF or CRLF; a UTF-8 byte order mark is
/// skipped. Each row becomes a JSON object of strings keyed by the header, with empty cells
/// left out, so an empty cell reads as a missing field.
///
/// Broken quoting rejects the row with the line and column of the offending byte; the reader
/// then goes on from the next line, except after a quote that never closes, which swallows
/// the rest of the file and so ends it.
struct CSVReader: RecordReader {
    let url: URL
    let site: DiagnosticSite
    let options: CSVOptions

    private enum Row {
        case cells([[UInt8]], line: Int)
        case broken(Diagnostic, resumable: Bool)
    }

    func read(_ emit: (ReaderEvent) throws -> Void) throws {
        var stream = try ByteStream(url: url)
        defer { stream.close() }
        try stream.skipByteOrderMark()
        let delimiter = try options.delimiter ?? Self.sniffDelimiter(stream.lookahead(1 << 16))
        var header: [String] = []
        while let row = try nextRow(&stream, delimiter: delimiter) {
            switch row {
            case .broken(let diagnostic, let resumable):
                try emit(.rejected(diagnostic))
                guard resumable, !header.isEmpty else { return }
            case .cells(let cells, let line):
                guard !header.isEmpty else {
                    header = cells.map { String(decoding: $0, as: UTF8.self) }
                    continue
                }
                let text = cells.map { String(decoding: $0, as: UTF8.self) }.joined(separator: String(UnicodeScalar(delimiter)))
                guard cells.count == header.count else {
                    try emit(.rejected(site.diagnostic(
                        line: line, reason: "csv-cell-count", message: "the row has \(cells.count) cells but the header has \(header.count)",
                        hint: "quote cells that contain '\(Character(UnicodeScalar(delimiter)))' or line breaks, or pass --delimiter", excerpt: excerpt(text.utf8))))
                    continue
                }
                if let bad = cells.firstIndex(where: { String(validating: $0, as: UTF8.self) == nil }) {
                    try emit(.rejected(site.diagnostic(
                        line: line, reason: "invalid-utf8", message: "cell '\(header[bad])' is not valid UTF-8",
                        hint: "re-encode the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)", excerpt: excerpt(text.utf8))))
                    continue
                }
                let fields = zip(header, cells).filter { !$0.1.isEmpty }.map { ($0.0, JSONValue.string(String(decoding: $0.1, as: UTF8.self))) }
                try emit(.record(SourceRecord(value: .object(fields), locator: "line \(line)", excerpt: excerpt(text.utf8))))
            }
        }
    }

    /// The header's names, for format detection.
    func header() throws -> [String] {
        var stream = try ByteStream(url: url)
        defer { stream.close() }
        try stream.skipByteOrderMark()
        let delimiter = try options.delimiter ?? Self.sniffDelimiter(stream.lookahead(1 << 16))
        guard case .cells(let cells, _)? = try nextRow(&stream, delimiter: delimiter) else { return [] }
        return cells.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The next row, nil at end of file. Blank lines are skipped.
    private func nextRow(_ stream: inout ByteStream, delimiter: UInt8) throws -> Row? {
        while try stream.peek() == 0x0A || stream.lookahead(2).elementsEqual([0x0D, 0x0A]) {
            if try stream.next() == 0x0D { _ = try stream.next() }
        }
        guard try stream.peek() != nil else { return nil }
        let line = stream.line
        var cells: [[UInt8]] = []
        var cell: [UInt8] = []
        while true {
            if try stream.peek() == UInt8(ascii: "\"") && cell.isEmpty {
                let (openLine, openColumn) = (stream.line, stream.column)
                _ = try stream.next()
                while true {
                    guard let byte = try stream.next() else {
                        return .broken(site.diagnostic(line: openLine, column: openColumn, reason: "csv-unclosed-quote",
                                                       message: "the quoted cell that opens here never closes",
                                                       hint: "close the quote; a quote inside a quoted cell is written twice (\"\")"), resumable: false)
                    }
                    if byte == UInt8(ascii: "\"") {
                        guard try stream.peek() == UInt8(ascii: "\"") else { break }
                        _ = try stream.next()
                    }
                    cell.append(byte)
                }
                if let after = try stream.peek(), after != delimiter, after != 0x0A, after != 0x0D {
                    let (afterLine, column) = (stream.line, stream.column)
                    try skipLine(&stream)
                    return .broken(site.diagnostic(line: afterLine, column: column, reason: "csv-bad-quote",
                                                   message: "'\(Character(UnicodeScalar(after)))' after the closing quote of a cell",
                                                   hint: "write a quote inside a quoted cell twice (\"\"), or end the cell after the quote"), resumable: true)
                }
            }
            guard let byte = try stream.next() else {
                cells.append(cell)
                return .cells(cells, line: line)
            }
            switch byte {
            case delimiter:
                cells.append(cell)
                cell = []
            case 0x0A:
                cells.append(cell)
                return .cells(cells, line: line)
            case 0x0D where try stream.peek() == 0x0A:
                _ = try stream.next()
                cells.append(cell)
                return .cells(cells, line: line)
            case UInt8(ascii: "\""):
                let (quoteLine, column) = (stream.line, stream.column - 1)
                try skipLine(&stream)
                return .broken(site.diagnostic(line: quoteLine, column: column, reason: "csv-bad-quote",
                                               message: "a quote inside an unquoted cell",
                                               hint: "quote the whole cell and write the inner quote twice: \"5\"\" screen\""), resumable: true)
            default:
                cell.append(byte)
            }
        }
    }

    private func skipLine(_ stream: inout ByteStream) throws {
        while let byte = try stream.next(), byte != 0x0A {}
    }

    /// The candidate delimiter that occurs most often in the first line, outside quotes.
    static func sniffDelimiter(_ bytes: ArraySlice<UInt8>) -> UInt8 {
        var counts: [UInt8: Int] = [:]
        var inQuotes = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if !inQuotes && (byte == 0x0A || byte == 0x0D) { break }
            if !inQuotes && CSVOptions.delimiters.contains(byte) { counts[byte, default: 0] += 1 }
        }
        return CSVOptions.delimiters.max { counts[$0, default: 0] < counts[$1, default: 0] } ?? UInt8(ascii: ",")
    }
}
