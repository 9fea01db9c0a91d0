import CurateCore

/// The record schemas trainers read. Each line of a shard is exactly one of these and nothing
/// else, so it loads unchanged; curate's own bookkeeping goes to the `.meta.jsonl` sidecar.
public enum ShardFormat: String, Sendable, CaseIterable {
    /// OpenAI chat fine-tuning: `{"messages": [{"role": "user", …}, {"role": "assistant", …}]}`,
    /// with an optional leading system message.
    case openaiChat = "openai-chat"
    /// TRL SFTTrainer's prompt-completion dataset: `{"prompt": …, "completion": …}`.
    case promptCompletion = "prompt-completion"

    func line(prompt: String, completion: String, system: String?) -> String {
        switch self {
        case .openaiChat:
            var messages: [JSONValue] = []
            if let system {
                messages.append(.object([("role", .string("system")), ("content", .string(system))]))
            }
            messages.append(.object([("role", .string("user")), ("content", .string(prompt))]))
            messages.append(.object([("role", .string("assistant")), ("content", .string(completion))]))
            return JSONValue.object([("messages", .array(messages))]).text()
        case .promptCompletion:
            return JSONValue.object([("prompt", .string(prompt)), ("completion", .string(completion))]).text()
        }
    }
}

/// One example as a shard needs it.
public struct ShardRecord: Sendable {
    public var exampleID: Int64
    public var conversationID: Int64
    public var task: String
    public var templateID: String
    public var variant: String
    public var prompt: String
    public var target: String
    public var references: [String]

    public init(exampleID: Int64, conversationID: Int64, task: String, templateID: String, variant: String,
                prompt: String, target: String, references: [String]) {
        self.exampleID = exampleID
        self.conversationID = conversationID
        self.task = task
        self.templateID = templateID
        self.variant = variant
        self.prompt = prompt
        self.target = target
        self.references = references
    }

    /// The sidecar line: what the shard line is, for evaluation and audits.
    var metaLine: String {
        JSONValue.object([
            ("example", .int(Int(exampleID))), ("conversation", .int(Int(conversationID))), ("task", .string(task)),
            ("template", .string(templateID)), ("variant", .string(variant)),
            ("references", .array(references.map(JSONValue.string))),
        ]).text()
    }
}
