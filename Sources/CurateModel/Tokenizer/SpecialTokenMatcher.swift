/// Finds special tokens (`<|im_start|>`, `<|endoftext|>`…) in UTF-8 text: leftmost match
/// first, and the longest one where several start at the same byte, as Hugging Face's
/// added-token splitter does. Vocabularies have a few dozen of these, so a table keyed by first
/// byte is all the indexing needed.
struct SpecialTokenMatcher {
    /// Candidates by first byte, longest first.
    private let byFirstByte: [UInt8: [(bytes: [UInt8], id: Int)]]

    init(_ tokens: [(bytes: [UInt8], id: Int)]) {
        var table: [UInt8: [(bytes: [UInt8], id: Int)]] = [:]
        for t in tokens where !t.bytes.isEmpty { table[t.bytes[0], default: []].append(t) }
        byFirstByte = table.mapValues { $0.sorted { $0.bytes.count > $1.bytes.count } }
    }

    /// Non-overlapping matches in order.
    func matches(in text: [UInt8]) -> [(range: Range<Int>, id: Int)] {
        guard !byFirstByte.isEmpty else { return [] }
        var found: [(range: Range<Int>, id: Int)] = []
        var i = 0
        while i < text.count {
            if let candidates = byFirstByte[text[i]],
               let hit = candidates.first(where: { c in
                   i + c.bytes.count <= text.count && text[i ..< i + c.bytes.count].elementsEqual(c.bytes)
               }) {
                found.append((i ..< i + hit.bytes.count, hit.id))
                i += hit.bytes.count
            } else {
                i += 1
            }
        }
        return found
    }
}
