import CurateCore
import Foundation

/// The clean stage's text normalization, applied to every turn and annotation before storage.
///
/// It removes differences that carry no meaning for training — Unicode composition, CRLF,
/// invisible format characters, runs of spaces — and nothing else: case, punctuation and
/// tokenization artifacts such as DialogSum's "I ' Ve" stay as the source wrote them.
public struct TextNormalizer: Sendable {
    public init() {}

    /// NFC, CRLF and other line separators to `\n`, zero-width characters and BOMs removed,
    /// space runs folded, lines trimmed, blank lines at either end dropped.
    public func normalize(_ text: String) -> String {
        WhitespaceFolding.fold(text, keepLineBreaks: true)
    }

    public func normalize(_ conversation: Conversation) -> Conversation {
        var clean = conversation
        clean.turns = conversation.turns.map { turn in
            var t = turn
            t.speaker = normalize(turn.speaker)
            // Entity offsets index the text as the source wrote it, so a turn that carries
            // spans keeps its text byte for byte rather than risk shifting them.
            if turn.entities.isEmpty { t.text = normalize(turn.text) }
            return t
        }
        clean.annotations.summaries = conversation.annotations.summaries.map(normalize)
        clean.annotations.topics = conversation.annotations.topics.map(normalize)
        return clean
    }
}
