import CurateCore

/// Collects message records into conversations as `MessageMapping.grouping` says.
///
/// **A conversation is stored whole or not at all.** When a message that belongs to it cannot
/// be read (no text, a CSV quoting error, a bad entity span), the message is rejected with its
/// own reason and the conversation is rejected too (`incomplete-conversation`, naming the
/// messages it lacks): a dialogue with a hole in it is wrong training data. Which
/// conversation an unreadable record belongs to:
/// - grouped by key: one whose key can be read belongs to that conversation; one that cannot
///   be split into fields at all could be the last message of the conversation before it or
///   the first of the one after, so both are rejected;
/// - the whole file: the one conversation;
/// - reply threads: the thread of its id (a thread whose first message is unreadable is
///   rejected too); a row whose id cannot be read cannot be placed, and is only rejected itself;
/// - readers that know (Slack day files) say so.
///
/// A conversation whose every message was rejected adds nothing beyond those rejects, and one
/// made only of notices (role `system`: a Slack day of join messages) is no conversation and
/// is skipped, like the non-message records `MessageMapping.only` skips.
struct MessageGrouper {
    let mapping: MessageMapping
    let site: DiagnosticSite
    let provenance: (String) -> Provenance

    private struct Message {
        var turn: Turn
        var sortKey: String?
        /// The record's locator, with its member file in folder sources: `general/2024-03-04.json line 9`.
        var locator: String
        var file: String
        var line: String
        var member: String?
        var annotations: Annotations
    }

    /// A conversation being collected: the messages read, and where the ones that belong to
    /// it but could not be read are.
    private struct Group {
        var key: String
        var messages: [Message] = []
        var holes: [String] = []
    }

    func read(_ reader: any RecordReader, _ emit: (IngestEvent) throws -> Void) throws {
        switch mapping.grouping {
        case .key(let key): try readContiguous(reader, key: key, emit)
        case .wholeFile: try readContiguous(reader, key: nil, emit)
        case .replyThreads(let id, let inReplyTo): try readThreads(reader, id: id, inReplyTo: inReplyTo, emit)
        }
    }

    private func message(_ record: SourceRecord) throws -> Message {
        if let rejection = record.rejection { throw rejection }
        let turn = try mapping.turn(from: record.value, fail: failure(record))
        return Message(turn: turn, sortKey: mapping.order.flatMap { scalarText($0.lookup(in: record.value)) },
                       locator: record.member.map { "\($0) \(record.locator)" } ?? record.locator,
                       file: record.member.map { "\(site.file)/\($0)" } ?? site.file, line: record.locator, member: record.member,
                       annotations: try mapping.annotations.annotations(from: record.value, fail: failure(record)))
    }

    private func failure(_ record: SourceRecord) -> (String, String, String) -> Diagnostic {
        let file = record.member.map { "\(site.file)/\($0)" } ?? site.file
        return { reason, message, hint in
            var diagnostic = Diagnostic(file: file, locator: record.locator, reason: reason, message: message, hint: hint, excerpt: record.excerpt)
            diagnostic.member = record.member
            return diagnostic
        }
    }

    /// The value of an id-like field, with integral floats written as integers: pandas writes
    /// an integer column with gaps as `3.0`, which must still name record `3`.
    static func canonicalID(_ value: JSONValue?) -> String? {
        guard let text = scalarText(value) else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty, parts[1].allSatisfy({ $0 == "0" }), Int(parts[0]) != nil else { return text }
        return String(parts[0])
    }

    private func readContiguous(_ reader: any RecordReader, key: FieldPath?, _ emit: (IngestEvent) throws -> Void) throws {
        var current: Group?
        // 64-bit hashes of the keys already closed, not the keys: 8 bytes per conversation
        // keeps a million-conversation file's bookkeeping near 16 MB (a false "continues
        // here" needs a hash collision, about 1 in 10^7 at that size).
        var finished: Set<UInt64> = []
        // Unreadable records since the last message, not yet known to be inside a conversation.
        var unplaced: [String] = []
        // Unreadable records a reader placed in a conversation that has not closed yet.
        var placed: [String: [String]] = [:]
        func close() throws {
            guard var group = current else { return }
            current = nil
            finished.insert(StableHash.fnv1a64(group.key))
            group.holes += placed.removeValue(forKey: group.key) ?? []
            try finish(group.messages, holes: group.holes, id: key == nil ? nil : group.key, keepOrder: false, emit)
        }
        try reader.read { event in
            switch event {
            case .rejected(let diagnostic):
                try emit(.rejected(diagnostic))
                unplaced.append(diagnostic.sourceLocator)
            case .rejectedMessage(let diagnostic, let conversation):
                try emit(.rejected(diagnostic))
                if let conversation { placed[conversation, default: []].append(diagnostic.sourceLocator) }
            case .record(let record) where mapping.isMessage(record.value):
                do {
                    let groupKey = try key.map { field in
                        guard let value = Self.canonicalID(field.lookup(in: record.value)) else {
                            throw failure(record)("missing-field", "field '\(field)' is missing, and it is the conversation key",
                                                  "give every message the id of its conversation")
                        }
                        return value
                    } ?? ""
                    if current?.key != groupKey {
                        // Between two conversations, an unreadable record may be either's.
                        current?.holes += unplaced
                        try close()
                        if let key, finished.contains(StableHash.fnv1a64(groupKey)) {
                            throw failure(record)("unsorted-conversation", "conversation '\(groupKey)' continues here after other conversations",
                                                  "sort the file by '\(key)' so each conversation's messages are together")
                        }
                        current = Group(key: groupKey)
                    }
                    current?.holes += unplaced
                    unplaced = []
                    do {
                        current?.messages.append(try message(record))
                    } catch let diagnostic as Diagnostic {
                        try emit(.rejected(diagnostic))
                        current?.holes.append(diagnostic.sourceLocator)
                    }
                } catch let diagnostic as Diagnostic {
                    try emit(.rejected(diagnostic))
                    unplaced.append(diagnostic.sourceLocator)
                }
            case .record:
                break
            }
        }
        current?.holes += unplaced
        try close()
    }

    /// Emits a collected conversation, or its rejection when messages of it were unreadable.
    private func finish(_ messages: [Message], holes: [String], id: String?, keepOrder: Bool,
                        _ emit: (IngestEvent) throws -> Void) throws {
        guard let first = messages.first else { return }
        guard holes.isEmpty else {
            let shown = holes.prefix(5).joined(separator: ", ") + (holes.count > 5 ? ", …" : "")
            var diagnostic = Diagnostic(
                file: first.file, locator: first.line, reason: "incomplete-conversation",
                message: "conversation\(id.map { " '\($0)'" } ?? "") is left out whole: \(holes.count) of its \(messages.count + holes.count) messages could not be read (\(shown)), and a dialogue with a hole in it would be wrong training data",
                hint: "fix those records (each has its own reject) and ingest the file again")
            diagnostic.member = first.member
            return try emit(.rejected(diagnostic))
        }
        guard messages.contains(where: { $0.turn.role != .system }) else { return }
        try emit(.conversation(conversation(messages, id: id, keepOrder: keepOrder)))
    }

    private func readThreads(_ reader: any RecordReader, id: FieldPath, inReplyTo: FieldPath, _ emit: (IngestEvent) throws -> Void) throws {
        var messages: [String: Message] = [:]
        var parents: [String: String] = [:]
        // Rejected records whose id could be read: places by id, so their threads are known.
        var holes: [String: [String]] = [:]
        // Every id in the order first seen, messages and holes alike.
        var order: [String] = []
        try reader.read { event in
            switch event {
            case .rejected(let diagnostic), .rejectedMessage(let diagnostic, _):
                try emit(.rejected(diagnostic))
            case .record(let record) where mapping.isMessage(record.value):
                guard let messageID = Self.canonicalID(id.lookup(in: record.value)) else {
                    return try emit(.rejected(failure(record)("missing-field", "field '\(id)' is missing, and it is the message id",
                                                              "give every message an id")))
                }
                if messages[messageID] == nil && holes[messageID] == nil { order.append(messageID) }
                if parents[messageID] == nil { parents[messageID] = Self.canonicalID(inReplyTo.lookup(in: record.value)) }
                do {
                    if let earlier = messages[messageID] {
                        throw failure(record)("duplicate-id", "id \(messageID) was already used at \(earlier.locator)", "remove the repeated record")
                    }
                    messages[messageID] = try message(record)
                } catch let diagnostic as Diagnostic {
                    try emit(.rejected(diagnostic))
                    holes[messageID, default: []].append(diagnostic.sourceLocator)
                }
            case .record:
                break
            }
        }
        try checkRepliesResolve(parents: parents, messages: messages, holes: holes, inReplyTo: inReplyTo, id: id)
        let isNode = { (id: String) in messages[id] != nil || holes[id] != nil }
        var replies: [String: [String]] = [:]
        for messageID in order { if let parent = parents[messageID], isNode(parent) { replies[parent, default: []].append(messageID) } }
        var threaded: Set<String> = []
        for root in order where parents[root].map({ !isNode($0) }) ?? true {
            var thread: [Message] = []
            var missing: [String] = []
            var stack = [root]
            while let next = stack.popLast() {
                threaded.insert(next)
                if let message = messages[next] { thread.append(message) }
                missing += holes[next] ?? []
                stack.append(contentsOf: (replies[next] ?? []).sorted(by: Self.idOrder).reversed())
            }
            try finish(thread, holes: missing, id: root, keepOrder: true, emit)
        }
        for messageID in order where !threaded.contains(messageID) {
            guard let message = messages[messageID] else { continue }
            var diagnostic = Diagnostic(file: message.file, locator: message.line, reason: "reply-cycle",
                                        message: "message \(messageID) is in a reply cycle: following its replies-to never reaches a first message",
                                        hint: "fix the reply ids of this thread")
            diagnostic.member = message.member
            try emit(.rejected(diagnostic))
        }
    }

    /// Replies that name ids, none of which is in the file, mean the two columns do not hold
    /// the same kind of id (`3.0` against `3`, a prefix, another column): every record would
    /// silently become a one-turn conversation. That stops the file before anything of it is
    /// stored.
    private func checkRepliesResolve(parents: [String: String], messages: [String: Message], holes: [String: [String]],
                                     inReplyTo: FieldPath, id: FieldPath) throws {
        guard let example = parents.values.min(), !parents.values.contains(where: { messages[$0] != nil || holes[$0] != nil }) else { return }
        throw CurateError("\(site.file): none of the \(parents.count) '\(inReplyTo)' values is an '\(id)' in the file (e.g. '\(example)'), so no reply could be joined to its thread and every message would become a one-turn conversation — check that both columns hold the same ids, or use a mapping without reply threads")
    }

    /// Numbers numerically, anything else as text.
    static func idOrder(_ a: String, _ b: String) -> Bool {
        if let x = Double(a), let y = Double(b) { return x < y }
        return a < b
    }

    private func conversation(_ messages: [Message], id: String?, keepOrder: Bool) -> Conversation {
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
                            provenance: provenance(messages[0].locator))
    }
}
