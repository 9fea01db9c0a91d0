extension Preset {
    /// Schema-Guided Dialogue (Rastogi et al. 2020): a JSON array of dialogues whose USER and
    /// SYSTEM turns carry slot spans (`frames[].slots[]` with `start`/`exclusive_end` character
    /// offsets into the utterance), kept as entity spans labelled with the slot name.
    public static let sgd = Preset(
        name: "sgd",
        summary: "Schema-Guided Dialogue JSON array: dialogue_id, turns[{speaker: USER|SYSTEM, utterance, frames[{slots[{slot, start, exclusive_end}]}]}]",
        container: .json,
        mapping: .conversationPerRecord(RecordMapping(
            id: "dialogue_id",
            turns: .list("turns", speaker: "speaker", text: "utterance", role: "speaker", time: nil,
                         entities: EntityMapping(spans: "frames.*.slots.*", label: "slot", start: "start", end: "exclusive_end")),
            roles: ["system": .assistant])),
        signature: ["dialogue_id", "turns"],
        example: #"[{"dialogue_id": "1_00000", "turns": [{"speaker": "USER", "utterance": "A table at Sino", "frames": [{"slots": [{"slot": "restaurant_name", "start": 11, "exclusive_end": 15}]}]}]}]"#)
}
