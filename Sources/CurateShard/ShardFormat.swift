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

extension StoredExample {
    /// The sidecar line: what the shard line is, for evaluation and audits.
    var metaLine: String {
        JSONValue.object([
            ("example", .int(Int(id))), ("conversation", .int(Int(example.conversationID))), ("task", .string(example.task)),
            ("template", .string(example.templateID)), ("variant", .string(example.variant.description)),
            ("references", .array(example.references.map(JSONValue.string))),
        ] + (example.exemplars.isEmpty ? [] : [("exemplars", .array(example.exemplars.map { .int(Int($0)) }))])
          + (example.dialogueSpan.map { [("dialogue", .array([.int($0.lowerBound), .int($0.upperBound)]))] } ?? [])).text()
    }
}
