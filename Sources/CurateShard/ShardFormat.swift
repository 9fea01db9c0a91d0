import CurateCore

/// The record schemas trainers read. Each line of a shard is exactly one of these and nothing
/// else, so it loads unchanged; curate's own bookkeeping goes to the `meta/` sidecars.
/// README "Shards and manifest" gives the TRL, Axolotl and LLaMA-Factory settings for each.
public enum ShardFormat: String, Sendable, CaseIterable {
    /// OpenAI chat fine-tuning: `{"messages": [{"role": "user", …}, {"role": "assistant", …}]}`,
    /// with an optional leading system message. TRL reads it as a conversational dataset.
    case openaiChat = "openai-chat"
    /// TRL SFTTrainer's standard prompt-completion dataset: `{"prompt": …, "completion": …}`,
    /// plain text with no chat template. TRL tokenizes the two and concatenates them, so the
    /// prompt ends with the configured separator (a newline by default): without it the
    /// answer would run straight on from the question's last word.
    case promptCompletion = "prompt-completion"
    /// TRL's conversational prompt-completion: `{"prompt": [{"role": "user", …}], "completion":
    /// [{"role": "assistant", …}]}` — the one format that gets both the model's chat template
    /// and completion-only loss in TRL.
    case conversationalPromptCompletion = "conversational-prompt-completion"
    /// Alpaca, as LLaMA-Factory and Axolotl read it: `{"instruction": …, "input": "", "output": …}`
    /// (with `system` when a system prompt is set). The whole prompt is the instruction.
    case alpaca
    /// ShareGPT, as LLaMA-Factory and Axolotl read it: `{"conversations": [{"from": "human", …},
    /// {"from": "gpt", …}]}`, a system prompt as a leading `from: system` turn.
    case sharegpt

    /// The record for one example. `separator` ends the prompt of `prompt-completion` only.
    func line(prompt: String, completion: String, system: String?, separator: String) -> String {
        let message = { (role: String, content: String) in JSONValue.object([("role", .string(role)), ("content", .string(content))]) }
        let systemMessages = system.map { [message("system", $0)] } ?? []
        switch self {
        case .openaiChat:
            return JSONValue.object([("messages", .array(systemMessages + [message("user", prompt), message("assistant", completion)]))]).text()
        case .promptCompletion:
            return JSONValue.object([("prompt", .string(prompt + separator)), ("completion", .string(completion))]).text()
        case .conversationalPromptCompletion:
            return JSONValue.object([("prompt", .array(systemMessages + [message("user", prompt)])),
                                     ("completion", .array([message("assistant", completion)]))]).text()
        case .alpaca:
            return JSONValue.object([("instruction", .string(prompt)), ("input", .string("")), ("output", .string(completion))]
                                    + (system.map { [("system", JSONValue.string($0))] } ?? [])).text()
        case .sharegpt:
            let turn = { (from: String, value: String) in JSONValue.object([("from", .string(from)), ("value", .string(value))]) }
            return JSONValue.object([("conversations", .array((system.map { [turn("system", $0)] } ?? [])
                                                             + [turn("human", prompt), turn("gpt", completion)]))]).text()
        }
    }

    /// The system prompt and user prompt of a record in this format, as `line` wrote them:
    /// what `curate eval` asks the model.
    public static func prompt(of record: JSONValue) -> (system: String?, prompt: String)? {
        let turns = record["messages"]?.arrayValue ?? record["prompt"]?.arrayValue ?? record["conversations"]?.arrayValue ?? []
        let role = { (turn: JSONValue) in turn["role"]?.stringValue ?? turn["from"]?.stringValue }
        let text = { (turn: JSONValue) in turn["content"]?.stringValue ?? turn["value"]?.stringValue }
        let system = record["system"]?.stringValue ?? turns.first { role($0) == "system" }.flatMap(text)
        if let prompt = record["prompt"]?.stringValue ?? record["instruction"]?.stringValue
            ?? turns.first(where: { ["user", "human"].contains(role($0)) }).flatMap(text) {
            return (system, prompt)
        }
        return nil
    }
}

extension ShardFormat {
    /// The answer of a record in any of these formats.
    public static func completion(of record: JSONValue) -> String? {
        let turns = record["messages"]?.arrayValue ?? record["completion"]?.arrayValue ?? record["conversations"]?.arrayValue ?? []
        let role = { (turn: JSONValue) in turn["role"]?.stringValue ?? turn["from"]?.stringValue }
        let text = { (turn: JSONValue) in turn["content"]?.stringValue ?? turn["value"]?.stringValue }
        return record["completion"]?.stringValue ?? record["output"]?.stringValue
            ?? turns.first(where: { ["assistant", "gpt"].contains(role($0)) }).flatMap(text)
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
