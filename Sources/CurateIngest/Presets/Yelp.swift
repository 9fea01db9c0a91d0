extension Preset {
    /// Yelp Open Dataset reviews: each review is a one-turn conversation (the reviewer's text)
    /// rated on the common 1–5 scale by its stars.
    public static let yelp = Preset(
        name: "yelp",
        summary: "Yelp review JSONL: review_id, text (one user turn), stars 1-5 (rating)",
        container: .json,
        mapping: .conversationPerRecord(RecordMapping(
            id: "review_id", turns: .fields([.init(text: "text", speaker: "reviewer", role: .user)]),
            rating: (field: "stars", scale: .stars))),
        signature: ["review_id", "stars", "text"],
        example: #"{"review_id": "lWC-xP3r", "stars": 4.0, "text": "Great pasta, slow service.", "date": "2014-10-11 03:34:02"}"#)
}
