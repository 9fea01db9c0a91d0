extension Preset {
    /// MSN / Windows Live Messenger history (`<Log>`, one file per contact): a turn per
    /// `<Message DateTime SessionID>` with the sender's `From/User/@FriendlyName` and the
    /// `<Text>`. A file appends every session with that contact, so each `SessionID` is one
    /// conversation. `<Invitation>` and `<Join>` elements are not turns.
    public static let msn = Preset(
        name: "msn",
        summary: "MSN Messenger XML: <Log> of <Message DateTime SessionID> with From/User@FriendlyName and Text; one conversation per SessionID",
        xml: XMLMapping(conversation: "Log", turn: "Message", id: "@SessionID", speaker: "From/User/@FriendlyName", text: "Text",
                        time: "@DateTime"),
        root: "Log",
        example: #"<Log><Message DateTime="2005-10-10T20:00:00.000Z" SessionID="1"><From><User FriendlyName="Alice"/></From><Text>hi</Text></Message></Log>"#)
}
