import CurateCore

/// Why a conversation gave no example for one of a task's templates. The description names
/// the template and what it needed, so a recipe that feeds a task from the wrong source says
/// exactly what is missing.
public struct RenderSkip: Error, Hashable, Sendable, CustomStringConvertible {
    public var task: String
    public var template: String
    /// Short and countable: `no summary`, `not entity-labelled`, `entity type 'x' unlabelled`.
    public var reason: String

    public var description: String { "\(reason) (template \(template))" }
}

/// The text of every field for one conversation as one template shows it: the dialogue with
/// the template's speaker labels, the summaries relabelled the same way, the entity list
/// with the task's labels, the rating on the common scale.
struct FieldValues {
    var values: [String: String]
    /// Every reference for a field with alternatives (DialogSum test has three summaries).
    var alternatives: [TemplateField: [String]]

    /// The values, or why `template` cannot be rendered on `conversation`.
    static func make(for conversation: StoredConversation, template: InstructionTemplate,
                     set: TemplateSet) -> Result<FieldValues, RenderSkip> {
        let skip = { (reason: String) in Result<FieldValues, RenderSkip>.failure(RenderSkip(task: set.task, template: template.id, reason: reason)) }
        let labels = template.speakers.labels(for: conversation.turns)
        var values: [String: String] = [:]
        var alternatives: [TemplateField: [String]] = [:]
        for field in template.fields.sorted(by: { $0.rawValue < $1.rawValue }) {
            switch field {
            case .dialogue:
                values[field.rawValue] = dialogue(conversation.turns, labels: labels)
            case .summary:
                guard !conversation.annotations.summaries.isEmpty else { return skip("no summary") }
                alternatives[field] = conversation.annotations.summaries.map { relabel($0, labels) }
            case .topic:
                guard !conversation.annotations.topics.isEmpty else { return skip("no topic") }
                alternatives[field] = conversation.annotations.topics
            case .rating:
                guard let rating = conversation.annotations.rating else { return skip("no rating") }
                values[field.rawValue] = String(Int(rating.value.rounded()))
            case .entities:
                guard conversation.annotations.entitiesLabelled else { return skip("not entity-labelled") }
                switch entityList(conversation.turns, labels: set.entityLabels) {
                case .success(let text):
                    // "Write a dialogue that mentions these: none" teaches nothing.
                    if template.inverted, text == EntityList.none { return skip("no entities to write about") }
                    values[field.rawValue] = text
                case .failure(let reason): return skip(reason.description)
                }
            case .options:
                break  // filled per variant by the renderer
            }
        }
        for (field, texts) in alternatives { values[field.rawValue] = texts[0] }
        return .success(FieldValues(values: values, alternatives: alternatives))
    }

    /// `Speaker: text` lines; a conversation of one turn (a review, a single instruction) is
    /// its text alone, since a label would only add noise.
    static func dialogue(_ turns: [Turn], labels: [String: String]) -> String {
        if turns.count == 1 { return turns[0].text }
        return turns.map { "\(labels[$0.speaker] ?? $0.speaker): \($0.text)" }.joined(separator: "\n")
    }

    enum EntityListFailure: Error, CustomStringConvertible {
        case unlabelled(String)
        case notRoundTripping(String)

        var description: String {
            switch self {
            case .unlabelled(let type): "entity type '\(type)' has no label in entity_labels"
            case .notRoundTripping(let text): "entity text '\(text)' does not survive the target format"
            }
        }
    }

    /// Every span of every turn in reading order (turn by turn, by start offset within a
    /// turn: SGD lists a turn's slots by frame, not by position), labelled through `labels`,
    /// as `EntityList` text.
    /// The result must parse back to exactly these entries, because evaluation reads model
    /// output with the same parser; a span that would not (a text with leading or trailing
    /// spaces) keeps the conversation out of the task instead of teaching a lossy target.
    static func entityList(_ turns: [Turn], labels: [String: String]) -> Result<String, EntityListFailure> {
        var entries: [EntityList.Entry] = []
        for span in turns.flatMap({ $0.entities.sorted { ($0.start, $0.end) < ($1.start, $1.end) } }) {
            guard let label = labels[span.label] ?? labels[span.label.lowercased()] else { return .failure(.unlabelled(span.label)) }
            entries.append(EntityList.Entry(label: label, text: span.text))
        }
        let text = EntityList.format(entries)
        guard EntityList.parse(text) == entries else {
            let bad = entries.first { EntityList.parse(EntityList.format([$0])) != [$0] }
            return .failure(.notRoundTripping(bad?.text ?? text))
        }
        return .success(text)
    }
}
