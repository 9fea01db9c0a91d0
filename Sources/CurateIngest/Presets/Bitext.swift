extension Preset {
    /// Bitext customer-support training set: each row is a customer instruction and the
    /// agent's response. The row's entity (`entity_type`, `entity_value`, `start_offset`,
    /// `end_offset`) becomes a span on the customer turn when the offsets cut out exactly
    /// `entity_value`; a row where they do not is rejected (`entity-offset-mismatch`). The
    /// intent and its category are kept as topics.
    public static let bitext = Preset(
        name: "bitext",
        summary: "Bitext customer support CSV: instruction (customer), response (agent), intent, category, entity_type/value/start_offset/end_offset",
        container: .csv(CSVOptions()),
        mapping: .conversationPerRecord(RecordMapping(
            id: nil,
            turns: .fields([
                .init(text: "instruction", speaker: "customer", role: .user,
                      entities: EntityMapping(spans: .record, label: "entity_type", start: "start_offset", end: "end_offset",
                                              text: "entity_value")),
                .init(text: "response", speaker: "agent", role: .assistant),
            ]),
            topics: ["intent", "category"])),
        signature: ["instruction", "response", "intent"],
        example: #"instruction,intent,entity_type,entity_value,start_offset,end_offset,category,response\n"cancel purchase 1135",cancel_order,order_id,1135,16,20,ORDER,"Sure, …""#)
}
