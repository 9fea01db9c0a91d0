import CurateCore

/// How a classification prompt lists its answer options. FLAN v2 varies this on purpose —
/// the header ("OPTIONS:", "Choose from:"), the item markers ("- ", "(A)", "1."), one item
/// per line or all on one, and what follows ("Answer:" or nothing) — so that a model learns
/// to read options rather than one layout. Each example's style is drawn from a seeded
/// generator keyed on its conversation and template, so it is stable across runs.
struct OptionsStyle: Equatable {
    enum Marker: CaseIterable {
        case dash, star, plus, letterInParens, letterDot, lowerLetterParen, numberDot, numberInParens, numberInBrackets

        func text(_ index: Int) -> String {
            let letter = String(Character(Unicode.Scalar(UInt8(65 + index % 26))))
            switch self {
            case .dash: return "- "
            case .star: return "* "
            case .plus: return "+ "
            case .letterInParens: return "(\(letter)) "
            case .letterDot: return "\(letter). "
            case .lowerLetterParen: return "\(letter.lowercased())) "
            case .numberDot: return "\(index + 1). "
            case .numberInParens: return "(\(index + 1)) "
            case .numberInBrackets: return "[\(index + 1)] "
            }
        }
    }

    static let headers = ["OPTIONS:", "Options:", "Choose from:", "Pick your answer from:", "Select from the following.",
                          "Possible answers:", "Available choices:", "Choices:", "Answer with one of:"]
    static let endings = ["", "", "\nAnswer:", "\nThe answer is:", "\nA:", "\nYour answer:"]

    var header: String
    var marker: Marker
    /// All options on the header's line, comma-separated, instead of one per line.
    var inline: Bool
    var ending: String

    init(header: String, marker: Marker, inline: Bool, ending: String) {
        self.header = header
        self.marker = marker
        self.inline = inline
        self.ending = ending
    }

    init(using generator: inout SeededRandom) {
        header = Self.headers[generator.nextIndex(below: Self.headers.count)]
        marker = Marker.allCases[generator.nextIndex(below: Marker.allCases.count)]
        inline = generator.nextIndex(below: 4) == 0
        ending = Self.endings[generator.nextIndex(below: Self.endings.count)]
    }

    /// The options block, without surrounding blank lines: `OPTIONS:\n- 1\n- 2\nAnswer:`. A
    /// template that places `{{options}}` before its own question gets it without the ending.
    func render(_ options: [String], withEnding: Bool) -> String {
        let items = options.enumerated().map { inline ? $0.element : marker.text($0.offset) + $0.element }
        return header + (inline ? " " + items.joined(separator: ", ") : "\n" + items.joined(separator: "\n")) + (withEnding ? ending : "")
    }
}
