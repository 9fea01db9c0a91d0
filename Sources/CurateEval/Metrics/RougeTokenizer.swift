/// rouge_score's tokenizer (tokenize.py): lowercase, every run of characters outside [a-z0-9]
/// becomes a separator, and with stemming on, tokens longer than 3 characters are Porter-stemmed.
enum RougeTokenizer {
    static func tokenize(_ text: String, stem: Bool) -> [String] {
        var t = Tokens(stem: stem)
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                t.add(UInt8(scalar.value))
            } else {
                // Python's str.lower() can turn a non-ASCII character into ASCII ones (KELVIN
                // SIGN → "k", "İ" → "i̇"); those letters count, the rest separates.
                for s in scalar.properties.lowercaseMapping.unicodeScalars {
                    if s.isASCII { t.add(UInt8(s.value)) } else { t.flush() }
                }
            }
        }
        t.flush()
        return t.tokens
    }

    private struct Tokens {
        let stem: Bool
        var tokens: [String] = []
        var current: [UInt8] = []

        mutating func add(_ c: UInt8) {
            switch c {
            case UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "0") ... UInt8(ascii: "9"): current.append(c)
            case UInt8(ascii: "A") ... UInt8(ascii: "Z"): current.append(c + 32)
            default: flush()
            }
        }

        mutating func flush() {
            guard !current.isEmpty else { return }
            let token = String(decoding: current, as: UTF8.self)
            tokens.append(stem && current.count > 3 ? PorterStemmer.stem(token) : token)
            current.removeAll(keepingCapacity: true)
        }
    }
}
