import CLibXML2
import CurateCore
import Foundation

/// Where the records are in an XML file, as `XMLPath`s: each turn element inside a
/// conversation element is one record, holding the named fields read from it plus
/// `conversation`, the conversation element's number in the file (1, 2, …), so a message
/// mapping can group turns by the element they came from.
public struct XMLOptions: Sendable, Hashable {
    public struct Field: Sendable, Hashable {
        public var name: String
        public var path: XMLPath

        public init(name: String, path: XMLPath) {
            self.name = name
            self.path = path
        }
    }

    /// The conversation elements' path from the root element (`Session`, `chat`, `Log`).
    public var conversation: XMLPath
    /// The turn elements' path below a conversation element (`Posts/Post`, `message`).
    public var turn: XMLPath
    public var fields: [Field]

    public init(conversation: XMLPath, turn: XMLPath, fields: [Field]) {
        self.conversation = conversation
        self.turn = turn
        self.fields = fields
    }

    /// The record field that numbers conversation elements.
    public static let conversationField = "conversation"
}

/// Streams an XML file through libxml2's `xmlTextReader` (constant memory whatever the file
/// size), keeping only the open elements' names and the current turn's fields: no DOM of the
/// file or of a conversation is built. Each turn element becomes a JSON object of the fields
/// `XMLOptions` names, with surrounding whitespace trimmed from text; a field the element
/// lacks is left out, so it reads as missing.
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
        let input = try XMLInputGuard(url: url)
        let inputContext = Unmanaged.passUnretained(input).toOpaque()
        guard let reader = xmlReaderForIO({ context, buffer, count in
            guard let context, let buffer else { return -1 }
            return Unmanaged<XMLInputGuard>.fromOpaque(context).takeUnretainedValue().read(into: buffer, count: Int(count))
        }, { _ in 0 }, inputContext, url.path, nil, Self.parseOptions) else {
            throw CurateError("\(site.file): cannot be opened as XML — check the path and permissions")
        }
        defer {
            xmlFreeTextReader(reader)
            withExtendedLifetime(input) {}
        }
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

        var open: [String] = []
        var root: String?
        var conversation: (depth: Int, number: Int)?
        var conversations = 0
        var turn: OpenTurn?
        // Elements in document order, as the input guard numbers start tags; open elements
        // that went past one of its caps, by depth.
        var elements = 0
        var overLimit: [Int: String] = [:]
        // Turns started on the last line that had one, so two turns on one line get
        // locators of their own.
        var lineTurns = (line: 0, count: 0)
        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 { break }
            if let meter = ReadMeter.current { meter.set(Int(xmlTextReaderByteConsumed(reader))) }
            if status < 0 || box.message != nil {
                let line = box.line > 0 ? box.line : Int(xmlTextReaderGetParserLineNumber(reader))
                let column = box.column > 0 ? box.column : Int(xmlTextReaderGetParserColumnNumber(reader))
                return try emit(.rejected(site.diagnostic(
                    line: line, column: column, reason: "malformed-xml", message: "not well-formed XML: \(box.message ?? "parse error")",
                    hint: "fix the file here (escape & as &amp; and < as &lt;; one root element; no entities that expand into each other — curate never expands DTD entities); records before this point were read")))
            }
            switch Int(xmlTextReaderNodeType(reader)) {
            case Int(XML_READER_TYPE_ELEMENT.rawValue):
                let isEmpty = xmlTextReaderIsEmptyElement(reader) == 1
                open.append(Self.name(reader))
                root = root ?? open[0]
                elements += 1
                if let what = input.overLimit[elements] { overLimit[open.count] = what }
                if let at = conversation {
                    if turn == nil, open.count == at.depth + options.turn.elements.count, open[at.depth...].elementsEqual(options.turn.elements) {
                        let line = Int(xmlGetLineNo(xmlTextReaderCurrentNode(reader)))
                        lineTurns = lineTurns.line == line ? (line, lineTurns.count + 1) : (line, 1)
                        turn = OpenTurn(depth: open.count, line: line, conversation: at.number)
                        turn?.locator = lineTurns.count == 1 ? "line \(line)" : "line \(line), element \(lineTurns.count)"
                    }
                } else if open.elementsEqual(options.conversation.elements) {
                    conversations += 1
                    conversation = (open.count, conversations)
                }
                if turn != nil, turn?.limit == nil { turn?.limit = overLimit.values.first }
                if let depth = turn?.depth {
                    let below = open[depth...]
                    for field in options.fields where turn!.values[field.name] == nil && below.elementsEqual(field.path.elements) {
                        if case .attribute(let name) = field.path.value, let value = Self.attribute(name, reader) { turn!.values[field.name] = value }
                    }
                }
                if isEmpty {
                    overLimit[open.count] = nil
                    try close(&open, &turn, &conversation, emit)
                }
            case Int(XML_READER_TYPE_TEXT.rawValue), Int(XML_READER_TYPE_CDATA.rawValue),
                 Int(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue), Int(XML_READER_TYPE_WHITESPACE.rawValue):
                guard let depth = turn?.depth else { break }
                let below = open[depth...]
                for field in options.fields {
                    switch field.path.value {
                    case .ownText where below.elementsEqual(field.path.elements), .allText where below.starts(with: field.path.elements):
                        turn!.text[field.name, default: ""] += Self.value(reader)
                    default: break
                    }
                }
            case Int(XML_READER_TYPE_ENTITY_REFERENCE.rawValue):
                if turn != nil, turn!.entity == nil { turn!.entity = Self.name(reader) }
            case Int(XML_READER_TYPE_END_ELEMENT.rawValue):
                overLimit[open.count] = nil
                try close(&open, &turn, &conversation, emit)
            default:
                break
            }
        }
        if conversations == 0, let root {
            throw CurateError("\(site.file):1: no element matches the conversation path '\(options.conversation)' — the root element is '\(root)'; fix the mapping's conversation path (it starts at the root)")
        }
    }

    /// A turn element being read: the fields found so far.
    private struct OpenTurn {
        /// How many elements are open while this turn is, itself included.
        var depth: Int
        var line: Int
        var locator = ""
        var conversation: Int
        /// Which cap of `XMLInputGuard` this turn, an element inside it or around it went past.
        var limit: String?
        var values: [String: String] = [:]
        /// Text fields, kept apart from attributes because text arrives in pieces.
        var text: [String: String] = [:]
        var entity: String?
    }

    /// Closes the innermost open element, finishing the turn or conversation it ends.
    private func close(_ open: inout [String], _ turn: inout OpenTurn?, _ conversation: inout (depth: Int, number: Int)?,
                       _ emit: (ReaderEvent) throws -> Void) throws {
        if let done = turn, done.depth == open.count {
            turn = nil
            try finish(done, emit)
        }
        if conversation?.depth == open.count { conversation = nil }
        open.removeLast()
    }

    private func finish(_ turn: OpenTurn, _ emit: (ReaderEvent) throws -> Void) throws {
        var fields: [(String, JSONValue)] = [(XMLOptions.conversationField, .string(String(turn.conversation)))]
        for field in options.fields {
            let value = turn.values[field.name] ?? turn.text[field.name].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            if let value, !value.isEmpty { fields.append((field.name, .string(value))) }
        }
        let shown = excerpt(fields.map { $0.1.stringValue ?? "" }.dropFirst().joined(separator: " ").utf8)
        func reject(_ reason: String, _ message: String, _ hint: String) throws {
            let diagnostic = Diagnostic(file: site.file, locator: turn.locator, reason: reason, message: message, hint: hint, excerpt: shown)
            try emit(.record(SourceRecord(value: .object(fields), locator: turn.locator, excerpt: shown, rejection: diagnostic)))
        }
        if let limit = turn.limit {
            return try reject("xml-limit", "the record has an element with \(limit), past what curate reads (\(XMLInputGuard.maximumAttributes) attributes per element, names of \(XMLInputGuard.maximumNameBytes) bytes, values of \(XMLInputGuard.maximumValueBytes) bytes)",
                              "this is not a chat log's shape; trim the element, or leave the record out")
        }
        if let entity = turn.entity {
            return try reject("xml-entity", "the record uses the entity &\(entity);, which curate does not expand",
                              "replace the entity with its text; DTD entities are never expanded (they can blow up memory)")
        }
        try emit(.record(SourceRecord(value: .object(fields), locator: turn.locator, excerpt: shown)))
    }

    private static func name(_ reader: xmlTextReaderPtr) -> String {
        xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
    }

    private static func value(_ reader: xmlTextReaderPtr) -> String {
        xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""
    }

    /// The current element's attribute with this local name; leaves the reader on the element.
    private static func attribute(_ wanted: String, _ reader: xmlTextReaderPtr) -> String? {
        defer { xmlTextReaderMoveToElement(reader) }
        while xmlTextReaderMoveToNextAttribute(reader) == 1 {
            if name(reader) == wanted { return value(reader) }
        }
        return nil
    }
}
