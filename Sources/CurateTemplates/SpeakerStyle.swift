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
/// rewritten through "Person1".
func relabel(_ text: String, _ labels: [String: String]) -> String {
    let changes = labels.filter { $0.key != $0.value && !$0.key.isEmpty }.sorted { $0.key.count > $1.key.count }
    guard !changes.isEmpty else { return text }
    var result = text
    for (original, replacement) in changes {
        var out = ""
        var rest = Substring(result)
        while let range = rest.range(of: original) {
            let before = range.lowerBound == rest.startIndex ? (out.last) : rest[rest.index(before: range.lowerBound)]
            let after = range.upperBound < rest.endIndex ? rest[range.upperBound] : nil
            let wordBoundary = !(before.map(isWordCharacter) ?? false) && !(after.map(isWordCharacter) ?? false)
            out += rest[..<range.lowerBound]
            out += wordBoundary ? replacement : original
            rest = rest[range.upperBound...]
        }
        out += rest
        result = out
    }
    return result
}

private func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber }
