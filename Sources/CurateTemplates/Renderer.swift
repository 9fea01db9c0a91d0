import CurateCore

/// The templates stage: stored conversations × tasks → examples.
///
/// Training conversations get `templatesPerConversation` distinct phrasings chosen by a
/// seeded generator keyed on the conversation's content, so the choice does not depend on
/// ingest order. Each phrasing renders in every variant it has: zero-shot; few-shot, with
/// worked exemplars from other training conversations before the question; and, for tasks
/// with answer options and templates that are not inverted, both again with the options
/// listed. Mixing later picks variants by ratio, so all of them are stored.
///
/// Validation and test conversations get the task's evaluation template only, zero-shot, so
/// every eval example is asked the same way and scores are comparable.
public struct Renderer: Sendable {
    public struct Configuration: Sendable {
        public var seed: UInt64
        public var templatesPerConversation: Int
        /// Worked exemplars before the question in few-shot variants; 0 renders none.
        public var shots: Int
        /// A few-shot prompt longer than this many whitespace tokens loses exemplars from the
        /// end until it fits, as FLAN prunes to its input length; when not even one fits, the
        /// example has no few-shot variant.
        public var maxPromptWords: Int
        /// Render inverted phrasings (summary → dialogue …) for training; false keeps a
        /// training set to the task's own direction.
        public var inverted: Bool
        /// Counts every example's tokens (stored for length reports) when set.
        public var tokenCounter: TokenCounter?
        /// With a token counter, few-shot prompts are also pruned to this many tokens: a
        /// trainer's `max_length` is in tokens, and a whitespace word is about 1.4 SmolLM2 tokens.
        public var maxPromptTokens: Int?

        public init(seed: UInt64 = 0, templatesPerConversation: Int = 1, shots: Int = 2, maxPromptWords: Int = 1024, inverted: Bool = true,
                    tokenCounter: TokenCounter? = nil, maxPromptTokens: Int? = nil) {
            self.seed = seed
            self.templatesPerConversation = templatesPerConversation
            self.shots = shots
            self.maxPromptWords = maxPromptWords
            self.inverted = inverted
            self.tokenCounter = tokenCounter
            self.maxPromptTokens = maxPromptTokens
        }
    }

    public let sets: [TemplateSet]
    public let configuration: Configuration
    public let exemplars: ExemplarPool

    public init(sets: [TemplateSet], configuration: Configuration, exemplars: ExemplarPool = .none) {
        self.sets = sets
        self.configuration = configuration
        self.exemplars = exemplars
    }

    /// The examples for one conversation, and why it gave none for some tasks (the first
    /// reason met, for a task none of whose chosen templates could be rendered).
    public func render(_ conversation: StoredConversation) -> (examples: [Example], skipped: [RenderSkip]) {
        var examples: [Example] = []
        var skipped: [RenderSkip] = []
        for set in sets {
            var firstSkip: RenderSkip?
            var rendered = 0
            for template in candidates(from: set, for: conversation) where rendered < max(1, configuration.templatesPerConversation) {
                switch FieldValues.make(for: conversation, template: template, set: set) {
                case .failure(let skip):
                    firstSkip = firstSkip ?? skip
                case .success(let values):
                    examples += variants(of: template, in: set, conversation, values)
                    rendered += 1
                }
            }
            if rendered == 0, let firstSkip { skipped.append(firstSkip) }
        }
        return (examples, skipped)
    }

    /// The task's templates in the order a conversation tries them: seeded by its content for
    /// training (the first `templatesPerConversation` that can render it are used, so an
    /// inverted ner template that has nothing to invert gives way to the next one); the
    /// evaluation template alone otherwise.
    private func candidates(from set: TemplateSet, for conversation: StoredConversation) -> [InstructionTemplate] {
        guard conversation.split == .train else { return [set.evaluationTemplate] }
        var generator = SeededRandom(seed: configuration.seed, stream: "template|\(set.task)|\(conversation.contentHash)")
        var candidates = configuration.inverted ? set.templates : set.templates.filter { !$0.inverted }
        generator.shuffle(&candidates)
        return candidates
    }

    private func variants(of template: InstructionTemplate, in set: TemplateSet, _ conversation: StoredConversation,
                          _ values: FieldValues) -> [Example] {
        let zeroShot = example(template, set, conversation, values, variant: .zeroShot, options: nil, exemplars: [])
        guard conversation.split == .train else { return [zeroShot] }
        var options: OptionsStyle?
        if !set.options.isEmpty, !template.inverted, set.options.contains(zeroShot.target) {
            var generator = SeededRandom(seed: configuration.seed, stream: "options|\(set.task)|\(template.id)|\(conversation.contentHash)")
            options = OptionsStyle(using: &generator)
        }
        var result = [zeroShot]
        if let options { result.append(example(template, set, conversation, values, variant: .init(fewShot: false, options: true), options: options, exemplars: [])) }
        guard configuration.shots > 0 else { return result }
        let shown = exemplars.exemplars(for: conversation, task: set.task, template: template.id, count: configuration.shots)
        for withOptions in options == nil ? [false] : [false, true] {
            if let fewShot = fewShotExample(template, set, conversation, values, options: withOptions ? options : nil, exemplars: shown) {
                result.append(fewShot)
            }
        }
        return result
    }

    /// The few-shot form: exemplars (same template, same options style) as prompt-answer
    /// blocks, then the question, pruned to the word budget (and the token budget, counted on
    /// the assembled prompt); nil when no exemplar fits.
    private func fewShotExample(_ template: InstructionTemplate, _ set: TemplateSet, _ conversation: StoredConversation,
                                _ values: FieldValues, options: OptionsStyle?, exemplars shown: [StoredConversation]) -> Example? {
        let variant = ExampleVariant(fewShot: true, options: options != nil)
        var query = example(template, set, conversation, values, variant: variant, options: options, exemplars: [], countTokens: false)
        var words = whitespaceTokenCount(query.prompt)
        var blocks: [String] = []
        for exemplar in shown {
            guard case .success(let exemplarValues) = FieldValues.make(for: exemplar, template: template, set: set) else { continue }
            let worked = example(template, set, exemplar, exemplarValues, variant: variant, options: options, exemplars: [], countTokens: false)
            let block = worked.prompt + "\n" + worked.target
            let blockWords = whitespaceTokenCount(block)
            guard words + blockWords <= configuration.maxPromptWords else { break }
            blocks.append(block)
            query.exemplars.append(exemplar.id)
            words += blockWords
        }
        let question = query.prompt
        let assemble = { (count: Int) in (blocks.prefix(count) + [question]).joined(separator: "\n\n") }
        var kept = blocks.count
        if let counter = configuration.tokenCounter, let budget = configuration.maxPromptTokens {
            while kept > 0, counter.count(assemble(kept)) > budget { kept -= 1 }
        }
        guard kept > 0 else { return nil }
        query.prompt = assemble(kept)
        query.exemplars = Array(query.exemplars.prefix(kept))
        query.tokens = configuration.tokenCounter.map { $0.count(query.prompt) + $0.count(query.target) }
        if let span = query.dialogueSpan {
            // The question comes last: its dialogue moves by the exemplar blocks before it.
            let shift = query.prompt.unicodeScalars.count - question.unicodeScalars.count
            query.dialogueSpan = span.lowerBound + shift ..< span.upperBound + shift
        }
        return query
    }

    private func example(_ template: InstructionTemplate, _ set: TemplateSet, _ conversation: StoredConversation,
                         _ fields: FieldValues, variant: ExampleVariant, options: OptionsStyle?, exemplars: [Int64],
                         countTokens: Bool = true) -> Example {
        var values = fields.values
        // Left unset without options, so `{{#options}}…{{/options}}` sections vanish too.
        if let options { values[TemplateField.options.rawValue] = options.render(set.options, withEnding: !template.placesOptions) }
        var prompt = template.prompt.render(values)
        if let options, !template.placesOptions { prompt += "\n\n" + options.render(set.options, withEnding: true) }
        let target = template.target.render(values)
        // Multi-reference splits (DialogSum test) keep every alternative the target could be.
        var references = [target]
        if template.targetFields.count == 1, let field = template.targetFields.first, let texts = fields.alternatives[field], texts.count > 1 {
            references = texts.map { template.target.render(values.merging([field.rawValue: $0]) { $1 }) }
        }
        return Example(conversationID: conversation.id, task: set.task, templateID: template.id, variant: variant,
                       split: conversation.split, prompt: prompt, target: target, references: references, exemplars: exemplars,
                       dialogueSpan: Self.span(of: values[TemplateField.dialogue.rawValue], in: prompt),
                       tokens: countTokens ? configuration.tokenCounter.map { $0.count(prompt) + $0.count(target) } : nil)
    }

    /// The first place `dialogue` appears in `prompt`, in Unicode scalars.
    static func span(of dialogue: String?, in prompt: String) -> Range<Int>? {
        guard let dialogue, !dialogue.isEmpty, let range = prompt.range(of: dialogue) else { return nil }
        let start = prompt.unicodeScalars.distance(from: prompt.startIndex, to: range.lowerBound)
        return start ..< start + dialogue.unicodeScalars.count
    }
}
