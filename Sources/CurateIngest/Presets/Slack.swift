extension Preset {
    /// Slack workspace export (the unzipped folder): `users.json` and one folder per channel
    /// of `YYYY-MM-DD.json` message arrays. A thread (its first message and every reply, even
    /// replies filed under later days) is one conversation; a channel's other messages of one
    /// day are another. `SlackExportReader` resolves names and markup; this mapping reads the
    /// fields it adds, so the rest is the same message mechanism as every other preset.
    public static let slack = Preset(
        name: "slack",
        summary: "Slack export folder: users.json + CHANNEL/YYYY-MM-DD.json arrays of {user, text, ts, thread_ts, subtype} → threads and channel-days",
        container: .slackExport,
        mapping: .messagePerRecord(MessageMapping(
            grouping: .key("conversation"), order: "ts", speaker: "speaker", text: "text", role: "role", time: "ts")),
        signature: ["users.json"],
        example: #"general/2024-03-04.json: [{"type": "message", "user": "U01", "text": "deploy is red <@U02>", "ts": "1709546400.000100", "thread_ts": "1709546400.000100"}]"#)
}
