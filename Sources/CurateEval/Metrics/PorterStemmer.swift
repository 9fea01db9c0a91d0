/// The Porter stemmer exactly as NLTK's `PorterStemmer()` runs it in its default
/// NLTK_EXTENSIONS mode, which is what `rouge_score` uses (`nltk.stem.porter.PorterStemmer()`).
/// That mode differs from Porter's 1980 paper in a handful of places, marked "NLTK" below;
/// matching them is what makes ROUGE agree with rouge_score to the last digit.
///
/// Words are ASCII bytes (ROUGE tokens are already `[a-z0-9]+`).
enum PorterStemmer {
    /// NLTK's table of irregular forms, checked before any rule.
    private static let irregular: [String: String] = [
        "sky": "sky", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie", "news": "news",
        "innings": "inning", "inning": "inning", "outings": "outing", "outing": "outing",
        "cannings": "canning", "canning": "canning", "howe": "howe", "proceed": "proceed",
        "exceed": "exceed", "succeed": "succeed",
    ]

    static func stem(_ word: String) -> String {
        if let irregular = irregular[word] { return irregular }
        if word.utf8.count <= 2 { return word }
        var w = Word(Array(word.utf8))
        w.step1a(); w.step1b(); w.step1c(); w.step2(); w.step3(); w.step4(); w.step5a(); w.step5b()
        return String(decoding: w.b, as: UTF8.self)
    }

    /// A rule: suffix, replacement, and the condition on the stem left after removing the suffix.
    typealias Rule = (suffix: String, replacement: String, condition: ([UInt8]) -> Bool)

    struct Word {
        var b: [UInt8]
        init(_ b: [UInt8]) { self.b = b }

        // MARK: Letter classes

        private static func isVowel(_ c: UInt8) -> Bool {
            c == UInt8(ascii: "a") || c == UInt8(ascii: "e") || c == UInt8(ascii: "i") || c == UInt8(ascii: "o") || c == UInt8(ascii: "u")
        }

        /// Consonant flags: a 'y' is a consonant iff the letter before it is not one.
        static func consonants(_ s: ArraySlice<UInt8>) -> [Bool] {
            var flags: [Bool] = []
            flags.reserveCapacity(s.count)
            for c in s {
                if isVowel(c) { flags.append(false) }
                else if c == UInt8(ascii: "y") { flags.append(flags.last.map { !$0 } ?? true) }
                else { flags.append(true) }
            }
            return flags
        }

        /// m in [C](VC){m}[V]: the number of vowel→consonant transitions.
        static func measure(_ s: ArraySlice<UInt8>) -> Int {
            let f = consonants(s)
            var m = 0
            for i in f.indices.dropFirst() where !f[i - 1] && f[i] { m += 1 }
            return m
        }

        static func containsVowel(_ s: ArraySlice<UInt8>) -> Bool { consonants(s).contains(false) }

        static func endsDoubleConsonant(_ s: ArraySlice<UInt8>) -> Bool {
            s.count >= 2 && s.last == s[s.endIndex - 2] && consonants(s).last!
        }

        /// *o: ends consonant-vowel-consonant, the last not w, x or y; NLTK also accepts a
        /// two-letter vowel-consonant word.
        static func endsCVC(_ s: ArraySlice<UInt8>) -> Bool {
            let f = consonants(s)
            if s.count >= 3 {
                let n = f.count
                if f[n - 3], !f[n - 2], f[n - 1], !"wxy".utf8.contains(s.last!) { return true }
            }
            return s.count == 2 && !f[0] && f[1]
        }

        func ends(_ suffix: String) -> Bool { b.count >= suffix.utf8.count && b.suffix(suffix.utf8.count).elementsEqual(suffix.utf8) }

        func dropping(_ suffix: String) -> [UInt8] { Array(b.dropLast(suffix.utf8.count)) }

        static let positive: ([UInt8]) -> Bool = { measure($0[...]) > 0 }
        static let greaterThanOne: ([UInt8]) -> Bool = { measure($0[...]) > 1 }

        /// The first rule whose suffix matches decides: applied if its condition holds, and no
        /// later rule is tried either way.
        mutating func apply(_ rules: [Rule]) {
            for r in rules where ends(r.suffix) {
                let stem = dropping(r.suffix)
                if r.condition(stem) { b = stem + r.replacement.utf8 }
                return
            }
        }

        // MARK: Steps

        mutating func step1a() {
            if ends("ies"), b.count == 4 { b = dropping("ies") + "ie".utf8; return } // NLTK: dies → die
            apply([("sses", "ss", { _ in true }), ("ies", "i", { _ in true }), ("ss", "ss", { _ in true }), ("s", "", { _ in true })])
        }

        mutating func step1b() {
            if ends("ied") { b = dropping("ied") + (b.count == 4 ? "ie" : "i").utf8; return } // NLTK
            if ends("eed") {
                let stem = dropping("eed")
                if Word.measure(stem[...]) > 0 { b = stem + "ee".utf8 }
                return
            }
            guard let suffix = ["ed", "ing"].first(where: { ends($0) && Word.containsVowel(dropping($0)[...]) }) else { return }
            b = dropping(suffix)
            if ends("at") || ends("bl") || ends("iz") { b.append(UInt8(ascii: "e")); return }
            if Word.endsDoubleConsonant(b[...]) {
                if !"lsz".utf8.contains(b.last!) { b.removeLast() }
                return
            }
            if Word.measure(b[...]) == 1, Word.endsCVC(b[...]) { b.append(UInt8(ascii: "e")) }
        }

        mutating func step1c() {
            // NLTK: y → i only after a consonant that is not the whole stem (happy → happi, enjoy stays).
            apply([("y", "i", { s in s.count > 1 && Word.consonants(s[...]).last! })])
        }

        mutating func step2() {
            if ends("alli"), Word.positive(dropping("alli")) { // NLTK: handled first, then step 2 again
                b = dropping("alli") + "al".utf8
                step2()
                return
            }
            let p = Word.positive
            let whole = b
            apply([
                ("ational", "ate", p), ("tional", "tion", p), ("enci", "ence", p), ("anci", "ance", p),
                ("izer", "ize", p), ("bli", "ble", p), ("alli", "al", p), ("entli", "ent", p), ("eli", "e", p),
                ("ousli", "ous", p), ("ization", "ize", p), ("ation", "ate", p), ("ator", "ate", p),
                ("alism", "al", p), ("iveness", "ive", p), ("fulness", "ful", p), ("ousness", "ous", p),
                ("aliti", "al", p), ("iviti", "ive", p), ("biliti", "ble", p),
                ("fulli", "ful", p), ("logi", "log", { _ in Word.positive(Array(whole.dropLast(3))) }), // NLTK
            ])
        }

        mutating func step3() {
            let p = Word.positive
            apply([("icate", "ic", p), ("ative", "", p), ("alize", "al", p), ("iciti", "ic", p),
                   ("ical", "ic", p), ("ful", "", p), ("ness", "", p)])
        }

        mutating func step4() {
            let g = Word.greaterThanOne
            apply([
                ("al", "", g), ("ance", "", g), ("ence", "", g), ("er", "", g), ("ic", "", g), ("able", "", g),
                ("ible", "", g), ("ant", "", g), ("ement", "", g), ("ment", "", g), ("ent", "", g),
                ("ion", "", { s in g(s) && (s.last == UInt8(ascii: "s") || s.last == UInt8(ascii: "t")) }),
                ("ou", "", g), ("ism", "", g), ("ate", "", g), ("iti", "", g), ("ous", "", g), ("ive", "", g), ("ize", "", g),
            ])
        }

        mutating func step5a() {
            guard ends("e") else { return }
            let stem = dropping("e")
            let m = Word.measure(stem[...])
            if m > 1 || (m == 1 && !Word.endsCVC(stem[...])) { b = stem }
        }

        mutating func step5b() {
            if ends("ll"), Word.measure(b.dropLast()) > 1 { b.removeLast() }
        }
    }
}
