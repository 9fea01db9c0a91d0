/// GPT-2's byte ↔ printable-character table (`bytes_to_unicode` in openai/gpt-2 encoder.py).
///
/// Byte-level BPE vocabularies spell every token as a string of these characters so that no
/// token contains whitespace or control bytes: printable Latin-1 bytes stand for themselves and
/// the other 68 bytes (0–32, 127–160, 173) are shifted to U+0100 and up, in byte order. So a
/// space is "Ġ" (U+0120) and a newline "Ċ" (U+010A).
enum ByteLevel {
    /// `scalar[b]` is the character that spells byte `b`.
    static let scalar: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var shifted: UInt32 = 256
        for b in 0 ..< 256 {
            let printable = (33 ... 126).contains(b) || (161 ... 172).contains(b) || (174 ... 255).contains(b)
            if printable {
                table[b] = Unicode.Scalar(UInt32(b))!
            } else {
                table[b] = Unicode.Scalar(shifted)!
                shifted += 1
            }
        }
        return table
    }()

    /// The inverse of `scalar`, keyed by code point.
    static let byte: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for (b, s) in scalar.enumerated() { map[s.value] = UInt8(b) }
        return map
    }()

    /// The raw bytes a byte-level spelled token stands for, or nil if it uses other characters
    /// (special tokens such as `<|im_end|>` are stored as plain text instead).
    static func bytes(of token: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(token.unicodeScalars.count)
        for s in token.unicodeScalars {
            guard let b = byte[s.value] else { return nil }
            out.append(b)
        }
        return out
    }
}
