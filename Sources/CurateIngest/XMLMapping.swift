import CurateCore

/// A mapping for chat logs in any XML shape, written as `XMLPath`s: which elements are
/// conversations, which elements inside them are turns, and where each turn's speaker, text,
/// role and time are. It becomes what the XML reader takes from each turn element plus a
/// `MessageMapping` that groups those turns, so XML logs go through the same grouping (and
/// the same rejections) as a CSV of message rows.
public struct XMLMapping: Sendable {
    /// From the root element: `Session`, `chat`, `Log`.
    public var conversation: XMLPath
    /// Below a conversation element: `Posts/Post`, `message`.
    public var turn: XMLPath
    /// Splits a conversation element into conversations where this value changes, and names
    /// them (an MSN log holds one contact's sessions, each `Message` naming its `@SessionID`).
    /// Without it, each conversation element is one conversation, named by its number.
    public var id: XMLPath?
    public var speaker: XMLPath
    public var text: XMLPath
    /// The role label; the speaker when nil.
    public var role: XMLPath?
    public var time: XMLPath?
    /// Source role labels (lowercased) → roles. Unlisted labels become `.other`.
    public var roles: [String: Role]

    public init(conversation: XMLPath, turn: XMLPath, id: XMLPath? = nil, speaker: XMLPath, text: XMLPath,
                role: XMLPath? = nil, time: XMLPath? = nil, roles: [String: Role] = [:]) {
        self.conversation = conversation
        self.turn = turn
        self.id = id
        self.speaker = speaker
        self.text = text
        self.role = role
        self.time = time
        self.roles = roles
    }

    /// The turn fields under the names the message mapping reads them by.
    var options: XMLOptions {
        let named: [(String, XMLPath?)] = [("id", id), ("speaker", speaker), ("text", text), ("role", role), ("time", time)]
        return XMLOptions(conversation: conversation, turn: turn,
                          fields: named.compactMap { name, path in path.map { XMLOptions.Field(name: name, path: $0) } })
    }

    var messages: MessageMapping {
        MessageMapping(grouping: .key(FieldPath(id == nil ? XMLOptions.conversationField : "id")), speaker: "speaker", text: "text",
                       role: role == nil ? nil : "role", time: time == nil ? nil : "time", roles: roles)
    }
}

extension Preset {
    /// A preset for an XML format, from its path mapping; the signature is the root element.
    public init(name: String, summary: String, xml mapping: XMLMapping, root: String, example: String) {
        self.init(name: name, summary: summary, container: .xml(mapping.options), mapping: .messagePerRecord(mapping.messages),
                  signature: [root], example: example)
    }
}
