/// Splits text into the pieces BPE merges within, by the rules the vocabulary was trained with
/// (`tokenizer.ggml.pre`). Hand-written scanners instead of regexes: Swift `Regex` is far too
/// slow on Linux, and the GPT-2 pattern is simple enough to follow by hand.
public enum PreTokenizer: String, Sendable, CaseIterable {
    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    case gpt2
    /// SmolLM (llama.cpp's LLAMA_VOCAB_PRE_TYPE_SMOLLM, and HF's `Digits(individual_digits)`
    /// before byte-level): every \p{N} character is its own piece, the rest is split as GPT-2.
    case smollm

    /// Pieces of `text`, as ranges of `scalars` indices, in order and covering all of it.
    func split(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        switch self {
        case .gpt2:
            GPT2Split.split(scalars, 0 ..< scalars.count, into: &pieces)
        case .smollm:
            var start = 0
            for i in scalars.indices where CharClass(scalars[i]) == .number {
                GPT2Split.split(scalars, start ..< i, into: &pieces)
                pieces.append(i ..< i + 1)
                start = i + 1
            }
            GPT2Split.split(scalars, start ..< scalars.count, into: &pieces)
        }
        return pieces
    }
}

/// The character classes the GPT-2 pattern distinguishes: `\p{L}`, `\p{N}`, `\s`, the rest.
enum CharClass: Equatable {
    case letter, number, space, other

    init(_ s: Unicode.Scalar) {
        if s.isASCII {
            switch s.value {
            case 0x61 ... 0x7A, 0x41 ... 0x5A: self = .letter
            case 0x30 ... 0x39: self = .number
            case 0x09 ... 0x0D, 0x20: self = .space
            default: self = .other
            }
            return
        }
        if s.properties.isWhitespace { self = .space; return }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: self = .letter
        case .decimalNumber, .letterNumber, .otherNumber: self = .number
        default: self = .other
        }
    }
}

/// The GPT-2 pattern, alternative by alternative, first match wins (as in a backtracking regex).
enum GPT2Split {
    static func split(_ s: [Unicode.Scalar], _ range: Range<Int>, into pieces: inout [Range<Int>]) {
        var i = range.lowerBound
        let end = range.upperBound
        let cls = s[range].map(CharClass.init)
        func at(_ j: Int) -> CharClass? { j < end ? cls[j - range.lowerBound] : nil }

        while i < end {
            // 's 't 're 've 'm 'll 'd (case-sensitive, as in GPT-2)
            if s[i] == "'", let n = contraction(s, i + 1, end) {
                pieces.append(i ..< i + 1 + n); i += 1 + n; continue
            }
            // ` ?X+` for X in letter, number, other: an optional single space (U+0020) then a run.
            let lead = s[i] == " " && at(i + 1).map { $0 != .space } == true ? 1 : 0
            if let run = at(i + lead), run != .space {
                var j = i + lead + 1
                while at(j) == run { j += 1 }
                pieces.append(i ..< j); i = j; continue
            }
            // `\s+(?!\S)|\s+`: a whitespace run, leaving its last character to the next piece
            // when a non-space follows and the run is longer than one.
            var j = i + 1
            while at(j) == .space { j += 1 }
            if j < end, j - i > 1 { j -= 1 }
            pieces.append(i ..< j); i = j
        }
    }

    /// Length of a contraction suffix starting at `i` (after the apostrophe), if any.
    private static func contraction(_ s: [Unicode.Scalar], _ i: Int, _ end: Int) -> Int? {
        guard i < end else { return nil }
        switch s[i] {
        case "s", "t", "m", "d": return 1
        case "r", "v", "l":
            guard i + 1 < end else { return nil }
            let pair = (s[i], s[i + 1])
            if pair == ("r", "e") || pair == ("v", "e") || pair == ("l", "l") { return 2 }
            return nil
        default: return nil
        }
    }
}
