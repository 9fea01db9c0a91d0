import CurateCore

/// How speaker labels appear in a rendered dialogue. FLAN varies them across templates so a
/// model does not learn one labelling convention; the same relabelling is applied to the
/// summary and topic so that "#Person1# asks…" becomes "Person A asks…" consistently.
public enum SpeakerStyle: String, Sendable, CaseIterable {
    /// Labels as the source wrote them ("#Person1#", "Maya").
    case original
    /// "Person A", "Person B" … in order of first appearance.
    case personLetter = "person-letter"
    /// "Speaker 1", "Speaker 2" …
    case speakerNumber = "speaker-number"
    /// "Customer"/"Agent" style labels from the turn roles; speakers without a known role fall
    /// back to "Person A" …
    case role

    /// Original speaker label → label to show, for the speakers of `turns`.
    func labels(for turns: [Turn]) -> [String: String] {
        var order: [String] = []
        var roles: [String: Role] = [:]
        for turn in turns where roles[turn.speaker] == nil {
            order.append(turn.speaker)
            roles[turn.speaker] = turn.role
        }
        var labels: [String: String] = [:]
        for (index, speaker) in order.enumerated() {
            switch self {
            case .original: labels[speaker] = speaker
            case .personLetter: labels[speaker] = Self.personLetter(index)
            case .speakerNumber: labels[speaker] = "Speaker \(index + 1)"
            case .role:
                switch roles[speaker]! {
                case .user: labels[speaker] = "Customer"
                case .assistant: labels[speaker] = "Agent"
                case .system: labels[speaker] = "System"
                case .tool: labels[speaker] = "Tool"
                case .other: labels[speaker] = Self.personLetter(index)
                }
            }
        }
        return labels
    }

    static func personLetter(_ index: Int) -> String {
        index < 26 ? "Person \(Character(Unicode.Scalar(UInt8(65 + index))))" : "Person \(index + 1)"
    }
}

/// Replaces whole-word occurrences of each original label in `text` (a label inside a longer
/// word, like "Ann" in "Annual", is left alone). Longer labels go first so "Person10" is not
/// rewritten through "Person1". Searches UTF-8 bytes by hand: Foundation's `range(of:)` was a
/// tenth of render time and the standard library's generic `firstRange(of:)` was slower still.
func relabel(_ text: String, _ labels: [String: String]) -> String {
    let changes = labels.filter { $0.key != $0.value && !$0.key.isEmpty }.sorted { $0.key.count > $1.key.count }
    var result = Array(text.utf8)
    for (original, replacement) in changes {
        let needle = Array(original.utf8)
        guard result.count >= needle.count else { continue }
        var out: [UInt8] = []
        out.reserveCapacity(result.count)
        var i = 0
        while i < result.count {
            if result[i] == needle[0], i + needle.count <= result.count, result[i..<i + needle.count].elementsEqual(needle),
               !isWordScalar(endingBefore: i, in: result), !isWordScalar(startingAt: i + needle.count, in: result) {
                out.append(contentsOf: replacement.utf8)
                i += needle.count
            } else {
                out.append(result[i])
                i += 1
            }
        }
        result = out
    }
    return String(decoding: result, as: UTF8.self)
}

/// Whether the character ending just before byte `index` is a letter or digit.
private func isWordScalar(endingBefore index: Int, in bytes: [UInt8]) -> Bool {
    guard index > 0 else { return false }
    var start = index - 1
    while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }  // back over continuation bytes
    return isWordScalar(startingAt: start, in: bytes)
}

/// Whether the character starting at byte `index` is a letter or digit.
private func isWordScalar(startingAt index: Int, in bytes: [UInt8]) -> Bool {
    guard index < bytes.count else { return false }
    var end = index + 1
    while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
    guard let scalar = String(decoding: bytes[index..<end], as: UTF8.self).unicodeScalars.first else { return false }
    return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
}
