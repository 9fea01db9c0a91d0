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
        guard let text = scalarText(text.lookup(in: record)), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw fail("empty-turn", "the message has no text at '\(self.text)'", "remove the record or give it text")
        }
        let speaker = scalarText(speaker.lookup(in: record)) ?? ""
        let label = (role.flatMap { scalarText($0.lookup(in: record)) } ?? speaker).lowercased()
        let spans = try entities?.spans(in: record, turnText: text, turnName: "'\(self.text)'", fail: fail) ?? []
        return Turn(speaker: speaker, role: roles[label] ?? Role(rawValue: label) ?? .other, text: text,
                    time: time.flatMap { scalarText($0.lookup(in: record)) }, entities: spans)
    }
}

/// Collects message records into conversations as `MessageMapping.grouping` says.
struct MessageGrouper {
    let mapping: MessageMapping
    let site: DiagnosticSite
    let provenance: (String) -> Provenance

    private struct Message {
        var turn: Turn
        var sortKey: String?
        var locator: String
        var annotations: Annotations
    }

    func read(_ reader: any RecordReader, _ emit: (IngestEvent) throws -> Void) throws {
        switch mapping.grouping {
        case .key(let key): try readContiguous(reader, key: key, emit)
        case .wholeFile: try readContiguous(reader, key: nil, emit)
        case .replyThreads(let id, let inReplyTo): try readThreads(reader, id: id, inReplyTo: inReplyTo, emit)
        }
    }

    private func message(_ record: SourceRecord) throws -> Message {
        let turn = try mapping.turn(from: record.value, fail: failure(record))
        return Message(turn: turn, sortKey: mapping.order.flatMap { scalarText($0.lookup(in: record.value)) },
                       locator: record.member.map { "\($0) \(record.locator)" } ?? record.locator,
                       annotations: try mapping.annotations.annotations(from: record.value, fail: failure(record)))
    }

    private func failure(_ record: SourceRecord) -> (String, String, String) -> Diagnostic {
        let file = record.member.map { "\(site.file)/\($0)" } ?? site.file
        return { reason, message, hint in
            Diagnostic(file: file, locator: record.locator, reason: reason, message: message, hint: hint, excerpt: record.excerpt)
        }
    }

    private func readContiguous(_ reader: any RecordReader, key: FieldPath?, _ emit: (IngestEvent) throws -> Void) throws {
        var current: (key: String, messages: [Message])?
        // 64-bit hashes of the keys already closed, not the keys: 8 bytes per conversation
        // keeps a million-conversation file's bookkeeping near 16 MB (a false "continues
        // here" needs a hash collision, about 1 in 10^7 at that size).
        var finished: Set<UInt64> = []
        func flush() throws {
            guard let group = current else { return }
            finished.insert(StableHash.fnv1a64(group.key))
            try emit(.conversation(conversation(group.messages, id: key == nil ? nil : group.key)))
            current = nil
        }
        try reader.read { event in
            switch event {
            case .rejected(let diagnostic): try emit(.rejected(diagnostic))
            case .record(let record) where mapping.isMessage(record.value):
                do {
                    let groupKey = try key.map { field in
                        guard let value = scalarText(field.lookup(in: record.value)) else {
                            throw failure(record)("missing-field", "field '\(field)' is missing, and it is the conversation key",
                                                  "give every message the id of its conversation")
                        }
                        return value
                    } ?? ""
                    if current?.key != groupKey {
                        try flush()
                        if finished.contains(StableHash.fnv1a64(groupKey)) {
                            throw failure(record)("unsorted-conversation", "conversation '\(groupKey)' continues here after other conversations",
                                                  "sort the file by '\(key!)' so each conversation's messages are together")
                        }
                        current = (groupKey, [])
                    }
                    current!.messages.append(try message(record))
                } catch let diagnostic as Diagnostic {
                    try emit(.rejected(diagnostic))
                }
            case .record:
                break
            }
        }
        try flush()
    }

    private func readThreads(_ reader: any RecordReader, id: FieldPath, inReplyTo: FieldPath, _ emit: (IngestEvent) throws -> Void) throws {
        var messages: [String: Message] = [:]
        var parents: [String: String] = [:]
        var order: [String] = []
        try reader.read { event in
            switch event {
            case .rejected(let diagnostic): try emit(.rejected(diagnostic))
            case .record(let record) where mapping.isMessage(record.value):
                do {
                    guard let messageID = scalarText(id.lookup(in: record.value)) else {
                        throw failure(record)("missing-field", "field '\(id)' is missing, and it is the message id", "give every message an id")
                    }
                    guard messages[messageID] == nil else {
                        throw failure(record)("duplicate-id", "id \(messageID) was already used at \(messages[messageID]!.locator)",
                                              "remove the repeated record")
                    }
                    messages[messageID] = try message(record)
                    parents[messageID] = scalarText(inReplyTo.lookup(in: record.value))
                    order.append(messageID)
                } catch let diagnostic as Diagnostic {
                    try emit(.rejected(diagnostic))
                }
            case .record:
                break
            }
        }
        var replies: [String: [String]] = [:]
        for messageID in order { if let parent = parents[messageID], messages[parent] != nil { replies[parent, default: []].append(messageID) } }
        var threaded: Set<String> = []
        for root in order where parents[root].map({ messages[$0] == nil }) ?? true {
            var thread: [Message] = []
            var stack = [root]
            while let next = stack.popLast() {
                threaded.insert(next)
                thread.append(messages[next]!)
                stack.append(contentsOf: (replies[next] ?? []).sorted(by: Self.idOrder).reversed())
            }
            try emit(.conversation(conversation(thread, id: root, keepOrder: true)))
        }
        for messageID in order where !threaded.contains(messageID) {
            let locator = messages[messageID]!.locator
            try emit(.rejected(Diagnostic(file: site.file, locator: locator, reason: "reply-cycle",
                                          message: "message \(messageID) is in a reply cycle: following its replies-to never reaches a first message",
                                          hint: "fix the reply ids of this thread")))
        }
    }

    /// Numbers numerically, anything else as text.
    static func idOrder(_ a: String, _ b: String) -> Bool {
        if let x = Double(a), let y = Double(b) { return x < y }
        return a < b
    }

    private func conversation(_ messages: [Message], id: String?, keepOrder: Bool = false) -> Conversation {
        var messages = messages
        if !keepOrder, mapping.order != nil {
            messages = messages.enumerated().sorted { a, b in
                let (x, y) = (a.element.sortKey ?? "", b.element.sortKey ?? "")
                return x == y ? a.offset < b.offset : Self.idOrder(x, y)
            }.map(\.element)
        }
        var annotations = Annotations()
        annotations.summaries = messages.first { !$0.annotations.summaries.isEmpty }?.annotations.summaries ?? []
        annotations.topics = messages.first { !$0.annotations.topics.isEmpty }?.annotations.topics ?? []
        annotations.rating = messages.lazy.compactMap(\.annotations.rating).first
        annotations.entitiesLabelled = mapping.entities != nil
        return Conversation(externalID: id, turns: messages.map(\.turn), annotations: annotations,
                            provenance: provenance(messages.first!.locator))
    }
}
