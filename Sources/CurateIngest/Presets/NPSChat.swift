extension Preset {
    /// NPS Chat Corpus (Forsyth & Martell 2007): each file is one chat-room session, kept as
    /// one conversation of its `<Post user= class=>` elements. A post's text is its own text,
    /// not its children's: it is followed by a `<terminals>` element of POS tags, which is not
    /// part of what was said. Posts of class `System` (JOIN, PART, NICK, `.ACTION` lines) are
    /// kept as turns with role `system`, so the session reads as it happened and templates can
    /// leave them out by role; every other dialogue-act class is a participant, role `other`.
    public static let npsChat = Preset(
        name: "nps-chat",
        summary: "NPS Chat XML: one conversation per <Session>, a turn per <Post user class> (class System → role system)",
        xml: XMLMapping(conversation: "Session", turn: "Posts/Post", speaker: "@user", text: "text()", role: "@class",
                        roles: ["system": .system]),
        root: "Session",
        example: #"<Session><Posts><Post class="Greet" user="10-19-20sUser59">hey everyone<terminals>…</terminals></Post></Posts></Session>"#)
}
