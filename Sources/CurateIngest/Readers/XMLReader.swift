import CLibXML2
import CurateCore
import Foundation

/// Where the records are in an XML file: every element with this name is one record.
public struct XMLOptions: Sendable, Hashable {
    public var recordElement: String

    public init(recordElement: String) { self.recordElement = recordElement }
}

/// Streams an XML file through libxml2's `xmlTextReader` (constant memory whatever the file
/// size). Each record element becomes a JSON object of its attributes plus `text`: its own
/// text, not its children's (an NPS `<Post>` holds the post's text followed by a
/// `<terminals>` element of POS tags, which is not part of what was said).
///
/// Safety: the parser never touches the network (`XML_PARSE_NONET`), never loads a DTD and
/// never substitutes entities (no `XML_PARSE_DTDLOAD`/`XML_PARSE_NOENT`); libxml2's default
/// limits on entity amplification stay on (no `XML_PARSE_HUGE`). A record that uses a custom
/// entity is rejected rather than expanded, so a billion-laughs file costs no memory.
///
/// A file that is not well-formed ends the read at the first error, rejected with its line
/// and column: XML cannot be resynchronized after one the way CSV or JSON Lines can.
struct XMLReader: RecordReader {
    let url: URL
    let site: DiagnosticSite
    let options: XMLOptions

    /// `XML_PARSE_BIG_LINES` keeps line numbers right past line 65,535.
    static let parseOptions = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_BIG_LINES.rawValue)

    /// The first error libxml2 reports, captured through its structured error handler instead
    /// of being printed on stderr.
    private final class ErrorBox {
        var message: String?
        var line = 0
        var column = 0
    }

    func read(_ emit: (ReaderEvent) throws -> Void) throws {
        guard let reader = xmlReaderForFile(url.path, nil, Self.parseOptions) else {
            throw CurateError("\(site.file): cannot be opened as XML — check the path and permissions")
        }
        defer { xmlFreeTextReader(reader) }
        let box = ErrorBox()
        let context = Unmanaged.passUnretained(box).toOpaque()
        xmlTextReaderSetStructuredErrorHandler(reader, { context, error in
            guard let context, let error else { return }
            let box = Unmanaged<ErrorBox>.fromOpaque(context).takeUnretainedValue()
            guard box.message == nil else { return }
            box.message = error.pointee.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "not well-formed"
            box.line = Int(error.pointee.line)
            box.column = Int(error.pointee.int2)
        }, context)

        var record: (depth: Int32, line: Int, fields: [(String, JSONValue)], text: String, entity: String?)?
        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 { break }
            if status < 0 || box.message != nil {
                let line = box.line > 0 ? box.line : Int(xmlTextReaderGetParserLineNumber(reader))
                let column = box.column > 0 ? box.column : Int(xmlTextReaderGetParserColumnNumber(reader))
                return try emit(.rejected(site.diagnostic(
                    line: line, column: column, reason: "malformed-xml", message: "not well-formed XML: \(box.message ?? "parse error")",
                    hint: "fix the file here (escape & as &amp; and < as &lt;; one root element; no entities that expand into each other — curate never expands DTD entities); records before this point were read")))
            }
            let type = xmlTextReaderNodeType(reader)
            let depth = xmlTextReaderDepth(reader)
            switch Int(type) {
            case Int(XML_READER_TYPE_ELEMENT.rawValue) where record == nil && Self.name(reader) == options.recordElement:
                let line = Int(xmlGetLineNo(xmlTextReaderCurrentNode(reader)))
                var fields: [(String, JSONValue)] = []
                let isEmpty = xmlTextReaderIsEmptyElement(reader) == 1
                while xmlTextReaderMoveToNextAttribute(reader) == 1 {
                    fields.append((Self.name(reader), .string(Self.value(reader))))
                }
                record = (depth, line, fields, "", nil)
                if isEmpty { try finish(&record, emit) }
            case Int(XML_READER_TYPE_TEXT.rawValue), Int(XML_READER_TYPE_CDATA.rawValue),
                 Int(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue), Int(XML_READER_TYPE_WHITESPACE.rawValue):
                if let open = record, depth == open.depth + 1 { record!.text += Self.value(reader) }
            case Int(XML_READER_TYPE_ENTITY_REFERENCE.rawValue):
                if record != nil, record!.entity == nil { record!.entity = Self.name(reader) }
            case Int(XML_READER_TYPE_END_ELEMENT.rawValue):
                if let open = record, depth == open.depth { try finish(&record, emit) }
            default:
                break
            }
        }
    }

    private func finish(_ record: inout (depth: Int32, line: Int, fields: [(String, JSONValue)], text: String, entity: String?)?,
                        _ emit: (ReaderEvent) throws -> Void) throws {
        guard let done = record else { return }
        record = nil
        let text = done.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let entity = done.entity {
            return try emit(.rejected(site.diagnostic(
                line: done.line, reason: "xml-entity", message: "the record uses the entity &\(entity);, which curate does not expand",
                hint: "replace the entity with its text; DTD entities are never expanded (they can blow up memory)", excerpt: excerpt(text.utf8))))
        }
        let value = JSONValue.object(done.fields + [("text", .string(text))])
        try emit(.record(SourceRecord(value: value, locator: "line \(done.line)", excerpt: excerpt(text.utf8))))
    }

    private static func name(_ reader: xmlTextReaderPtr) -> String {
        xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
    }

    private static func value(_ reader: xmlTextReaderPtr) -> String {
        xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""
    }
}
