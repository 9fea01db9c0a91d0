extension Preset {
    /// Microsoft Bot Framework transcripts (the Emulator's `.transcript` files, transcript
    /// logger blobs): a JSON array of activities. Only `type: message` activities are turns —
    /// `typing` and `conversationUpdate` are skipped, not rejected; a message with no text (a
    /// card alone) is rejected as `empty-turn`. Activities are grouped by `conversation.id`;
    /// `from.role` `bot` is the assistant.
    public static let botFramework = Preset(
        name: "botframework",
        summary: "Bot Framework transcript JSON array of activities: type message, from{name, role: user|bot}, text, timestamp, conversation.id",
        container: .json,
        mapping: .messagePerRecord(MessageMapping(
            grouping: .key("conversation.id"), speaker: "from.name", text: "text", role: "from.role", time: "timestamp",
            roles: ["bot": .assistant], only: (field: "type", equals: "message"))),
        signature: ["type", "from", "conversation"],
        example: #"[{"type": "message", "timestamp": "2019-05-02T10:00:01Z", "from": {"name": "Bot", "role": "bot"}, "conversation": {"id": "c1"}, "text": "Hello!"}]"#)
}
