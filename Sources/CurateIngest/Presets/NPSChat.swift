extension Preset {
    /// NPS Chat Corpus (Forsyth & Martell 2007): each file is one chat-room session, kept as
    /// one conversation of its `<Post user= class=>` elements. Posts of class `System` (JOIN,
    /// PART, NICK, `.ACTION` lines) are kept as turns with role `system`, so the session reads
    /// as it happened and templates can leave them out by role; every other dialogue-act class
    /// is a participant, role `other`.
    public static let npsChat = Preset(
        name: "nps-chat",
        summary: "NPS Chat XML: one conversation per <Session>, a turn per <Post user class> (class System → role system)",
        container: .xml(XMLOptions(recordElement: "Post")),
        mapping: .messagePerRecord(MessageMapping(grouping: .wholeFile, speaker: "user", text: "text", role: "class",
                                                  roles: ["system": .system])),
        signature: ["Session"],
        example: #"<Session><Posts><Post class="Greet" user="10-19-20sUser59">hey everyone<terminals>…</terminals></Post></Posts></Session>"#)
}
