extension Preset {
    /// curate's own JSONL shape: a list of turn objects plus conversation-level labels. It is
    /// what the shipped demo sample uses and the easiest target for a custom export script.
    public static let curateNative = Preset(
        name: "curate",
        summary: "curate JSONL: id, turns[{speaker, role, text, time}], summary, topic, csat (good/bad)",
        container: .json,
        mapping: .conversationPerRecord(RecordMapping(
            id: "id",
            turns: .list("turns", speaker: "speaker", text: "text", role: "role", time: "time"),
            summaries: ["summary"],
            topics: ["topic"],
            rating: (field: "csat", scale: .goodBad),
            roles: ["customer": .user, "agent": .assistant, "bot": .assistant])),
        signature: ["id", "turns"],
        example: #"{"id": "c1", "turns": [{"speaker": "Maya", "role": "customer", "text": "Hi"}], "summary": "…", "topic": "billing", "csat": "good"}"#)
}
