import CurateCore

/// The templates stage: stored conversations × tasks → examples.
///
/// Training conversations get `templatesPerConversation` distinct phrasings chosen by a
/// seeded generator keyed on the conversation's content, so the choice does not depend on
/// ingest order. Validation and test conversations get the task's evaluation template only,
/// so every eval example is asked the same way and scores are comparable.
public struct Renderer: Sendable {
    public struct Configuration: Sendable {
        public var seed: UInt64
        public var templatesPerConversation: Int

        public init(seed: UInt64 = 0, templatesPerConversation: Int = 1) {
            self.seed = seed
            self.templatesPerConversation = templatesPerConversation
        }
    }

    /// Why a conversation produced no example for a task.
    public enum Skip: String, Sendable {
        case missingSummary = "no summary"
        case missingTopic = "no topic"
    }

    public let sets: [TemplateSet]
    public let configuration: Configuration

    public init(sets: [TemplateSet], configuration: Configuration) {
        self.sets = sets
        self.configuration = configuration
    }

    /// The examples for one conversation, and the tasks it was skipped for.
    public func render(_ conversation: StoredConversation) -> (examples: [Example], skipped: [(task: String, reason: Skip)]) {
        var examples: [Example] = []
        var skipped: [(String, Skip)] = []
        for set in sets {
            for template in choose(from: set, for: conversation) {
                if let reason = missingField(template, conversation.annotations) {
                    skipped.append((set.task, reason))
                    break
                }
                examples.append(render(template, task: set.task, conversation))
            }
        }
        return (examples, skipped)
    }

    private func choose(from set: TemplateSet, for conversation: StoredConversation) -> [InstructionTemplate] {
        guard conversation.split == .train else { return [set.evaluationTemplate] }
        var generator = SeededRandom(seed: configuration.seed, stream: "template|\(set.task)|\(conversation.contentHash)")
        var candidates = set.templates
        generator.shuffle(&candidates)
        return Array(candidates.prefix(max(1, configuration.templatesPerConversation)))
    }

    private func missingField(_ template: InstructionTemplate, _ annotations: Annotations) -> Skip? {
        if template.fields.contains(.summary), annotations.summaries.isEmpty { return .missingSummary }
        if template.fields.contains(.topic), annotations.topics.isEmpty { return .missingTopic }
        return nil
    }

    private func render(_ template: InstructionTemplate, task: String, _ conversation: StoredConversation) -> Example {
        let labels = template.speakers.labels(for: conversation.turns)
        let dialogue = conversation.turns.map { "\(labels[$0.speaker] ?? $0.speaker): \($0.text)" }.joined(separator: "\n")
        let summaries = conversation.annotations.summaries.map { relabel($0, labels) }
        let topics = conversation.annotations.topics
        let values: [String: String] = [
            TemplateField.dialogue.rawValue: dialogue,
            TemplateField.summary.rawValue: summaries.first ?? "",
            TemplateField.topic.rawValue: topics.first ?? "",
        ]
        let target = template.target.render(values)
        // Multi-reference splits (DialogSum test) keep every alternative the target could be.
        var references = [target]
        if template.targetFields == [.summary], summaries.count > 1 {
            references = summaries.map { template.target.render(values.merging([TemplateField.summary.rawValue: $0]) { $1 }) }
        } else if template.targetFields == [.topic], topics.count > 1 {
            references = topics.map { template.target.render(values.merging([TemplateField.topic.rawValue: $0]) { $1 }) }
        }
        return Example(conversationID: conversation.id, task: task, templateID: template.id, variant: "zero-shot",
                       split: conversation.split, prompt: template.prompt.render(values), target: target, references: references)
    }
}
