extension Preset {
    /// OpenAI chat fine-tuning records: `messages[{role, content}]`; the role is also the
    /// speaker, since these logs name no people.
    public static let openAIChat = Preset(
        name: "openai-chat",
        summary: "OpenAI chat JSONL: messages[{role: system|user|assistant|tool, content}]",
        container: .json,
        mapping: .conversationPerRecord(RecordMapping(
            id: "id", turns: .list("messages", speaker: "role", text: "content", role: "role", time: nil))),
        signature: ["messages"],
        example: #"{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}"#)

    /// ShareGPT dumps (Vicuna, many HF sets): `conversations[{from, value}]`, `from` being
    /// human / gpt / system (or user / assistant in later copies).
    public static let shareGPT = Preset(
        name: "sharegpt",
        summary: "ShareGPT JSON array or JSONL: id, conversations[{from: human|gpt|system, value}]",
        container: .json,
        mapping: .conversationPerRecord(RecordMapping(
            id: "id", turns: .list("conversations", speaker: "from", text: "value", role: "from", time: nil),
            roles: ["human": .user, "gpt": .assistant, "chatgpt": .assistant, "bard": .assistant])),
        signature: ["conversations"],
        example: #"{"id": "x1", "conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello!"}]}"#)
}
