import CurateCore

/// How sources that store one message per record (a CSV row per chat line, a tweet per row,
/// an XML element per post) become conversations: which records belong together, in what
/// order, and which fields make the turn.
///
/// Read counts for these sources count conversations built plus records rejected.
public struct MessageMapping: Sendable {
    public enum Grouping: Sendable {
        /// Consecutive records with the same value here form one conversation. Streaming: a
        /// conversation is complete when the key changes, so a key that comes back after
        /// another conversation is rejected with a hint to sort the file.
        case key(FieldPath)
        /// The whole file is one conversation (an NPS chat-room session).
        case wholeFile
        /// Reply threads (Twitter): each record names the record it answers. A thread is a
        /// record that answers nothing in the file plus every reply below it, in depth-first
        /// order with replies sorted by id. Threads can only be complete at the end of the
        /// file, so this holds the file's messages in memory (about 200 bytes plus the text
        /// per message).
        case replyThreads(id: FieldPath, inReplyTo: FieldPath)
    }

    public var grouping: Grouping
    /// Sorts messages within a conversation (numerically when every value is a number);
    /// nil keeps file order.
    public var order: FieldPath?
    public var speaker: FieldPath
    public var text: FieldPath
    /// The role label; the speaker when nil.
    public var role: FieldPath?
    public var time: FieldPath?
    /// Source role labels (lowercased) → roles. Unlisted labels become `.other`.
    public var roles: [String: Role]
    /// Entity spans of the message's text, relative to the record.
    public var entities: EntityMapping?
    /// Conversation labels. Exports repeat them on every message row (or give them on one),
    /// so each label is taken from the first message of the conversation that has it.
    public var annotations: AnnotationMapping
    /// Records whose field here has another value are not messages and are skipped, not
    /// rejected: a Bot Framework transcript interleaves `typing` and `conversationUpdate`
    /// activities with its `message` ones.
    public var only: (field: FieldPath, equals: String)?

    public init(grouping: Grouping, order: FieldPath? = nil, speaker: FieldPath, text: FieldPath, role: FieldPath? = nil,
                time: FieldPath? = nil, roles: [String: Role] = [:], entities: EntityMapping? = nil,
                annotations: AnnotationMapping = AnnotationMapping(), only: (field: FieldPath, equals: String)? = nil) {
        self.grouping = grouping
        self.order = order
        self.speaker = speaker
        self.text = text
        self.role = role
        self.time = time
        self.roles = roles
        self.entities = entities
        self.annotations = annotations
        self.only = only
    }

    /// Every record-level field the mapping names, for checking a CSV header against it.
    var fields: [FieldPath] {
        let groupFields: [FieldPath]
        switch grouping {
        case .key(let key): groupFields = [key]
        case .wholeFile: groupFields = []
        case .replyThreads(let id, let inReplyTo): groupFields = [id, inReplyTo]
        }
        return groupFields + [order, speaker, text, role, time, only?.field].compactMap { $0 }
            + (entities?.fields ?? []) + annotations.fields
    }

    func isMessage(_ record: JSONValue) -> Bool {
        guard let (field, value) = only else { return true }
        return scalarText(field.lookup(in: record)) == value
    }

    func turn(from record: JSONValue, fail: (String, String, String) -> Diagnostic) throws -> Turn {
        let value = text.lookup(in: record)
        guard let text = textValue(value), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw fail("empty-turn", "the message has no text at '\(self.text)'\(notText(value))", "remove the record or give it text")
        }
        let speaker = scalarText(speaker.lookup(in: record)) ?? ""
        let label = (role.flatMap { scalarText($0.lookup(in: record)) } ?? speaker).lowercased()
        let spans = try entities?.spans(in: record, turnText: text, turnName: "'\(self.text)'", fail: fail) ?? []
        return Turn(speaker: speaker, role: roles[label] ?? Role(rawValue: label) ?? .other, text: text,
                    time: time.flatMap { scalarText($0.lookup(in: record)) }, entities: spans)
    }
}
