/// One instruction-tuning example: a rendered prompt and its target, with everything needed
/// to trace it back (conversation, task, template) and to score it (all references).
public struct Example: Hashable, Sendable {
    public var conversationID: Int64
    public var task: String
    public var templateID: String
    /// `zero-shot` today; few-shot and options variants extend this.
    public var variant: String
    public var split: Split
    public var prompt: String
    public var target: String
    /// Every acceptable answer, the target first. Evaluation scores against the best one.
    public var references: [String]

    public init(conversationID: Int64, task: String, templateID: String, variant: String, split: Split,
                prompt: String, target: String, references: [String]) {
        self.conversationID = conversationID
        self.task = task
        self.templateID = templateID
        self.variant = variant
        self.split = split
        self.prompt = prompt
        self.target = target
        self.references = references
    }
}

/// An example with its store row id: what mixtures list and shards write.
public struct StoredExample: Hashable, Sendable {
    public var id: Int64
    public var example: Example

    public init(id: Int64, example: Example) {
        self.id = id
        self.example = example
    }
}
