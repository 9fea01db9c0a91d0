import CurateCore
import Foundation

/// Reads an unzipped Slack workspace export: `users.json` beside one folder per channel, each
/// holding a `YYYY-MM-DD.json` array of that day's messages.
///
/// Slack's files do not line up with conversations: a thread's replies are filed under the
/// day they were posted, often days after the message they answer. So this reader holds one
/// channel at a time (bounded by the channel, like twcs by its file), and hands the message
/// mapping records already grouped, each with fields the export only implies:
///
/// - `conversation`: `CHANNEL/thread/TS` for a thread (its first message and every reply,
///   across days), else `CHANNEL/DAY` — a day's talk outside threads is one conversation;
/// - `speaker`: the display name from the message's `user_profile`, else `users.json`, else a
///   bot's `username`, else the raw id;
/// - `role`: `system` for join/leave/topic notices, `assistant` for bot messages only, `user`
///   for everything people post (files included);
/// - a `file_comment`'s speaker and text are the comment's (`comment.user`, `comment.comment`);
/// - `text`: Slack's markup resolved (`<@U1>` → `@Ann`, `<#C1|general>` → `#general`,
///   `<https://x|label>` → `label`, `&amp;` `&lt;` `&gt;` decoded);
/// - `ts`: the message's own timestamp, as Slack wrote it.
///
/// Records keep their day file and line, so rejects read `export/general/2024-03-04.json:12: …`.
struct SlackExportReader: RecordReader {
    let folder: URL
    let site: DiagnosticSite

    /// Subtypes that are notices about the channel rather than something someone said.
    static let noticeSubtypes: Set<String> = [
        "channel_join", "channel_leave", "channel_topic", "channel_purpose", "channel_name", "channel_archive",
        "channel_unarchive", "group_join", "group_leave", "pinned_item", "unpinned_item",
    ]

    func read(_ emit: (ReaderEvent) throws -> Void) throws {
        let users = try loadUsers(emit)
        for channel in try Self.channels(in: folder) {
            var messages: [Message] = []
            for day in try Self.dayFiles(in: folder.appendingPathComponent(channel)) {
                let member = "\(channel)/\(day)"
                let daySite = DiagnosticSite(file: "\(site.file)/\(member)")
                let dayKey = "\(channel)/\(day.dropLast(5))"
                // A day file's unreadable messages are counted against its channel-day
                // conversation: a broken element's thread cannot be known.
                func reject(_ diagnostic: Diagnostic, _ conversation: String?) throws {
                    var diagnostic = diagnostic
                    diagnostic.member = member
                    try emit(.rejectedMessage(diagnostic, conversation: conversation))
                }
                guard try FormatSniffer.firstByte(of: folder.appendingPathComponent(member)) != nil else {
                    try reject(daySite.diagnostic(line: 1, reason: "empty-file", message: "the day file is empty",
                                                  hint: "Slack writes at least []; re-export, or delete the file"), nil)
                    continue
                }
                try JSONArrayReader(url: folder.appendingPathComponent(member), site: daySite).read { event in
                    switch event {
                    case .rejected(let diagnostic), .rejectedMessage(let diagnostic, _):
                        try reject(diagnostic, dayKey)
                    case .record(var record):
                        guard let ts = record.value["ts"]?.stringValue else {
                            let thread = record.value["thread_ts"]?.stringValue.map { "\(channel)/thread/\($0)" }
                            return try reject(Diagnostic(
                                file: daySite.file, locator: record.locator, reason: "missing-field", message: "the message has no 'ts'",
                                hint: "Slack gives every message a ts; check that the file is from a Slack export", excerpt: record.excerpt),
                                thread ?? dayKey)
                        }
                        record.member = member
                        record.value = Self.message(record.value, ts: ts, users: users)
                        messages.append(Message(thread: record.value["thread_ts"]?.stringValue.map { "\(channel)/thread/\($0)" },
                                                day: dayKey, ts: ts, record: record))
                    }
                }
            }
            try emitGrouped(messages, emit)
        }
    }

    /// A channel message and the two conversations it can belong to.
    private struct Message {
        /// `CHANNEL/thread/TS` when the message is in a thread.
        var thread: String?
        /// `CHANNEL/DAY`, the day file it was filed under.
        var day: String
        var ts: String
        var record: SourceRecord
    }

    /// Emits a channel's messages conversation by conversation, conversations in the order of
    /// their first message. A "thread" with nothing but its first message (Slack marks some
    /// messages with their own ts as thread_ts) goes back into its day's conversation.
    private func emitGrouped(_ messages: [Message], _ emit: (ReaderEvent) throws -> Void) throws {
        var threadSizes: [String: Int] = [:]
        for message in messages { if let thread = message.thread { threadSizes[thread, default: 0] += 1 } }
        let regrouped = messages.map { message -> (key: String, ts: String, record: SourceRecord) in
            let thread = message.thread.flatMap { threadSizes[$0]! > 1 ? $0 : nil }
            return (thread ?? message.day, message.ts, message.record)
        }
        var firstSeen: [String: Double] = [:]
        for message in regrouped { firstSeen[message.key] = min(firstSeen[message.key] ?? .infinity, Double(message.ts) ?? 0) }
        let ordered = regrouped.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            if x.key != y.key { return (firstSeen[x.key]!, x.key) < (firstSeen[y.key]!, y.key) }
            return a.offset < b.offset
        }
        for (_, message) in ordered {
            var record = message.record
            record.value = .object((record.value.objectPairs ?? []) + [("conversation", .string(message.key))])
            try emit(.record(record))
        }
    }

    /// The message as the mapping reads it: the source's fields plus resolved speaker, role and text.
    static func message(_ value: JSONValue, ts: String, users: [String: String]) -> JSONValue {
        let subtype = value["subtype"]?.stringValue ?? ""
        // A file comment is written by the commenter, whose id and words are in `comment`.
        let comment = subtype == "file_comment" ? value["comment"] : nil
        let userID = comment?["user"]?.stringValue ?? value["user"]?.stringValue
        let profile = comment == nil ? value["user_profile"] : nil
        let speaker = [profile?["display_name"]?.stringValue, profile?["real_name"]?.stringValue,
                       userID.flatMap { users[$0] }, value["username"]?.stringValue, userID, value["bot_id"]?.stringValue]
            .compactMap { $0 }.first { !$0.isEmpty } ?? "unknown"
        let role = noticeSubtypes.contains(subtype) ? "system" : (isBot(value) ? "assistant" : "user")
        var fields = (value.objectPairs ?? []).filter { !["speaker", "role", "text", "conversation"].contains($0.0) }
        fields.append(("speaker", .string(speaker)))
        fields.append(("role", .string(role)))
        if let text = comment?["comment"]?.stringValue ?? value["text"]?.stringValue {
            fields.append(("text", .string(SlackMarkup.plain(text, users: users))))
        }
        return .object(fields)
    }

    /// Only bots speak as the assistant: a `bot_message`, or a message with a real `bot_id`.
    /// A person's `file_share` or `thread_broadcast` is theirs, and exports often write
    /// `"bot_id": null` on people's messages.
    static func isBot(_ value: JSONValue) -> Bool {
        if value["subtype"]?.stringValue == "bot_message" { return true }
        guard let bot = value["bot_id"]?.stringValue else { return false }
        return !bot.isEmpty
    }

    /// users.json: user id → the name people see (display name, else real name, else handle).
    /// A user entry that cannot be read is rejected like any record, so names that fall back
    /// to raw ids are explained.
    private func loadUsers(_ emit: (ReaderEvent) throws -> Void) throws -> [String: String] {
        let url = folder.appendingPathComponent("users.json")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CurateError("\(site.file): no users.json — a Slack export folder has users.json beside its channel folders; pass the unzipped export's top folder")
        }
        var users: [String: String] = [:]
        func reject(_ diagnostic: Diagnostic) throws {
            var diagnostic = diagnostic
            diagnostic.member = "users.json"
            try emit(.rejectedMessage(diagnostic, conversation: nil))
        }
        try JSONArrayReader(url: url, site: DiagnosticSite(file: "\(site.file)/users.json")).read { event in
            let record: SourceRecord
            switch event {
            case .record(let read): record = read
            case .rejected(let diagnostic), .rejectedMessage(let diagnostic, _): return try reject(diagnostic)
            }
            guard let id = record.value["id"]?.stringValue else {
                return try reject(Diagnostic(file: "\(site.file)/users.json", locator: record.locator, reason: "missing-field",
                                             message: "the user has no 'id'", hint: "check that users.json is from a Slack export",
                                             excerpt: record.excerpt))
            }
            let profile = record.value["profile"]
            users[id] = [profile?["display_name"]?.stringValue, profile?["real_name"]?.stringValue,
                         record.value["real_name"]?.stringValue, record.value["name"]?.stringValue]
                .compactMap { $0 }.first { !$0.isEmpty } ?? id
        }
        return users
    }

    /// Channel folders, sorted by name.
    static func channels(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { name in
            !name.hasPrefix(".") && FormatSniffer.isFolder(folder.appendingPathComponent(name))
        }.sorted()
    }

    /// A channel's day files (`YYYY-MM-DD.json`), in date order.
    static func dayFiles(in channel: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: channel.path).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
    }

    /// Every file the export's content depends on, relative to its folder, in a stable order:
    /// what the source fingerprint hashes.
    static func memberFiles(in folder: URL) throws -> [String] {
        let top = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        return try top + channels(in: folder).flatMap { channel in
            try dayFiles(in: folder.appendingPathComponent(channel)).map { "\(channel)/\($0)" }
        }
    }
}

/// Slack's message markup as plain text, scanned by hand (no Regex on this path).
enum SlackMarkup {
    static func plain(_ text: String, users: [String: String]) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            out += decodeEntities(rest[..<open])
            guard let close = rest[open...].firstIndex(of: ">") else { rest = rest[open...]; break }
            out += resolve(rest[rest.index(after: open)..<close], users: users)
            rest = rest[rest.index(after: close)...]
        }
        return out + decodeEntities(rest)
    }

    /// `@U1` / `@U1|ann` → `@Ann`; `#C1|general` → `#general`; `!here` → `@here`;
    /// `!subteam^S1|@team` → `@team`; `!date^…|Feb 18` → `Feb 18`; `url|label` → `label`;
    /// `url` → `url`.
    private static func resolve(_ token: Substring, users: [String: String]) -> String {
        let parts = token.split(separator: "|", maxSplits: 1).map(String.init)
        let target = parts.first ?? ""
        let label = parts.count > 1 ? decodeEntities(Substring(parts[1])) : nil
        switch target.first {
        case "@":
            let id = String(target.dropFirst())
            return "@" + (users[id] ?? label ?? id)
        case "#":
            return "#" + (label ?? String(target.dropFirst()))
        case "!":
            let command = target.dropFirst().prefix { $0 != "^" }
            guard ["here", "channel", "everyone", "subteam"].contains(command) else { return label ?? String(target) }
            if let label { return label.hasPrefix("@") ? label : "@" + label }
            return "@" + command
        default:
            return label ?? decodeEntities(Substring(target))
        }
    }

    private static func decodeEntities(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
