/// ChatML rendering, byte for byte as SmolLM2's Jinja chat template produces it:
///
///     {% for message in messages %}
///       {% if loop.first and messages[0]['role'] != 'system' %}<|im_start|>system\n{default}<|im_end|>\n{% endif %}
///       <|im_start|>{role}\n{content}<|im_end|>\n
///     {% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}
///
/// A Jinja interpreter would be a project of its own; instead `init(gguf:)` checks that the
/// file's template is this ChatML shape and reads the default system prompt out of it.
public struct ChatTemplate: Equatable, Sendable {
    public struct Message: Equatable, Sendable {
        public let role: String
        public let content: String
        public init(role: String, content: String) { (self.role, self.content) = (role, content) }
    }

    /// Inserted when the first message is not a system message (nil: insert nothing).
    public let defaultSystemPrompt: String?

    public init(defaultSystemPrompt: String?) { self.defaultSystemPrompt = defaultSystemPrompt }

    public init(gguf: GGUFFile) throws {
        let source = try gguf.string("tokenizer.chat_template")
        let turn = "'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'"
        guard source.contains(turn), source.contains("'<|im_start|>assistant\n'") else {
            throw ModelError.unsupported("chat template is not ChatML: \(source.prefix(120))…")
        }
        let open = "'<|im_start|>system\n"
        if let start = source.range(of: open), let end = source.range(of: "<|im_end|>", range: start.upperBound ..< source.endIndex) {
            defaultSystemPrompt = String(source[start.upperBound ..< end.lowerBound])
        } else {
            defaultSystemPrompt = nil
        }
    }

    /// The text a model is prompted with for one user message (after an optional system
    /// message), up to and including the assistant header. Evaluation generates from it and
    /// training puts the answer right after it, so the two can never disagree on the prompt.
    public func prompt(system: String?, user: String) -> String {
        render((system.map { [Message(role: "system", content: $0)] } ?? []) + [Message(role: "user", content: user)])
    }

    public func render(_ messages: [Message], addGenerationPrompt: Bool = true) -> String {
        var out = ""
        if let system = defaultSystemPrompt, let first = messages.first, first.role != "system" {
            out += "<|im_start|>system\n\(system)<|im_end|>\n"
        }
        for m in messages { out += "<|im_start|>\(m.role)\n\(m.content)<|im_end|>\n" }
        if addGenerationPrompt { out += "<|im_start|>assistant\n" }
        return out
    }
}
