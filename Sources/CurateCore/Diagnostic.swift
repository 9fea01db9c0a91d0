/// A problem with one input record, phrased for the person who has to fix it:
/// `file:line[:column]: what is wrong — what to do`.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// `line 12`, `row 40`, an XML path — the same locator provenance uses.
    public var locator: String
    /// 1-based byte column within the line, when the problem has a precise spot.
    public var column: Int?
    /// A short machine-friendly category (`malformed-json`, `python-repr`, `missing-field` …)
    /// so rejects can be grouped and counted in SQL.
    public var reason: String
    public var message: String
    public var hint: String
    /// The first bytes of the offending record, so a reject is understandable without the file.
    public var excerpt: String
    /// The file inside a folder source the record was read from (a Slack export's
    /// `general/2024-03-04.json`); `file` already ends with it. Nil for single-file sources.
    public var member: String?

    public init(file: String, locator: String, reason: String, message: String, hint: String, excerpt: String = "") {
        self.file = file
        self.locator = locator
        self.reason = reason
        self.message = message
        self.hint = hint
        self.excerpt = excerpt
    }

    /// Where the problem is within its source, unique per record, as the rejects table keys it:
    /// `line 3`, `line 1:52` (with the column, when there is one, so two records on one line —
    /// a minified JSON array — stay apart), `general/2024-03-04.json line 9` in a folder source.
    public var sourceLocator: String {
        let place = column.map { "\(locator):\($0)" } ?? locator
        return member.map { "\($0) \(place)" } ?? place
    }

    /// `path:12[:col]: message — hint` for line locators, `path (row 4): …` for the others.
    public var description: String {
        let place: String
        if locator.hasPrefix("line ") {
            place = "\(file):\(locator.dropFirst(5))" + (column.map { ":\($0)" } ?? "")
        } else {
            place = "\(file) (\(locator))"
        }
        return hint.isEmpty ? "\(place): \(message)" : "\(place): \(message) — \(hint)"
    }
}

/// An error that stops a command (bad arguments, unreadable files, a broken recipe), as
/// opposed to a `Diagnostic`, which rejects one record and lets the run go on.
public struct CurateError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
