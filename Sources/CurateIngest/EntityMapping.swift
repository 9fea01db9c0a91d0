import CurateCore

/// Where a turn's entity spans are and how to read them. Offsets count Unicode scalars
/// (Python `str` indices), as `EntitySpan` does.
///
/// Every span is checked against the turn text: the offsets must lie inside it and, when the
/// source also gives the entity's text, cut out that text (ignoring case: Bitext writes
/// `Platinum` for an instruction that says `platinum`; the span keeps the turn's own text). A span that fails is a
/// rejection (`entity-offset-mismatch`), not a turn stored without it: a conversation kept
/// without its span would later render as an NER example that says the text has no entity,
/// teaching the model a false negative.
public struct EntityMapping: Sendable {
    /// The span objects, relative to the turn object (list turns) or the record (fixed turns).
    /// `*` fans out over arrays: `frames.*.slots.*`. A span whose label is missing is no span
    /// (Bitext rows without an entity leave `entity_type` empty).
    public var spans: FieldPath
    public var label: FieldPath
    public var start: FieldPath
    public var end: FieldPath
    /// The entity's text as the source wrote it, when it gives one.
    public var text: FieldPath?

    public init(spans: FieldPath, label: FieldPath, start: FieldPath, end: FieldPath, text: FieldPath? = nil) {
        self.spans = spans
        self.label = label
        self.start = start
        self.end = end
        self.text = text
    }

    /// The fields named relative to the container: the span fields themselves when the spans
    /// are the container (a CSV row's entity columns), else only the path to the spans.
    var fields: [FieldPath] {
        spans.components.isEmpty ? [label, start, end] + (text.map { [$0] } ?? []) : [spans]
    }

    /// The checked spans of `turnText` found in `container`. `turnName` says which turn in messages.
    func spans(in container: JSONValue, turnText: String, turnName: String,
               fail: (String, String, String) -> Diagnostic) throws -> [EntitySpan] {
        let scalars = Array(turnText.unicodeScalars)
        return try spans.values(in: container).compactMap { span in
            guard let label = scalarText(label.lookup(in: span)), !label.isEmpty else { return nil }
            guard let start = scalarText(start.lookup(in: span)).flatMap(Int.init),
                  let end = scalarText(end.lookup(in: span)).flatMap(Int.init) else {
                throw fail("entity-offset-mismatch", "the \(label) span in \(turnName) has no integer '\(self.start)'/'\(self.end)' offsets",
                           "give both offsets as Unicode scalar indices, or drop the span")
            }
            guard 0 <= start, start < end, end <= scalars.count else {
                throw fail("entity-offset-mismatch", "the \(label) span \(start)..<\(end) lies outside \(turnName) (\(scalars.count) characters)",
                           "fix the offsets (Unicode scalar indices, end exclusive)")
            }
            let cut = String(String.UnicodeScalarView(scalars[start..<end]))
            if let expected = text.flatMap({ scalarText($0.lookup(in: span)) }), expected.lowercased() != cut.lowercased() {
                let found = turnText.range(of: expected).map {
                    " ('\(expected)' is at \(turnText.unicodeScalars.distance(from: turnText.startIndex, to: $0.lowerBound))..<\(turnText.unicodeScalars.distance(from: turnText.startIndex, to: $0.upperBound)))"
                } ?? ""
                throw fail("entity-offset-mismatch",
                           "the \(label) span \(start)..<\(end) of \(turnName) is '\(cut)' but the entity is '\(expected)'\(found)",
                           "fix the offsets or the entity text; the row is kept out so no example learns a wrong span")
            }
            return EntitySpan(label: label, start: start, end: end, text: cut)
        }
    }
}
