/// A named, documented mapping for a public or common log format, so users can write
/// `--preset dialogsum` instead of spelling out field paths.
public struct Preset: Sendable {
    public enum Container: String, Sendable {
        /// One JSON object per line.
        case jsonLines = "jsonl"
    }

    public let name: String
    public let summary: String
    public let container: Container
    public let mapping: RecordMapping
    /// One record in the source's own shape, shown by `--help` and `curate formats`.
    public let example: String

    public static let all: [Preset] = [.dialogsum, .curateNative]

    public static func named(_ name: String) -> Preset? {
        all.first { $0.name == name.lowercased() }
    }
}
