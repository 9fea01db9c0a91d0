import CurateCore
import Foundation

/// The clean stage's text normalization, applied to every turn and annotation before storage.
///
/// It removes differences that carry no meaning for training — Unicode composition, CRLF,
/// invisible format characters, runs of spaces — and nothing else: case, punctuation and
/// tokenization artifacts such as DialogSum's "I ' Ve" stay as the source wrote them.
public struct TextNormalizer: Sendable {
    public init() {}

    public func normalize(_ text: String) -> String {
        let composed = text.precomposedStringWithCanonicalMapping
        var lines: [String] = []
        var line = String.UnicodeScalarView()
        var pendingSpace = false
        func endLine() {
            lines.append(String(line))
            line = String.UnicodeScalarView()
            pendingSpace = false
        }
        var previousWasCR = false
        for scalar in composed.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\n":
                if !previousWasCR { endLine() }
            case "\r":
                endLine()
            case "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}":
                continue  // zero-width characters and stray BOMs
            default:
                if scalar.properties.isWhitespace {
                    pendingSpace = !line.isEmpty
                } else {
                    if pendingSpace { line.append(" ") }
                    pendingSpace = false
                    line.append(scalar)
                }
            }
        }
        endLine()
        while lines.last?.isEmpty == true { lines.removeLast() }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        return lines.joined(separator: "\n")
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
