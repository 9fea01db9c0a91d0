extension Preset {
    /// SAMSum (Gliwa et al. 2019) as released: one JSON array of `{id, summary, dialogue}`,
    /// messenger-style `Name: text` lines (mixed `\n` and `\r\n`).
    public static let samsum = Preset(
        name: "samsum",
        summary: "SAMSum JSON array (or JSONL): id, summary, dialogue with 'Name: text' lines",
        container: .json,
        mapping: .conversationPerRecord(RecordMapping(id: "id", turns: .transcript("dialogue", .nameColon), summaries: ["summary"])),
        signature: ["id", "summary", "dialogue"],
        example: #"[{"id": "13818513", "summary": "Amanda baked cookies.", "dialogue": "Amanda: I baked cookies.\r\nJerry: Sure!"}]"#)

    /// SAMSum as CSV (the DiaSynth copy of validation + test): one conversation per row. Its
    /// `id` column is a running number, not the SAMSum id, so it is not kept as the id; the
    /// row's line is the locator.
    public static let samsumCSV = Preset(
        name: "samsum-csv",
        summary: "SAMSum CSV, one conversation per row: dialogue ('Name: text' lines, quoted multi-line cell), summary",
        container: .csv(CSVOptions()),
        mapping: .conversationPerRecord(RecordMapping(id: nil, turns: .transcript("dialogue", .nameColon), summaries: ["summary"])),
        signature: ["dialogue", "summary"],
        example: #",dialogue,summary,id\n0,"A: Hi Tom\r\nB: Hi!",A greets Tom.,0"#)
}
