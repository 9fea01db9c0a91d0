extension Preset {
    /// Taskmaster-1 and -2 (Byrne et al. 2019): a JSON array of dialogues whose utterances
    /// carry `segments` — `start_index`/`end_index` (exclusive) character offsets, the
    /// segment's text and its annotation names (`restaurant_reservation.time.reservation`). Each
    /// segment becomes a checked entity span labelled with its first annotation's name.
    public static let taskmaster = Preset(
        name: "taskmaster",
        summary: "Taskmaster JSON array: conversation_id, utterances[{speaker: USER|ASSISTANT, text, segments[{start_index, end_index, text, annotations[{name}]}]}]",
        container: .json,
        mapping: .conversationPerRecord(RecordMapping(
            id: "conversation_id",
            turns: .list("utterances", speaker: "speaker", text: "text", role: "speaker", time: nil,
                         entities: EntityMapping(spans: "segments.*", label: "annotations.0.name", start: "start_index", end: "end_index",
                                                 text: "text")))),
        signature: ["conversation_id", "utterances"],
        example: #"[{"conversation_id": "dlg-0005", "utterances": [{"index": 0, "speaker": "USER", "text": "A table at 7 pm", "segments": [{"start_index": 11, "end_index": 15, "text": "7 pm", "annotations": [{"name": "restaurant_reservation.time.reservation"}]}]}]}]"#)
}
