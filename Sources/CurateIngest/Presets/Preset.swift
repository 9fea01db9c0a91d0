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
