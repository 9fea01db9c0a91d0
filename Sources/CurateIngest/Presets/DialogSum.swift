extension Preset {
    /// DialogSum (Chen et al. 2021): `#PersonN#:` transcripts; train/dev carry `summary` and
    /// `topic`, the test split `summary1…3` and `topic1…3`, all of which are kept.
    public static let dialogsum = Preset(
        name: "dialogsum",
        summary: "DialogSum JSONL: fname, dialogue with #PersonN#: lines, summary[1-3], topic[1-3]",
        container: .json,
        mapping: .conversationPerRecord(RecordMapping(
            id: "fname",
            turns: .transcript("dialogue", .hashTags),
            summaries: ["summary", "summary1", "summary2", "summary3"],
            topics: ["topic", "topic1", "topic2", "topic3"])),
        signature: ["fname", "dialogue"],
        example: ##"{"fname": "train_0", "dialogue": "#Person1#: Hi.\n#Person2#: Hello.", "summary": "They greet.", "topic": "greeting"}"##)
}
