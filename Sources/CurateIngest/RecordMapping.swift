import CurateCore

/// How one decoded record becomes a `Conversation`. Every preset is one of these, and a
/// recipe can declare its own for sources no preset covers — one mechanism for both.
public struct RecordMapping: Sendable {
    /// Where the turns are.
    public enum Turns: Sendable {
        /// One string holding the whole dialogue, one turn per line.
        case transcript(FieldPath, TranscriptStyle)
        /// An array of turn objects, with the fields to read inside each.
        case list(FieldPath, speaker: FieldPath, text: FieldPath, role: FieldPath?, time: FieldPath?,
                  entities: EntityMapping? = nil)
        /// A fixed sequence of turns, each from its own field (Bitext's instruction and
        /// response, a Yelp review's text). A field that is missing or empty ends the list.
        case fields([FixedTurn])
    }

    /// One turn of `Turns.fields`: the text's field and who speaks it.
    public struct FixedTurn: Sendable {
        public var text: FieldPath
        public var speaker: String
        public var role: Role
        public var entities: EntityMapping?

        public init(text: FieldPath, speaker: String, role: Role, entities: EntityMapping? = nil) {
            self.text = text
            self.speaker = speaker
            self.role = role
            self.entities = entities
        }
    }

    public var id: FieldPath?
    public var turns: Turns
    public var annotations: AnnotationMapping
    /// Source role labels (lowercased) → roles. Unlisted labels become `.other`.
    public var roles: [String: Role]

    public init(id: FieldPath?, turns: Turns, summaries: [FieldPath] = [], topics: [FieldPath] = [],
                rating: (field: FieldPath, scale: AnnotationMapping.RatingScale)? = nil, roles: [String: Role] = [:]) {
        self.id = id
        self.turns = turns
        self.annotations = AnnotationMapping(summaries: summaries, topics: topics, rating: rating)
        self.roles = roles
    }

    /// Every record-level field the mapping names, for checking a CSV header against it.
    var fields: [FieldPath] {
        let turnFields: [FieldPath]
        switch turns {
        case .transcript(let field, _): turnFields = [field]
        case .list(let field, _, _, _, _, _): turnFields = [field]
        case .fields(let fixed): turnFields = fixed.flatMap { [$0.text] + ($0.entities?.fields ?? []) }
        }
        return (id.map { [$0] } ?? []) + turnFields + annotations.fields
    }

    func role(for label: String) -> Role {
        roles[label.lowercased()] ?? Role(rawValue: label.lowercased()) ?? .other
    }

    /// Builds the conversation, or explains which field is missing or malformed.
    /// `fail(reason, message, hint)` makes the diagnostic with the caller's file and locator.
    func conversation(from record: JSONValue, provenance: Provenance,
                      fail: (String, String, String) -> Diagnostic) throws -> Conversation {
        guard case .object = record else {
            throw fail("not-an-object", "the record is not a JSON object", "each record must be an object like {\"dialogue\": …}")
        }
        let turns = try readTurns(record, fail: fail)
        var labels = try annotations.annotations(from: record, fail: fail)
        labels.entitiesLabelled = readsEntities
        return Conversation(externalID: id.flatMap { scalarText($0.lookup(in: record)) }, turns: turns,
                            annotations: labels, provenance: provenance)
    }

    /// Whether the mapping reads entity spans: then every conversation it makes is labelled
    /// for entities, and one without spans has none.
    var readsEntities: Bool {
        switch turns {
        case .transcript: false
        case .list(_, _, _, _, _, let entities): entities != nil
        case .fields(let fixed): fixed.contains { $0.entities != nil }
        }
    }

    private func readTurns(_ record: JSONValue, fail: (String, String, String) -> Diagnostic) throws -> [Turn] {
        switch turns {
        case .transcript(let field, let style):
            guard let text = textValue(field.lookup(in: record)) else {
                throw fail("missing-field", "field '\(field)' is missing or not text\(notText(field.lookup(in: record)))",
                           "check the preset or mapping: the dialogue text must be at '\(field)'")
            }
            let parsed = TranscriptParser(style: style).turns(from: text, roleFor: role(for:))
            if let orphan = parsed.orphanText {
                throw fail("no-speaker", "text before the first speaker label: \"\(orphan.prefix(60))\"",
                           "every turn must start with a '\(style == .hashTags ? "#Person1#:" : "Name:")' label")
            }
            guard !parsed.turns.isEmpty else {
                throw fail("empty-dialogue", "field '\(field)' holds no turns", "drop the record or fill in the dialogue")
            }
            if let silent = parsed.turns.firstIndex(where: { $0.text.isEmpty }) {
                throw fail("empty-turn", "turn \(silent + 1) (\(parsed.turns[silent].speaker)) has a speaker but no text",
                           "remove the empty line or give it text")
            }
            return parsed.turns
        case .fields(let fixed):
            var turns: [Turn] = []
            for turn in fixed {
                guard let text = textValue(turn.text.lookup(in: record)), !text.isEmpty else { break }
                let entities = try turn.entities?.spans(in: record, turnText: text, turnName: "'\(turn.text)'", fail: fail) ?? []
                turns.append(Turn(speaker: turn.speaker, role: turn.role, text: text, entities: entities))
            }
            guard !turns.isEmpty else {
                throw fail("missing-field", "field '\(fixed[0].text)' is missing or empty",
                           "check the preset or mapping: the first turn's text must be at '\(fixed[0].text)'")
            }
            return turns
        case .list(let field, let speakerField, let textField, let roleField, let timeField, let entityMapping):
            guard let items = field.lookup(in: record)?.arrayValue, !items.isEmpty else {
                throw fail("missing-field", "field '\(field)' is missing, empty or not a list",
                           "check the preset or mapping: the turns must be a list at '\(field)'")
            }
            return try items.enumerated().map { index, item in
                guard let text = textValue(textField.lookup(in: item)), !text.isEmpty else {
                    throw fail("empty-turn", "turn \(index + 1) has no text at '\(field).\(index).\(textField)'\(notText(textField.lookup(in: item)))",
                               "remove the turn or give it text")
                }
                let speaker = scalarText(speakerField.lookup(in: item)) ?? ""
                let roleLabel = roleField.flatMap { scalarText($0.lookup(in: item)) } ?? speaker
                let entities = try entityMapping?.spans(in: item, turnText: text, turnName: "turn \(index + 1)", fail: fail) ?? []
                return Turn(speaker: speaker, role: role(for: roleLabel), text: text,
                            time: timeField.flatMap { scalarText($0.lookup(in: item)) }, entities: entities)
            }
        }
    }
}
