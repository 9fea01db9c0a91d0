import CurateCore
import GRDB

/// A stored mixture: its spec and report as written by `curate mix`, and its entries in order,
/// each with the conversation it comes from (what shard writing checks splits by).
public struct StoredMixture: Sendable {
    public var name: String
    public var spec: String
    public var report: String
    public var entries: [(example: Int64, conversation: Int64)]
}

extension Store {
    /// Saves a named mixture. Re-running the same spec rewrites the same rows; a different
    /// spec under an existing name needs `replace`, so a mixture used for training is not
    /// silently changed.
    public func saveMixture(name: String, spec: JSONValue, report: JSONValue, entries: [(exampleID: Int64, epoch: Int)],
                            runID: String, replace: Bool) throws {
        try pool.write { db in
            if let existing = try String.fetchOne(db, sql: "SELECT spec FROM mixtures WHERE name = ?", arguments: [name]),
               existing != spec.text(), !replace {
                throw CurateError("a mixture named '\(name)' already exists with a different spec — pick another --name or pass --replace")
            }
            try db.execute(sql: "DELETE FROM mixture_examples WHERE mixture_id IN (SELECT id FROM mixtures WHERE name = ?)", arguments: [name])
            try db.execute(sql: "DELETE FROM mixtures WHERE name = ?", arguments: [name])
            try db.execute(sql: "INSERT INTO mixtures (name, spec, report, run_id) VALUES (?, ?, ?, ?)",
                           arguments: [name, spec.text(), report.text(), runID])
            let mixtureID = db.lastInsertedRowID
            let insert = try db.cachedStatement(sql: "INSERT INTO mixture_examples (mixture_id, position, example_id, epoch) VALUES (?, ?, ?, ?)")
            for (position, entry) in entries.enumerated() {
                try insert.execute(arguments: [mixtureID, position, entry.exampleID, entry.epoch])
            }
        }
    }

    public func mixture(named name: String) throws -> StoredMixture {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, spec, report FROM mixtures WHERE name = ?", arguments: [name]) else {
                let names = try String.fetchAll(db, sql: "SELECT name FROM mixtures ORDER BY name")
                throw CurateError("no mixture named '\(name)' in \(path) — \(names.isEmpty ? "create one with `curate mix`" : "known: \(names.joined(separator: ", "))")")
            }
            let entries = try Row.fetchAll(db, sql: """
                SELECT m.example_id, e.conversation_id FROM mixture_examples m JOIN examples e ON e.id = m.example_id
                WHERE m.mixture_id = ? ORDER BY m.position
                """, arguments: [row["id"] as Int64]).map { (example: $0[0] as Int64, conversation: $0[1] as Int64) }
            return StoredMixture(name: name, spec: row["spec"], report: row["report"], entries: entries)
        }
    }
}
