extension Preset {
    /// Adium chat transcripts (`.chatlog`, the Unified Logging Format): one `<chat>` per file,
    /// a turn per `<message sender time>`. The text is the message's whole text: Adium wraps it
    /// in `<div>`/`<span>` formatting elements. `<event>` and `<status>` elements (window
    /// opened, went away) are not turns.
    public static let adium = Preset(
        name: "adium",
        summary: "Adium chatlog XML: one conversation per <chat>, a turn per <message sender time> (text inside div/span)",
        xml: XMLMapping(conversation: "chat", turn: "message", speaker: "@sender", text: ".", time: "@time"),
        root: "chat",
        example: #"<chat account="me@jabber.org"><message sender="ann@jabber.org" time="2008-07-08T20:49:42-07:00"><div><span>hi</span></div></message></chat>"#)
}
