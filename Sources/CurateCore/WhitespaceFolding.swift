import Foundation

/// Text cleanup shared by the clean stage and the dedup keys, done on UTF-8 bytes.
///
/// Scanning bytes instead of asking `Unicode.Scalar.properties` per character is what keeps
/// ingest fast (the property lookups were most of its time); the Unicode spaces and invisible
/// characters that matter in chat logs are listed explicitly below.
public enum WhitespaceFolding {
    /// NFC-composes `text` (only when it has non-ASCII bytes — ASCII is already NFC), drops
    /// zero-width spaces, word joiners and BOMs, folds every run of spaces to one space, trims each line,
    /// and drops leading and trailing blank lines. With `keepLineBreaks: false`, line breaks
    /// fold like spaces and the result is one line.
    public static func fold(_ text: String, keepLineBreaks: Bool) -> String {
        var input = text
        input.makeContiguousUTF8()
        return input.utf8.withContiguousStorageIfAvailable { bytes in
            guard bytes.contains(where: { $0 >= 0x80 }) else { return fold(bytes: bytes, keepLineBreaks: keepLineBreaks) }
            var composed = text.precomposedStringWithCanonicalMapping
            composed.makeContiguousUTF8()
            return composed.utf8.withContiguousStorageIfAvailable { fold(bytes: $0, keepLineBreaks: keepLineBreaks) }!
        }!
    }

    /// Writes straight into the new string's storage: the output is never longer than the input.
    private static func fold(bytes: UnsafeBufferPointer<UInt8>, keepLineBreaks: Bool) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { out in
            var count = 0
            var pendingSpace = false
            var pendingBreaks = 0
            var i = 0
            while i < bytes.count {
                let (kind, length) = classify(bytes, at: i)
                switch kind {
                case .invisible:
                    break
                case .space:
                    pendingSpace = true
                case .lineBreak:
                    if keepLineBreaks { pendingBreaks += 1; pendingSpace = false } else { pendingSpace = true }
                    // CR LF is one break.
                    if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                case .text:
                    if count > 0 {
                        // Pending separators were at least as many bytes in the input, so this fits.
                        if pendingBreaks > 0 {
                            for _ in 0..<pendingBreaks { out[count] = 0x0A; count += 1 }
                        } else if pendingSpace {
                            out[count] = 0x20
                            count += 1
                        }
                    }
                    pendingBreaks = 0
                    pendingSpace = false
                    for k in i..<i + length { out[count] = bytes[k]; count += 1 }
                }
                i += length
            }
            return count
        }
    }

    private enum Kind { case text, space, lineBreak, invisible }

    /// The kind of the character starting at `i` and its length in bytes.
    @inline(__always)
    private static func classify(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (Kind, Int) {
        let first = b[i]
        if first < 0x80 {
            switch first {
            case 0x20, 0x09, 0x0B, 0x0C: return (.space, 1)
            case 0x0A, 0x0D: return (.lineBreak, 1)
            default: return (.text, 1)
            }
        }
        let length = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1
        guard i + length <= b.count else { return (.text, b.count - i) }
        switch length {
        case 2 where first == 0xC2:
            if b[i + 1] == 0xA0 { return (.space, 2) }          // U+00A0 no-break space
            if b[i + 1] == 0x85 { return (.lineBreak, 2) }      // U+0085 next line
        case 3:
            let (x, y) = (b[i + 1], b[i + 2])
            switch first {
            case 0xE1 where x == 0x9A && y == 0x80: return (.space, 3)                    // U+1680
            case 0xE2 where x == 0x80 && y <= 0x8A: return (.space, 3)                    // U+2000–U+200A
            case 0xE2 where x == 0x80 && y == 0x8B: return (.invisible, 3)                // U+200B zero-width space
            // U+200C/U+200D (ZWNJ, ZWJ) are kept: they join emoji and shape Persian and Indic text.
            case 0xE2 where x == 0x80 && (y == 0xA8 || y == 0xA9): return (.lineBreak, 3) // U+2028, U+2029
            case 0xE2 where x == 0x80 && y == 0xAF: return (.space, 3)                    // U+202F
            case 0xE2 where x == 0x81 && y == 0x9F: return (.space, 3)                    // U+205F
            case 0xE2 where x == 0x81 && y == 0xA0: return (.invisible, 3)                // U+2060 word joiner
            case 0xE3 where x == 0x80 && y == 0x80: return (.space, 3)                    // U+3000
            case 0xEF where x == 0xBB && y == 0xBF: return (.invisible, 3)                // U+FEFF BOM
            default: break
            }
        default: break
        }
        return (.text, length)
    }
}
