import CurateCore

/// A named, documented mapping for a public or common log format, so users can write
/// `--preset samsum` instead of spelling out field paths. A preset is data: a container
/// format, a mapping, and the keys that identify the format for detection.
public struct Preset: Sendable {
    public enum Container: Sendable {
        /// JSON Lines, or one JSON array streamed element by element (sniffed per file).
        case json
        case csv(CSVOptions)
        case xml(XMLOptions)
        /// A Slack workspace export folder: users.json and a folder of day files per channel.
        case slackExport

        public var name: String {
            switch self {
            case .json: "json"
            case .csv: "csv"
            case .xml: "xml"
            case .slackExport: "folder"
            }
        }
    }

    /// How records become conversations: one conversation per record, or one message per
    /// record grouped into conversations.
    public enum Mapping: Sendable {
        case conversationPerRecord(RecordMapping)
        case messagePerRecord(MessageMapping)

        /// Every record-level field the mapping names.
        var fields: [FieldPath] {
            switch self {
            case .conversationPerRecord(let mapping): mapping.fields
            case .messagePerRecord(let mapping): mapping.fields
            }
        }

        /// The top-level key every record has (its turns, its dialogue, its grouping key): a
        /// JSON object that has it is a record, not a wrapper around records.
        var recordKey: String? {
            switch self {
            case .conversationPerRecord(let mapping):
                switch mapping.turns {
                case .transcript(let field, _), .list(let field, _, _, _, _, _): field.components.first
                case .fields(let fixed): fixed.first?.text.components.first
                }
            case .messagePerRecord(let mapping):
                if case .key(let key) = mapping.grouping { key.components.first } else { mapping.text.components.first }
            }
        }
    }

    public let name: String
    public let summary: String
    public var container: Container
    public let mapping: Mapping
    /// Keys that a file in this format always has: top-level keys of a JSON record, CSV header
    /// names, or the XML root element. Detection picks the preset whose signature the file shows.
    public let signature: Set<String>
    /// One record in the source's own shape, shown by `--help` and `curate formats`.
    public let example: String
    /// For a JSON file that is one object wrapping its records in a list, the key of that
    /// list (`records: data` in a mapping); nil finds it (see `Ingestor.reader`).
    public var records: String?
    /// Declared mappings name exactly the fields their files have, so a path that no record
    /// of a file matches is a mistake, refused before anything of the file is stored.
    /// Presets name alternatives (DialogSum's `summary` or `summary1`…), so they do not.
    public var requiresEveryField = false

    public init(name: String, summary: String, container: Container, mapping: Mapping, signature: Set<String>, example: String) {
        self.name = name
        self.summary = summary
        self.container = container
        self.mapping = mapping
        self.signature = signature
        self.example = example
    }

    public static let all: [Preset] = [
        .dialogsum, .curateNative, .samsum, .samsumCSV, .openAIChat, .shareGPT, .sgd, .yelp, .bitext, .twcs, .npsChat, .adium, .msn, .taskmaster, .botFramework, .slack,
    ]

    public static func named(_ name: String) -> Preset? {
        all.first { $0.name == name.lowercased() }
    }
}
