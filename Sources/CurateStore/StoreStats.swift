import CurateCore
import GRDB

/// What `curate stats` shows: a summary of every table, computed with plain SQL so each
/// number can be reproduced with `sqlite3`.
public struct StoreStats: Sendable {
    public struct Source: Sendable {
        public var path: String
        public var preset: String
        public var dataset: String
        public var split: String
        public var bytes: Int
        public var sha256: String
        public var conversations: Int
    }

    public var migrations: [String]
    public var sources: [Source]
    public var conversationsPerSplit: [(split: String, count: Int)]
    public var examplesPerTask: [(task: String, split: String, count: Int)]
    public var examplesPerTemplate: [(task: String, template: String, count: Int)]
    public var rejects: [(stage: String, reason: String, count: Int)]
    public var duplicates: [(kind: String, count: Int)]
    public var mixtures: [(name: String, examples: Int)]
    public var runs: Int
    /// Runs that stopped before finishing: what they left is consistent but partial.
    public var interrupted: [InterruptedRun]
    /// Per task, the token lengths of the examples render counted (none without a tokenizer).
    public var tokenLengths: [TaskTokenLengths] = []
}

/// One task's example lengths in model tokens (prompt + target).
public struct TaskTokenLengths: Sendable, Equatable {
    public var task: String
    public var stats: TokenStats

    public var json: JSONValue {
        guard case .object(let fields) = stats.json else { return .null }
        return .object([("task", .string(task))] + fields)
    }
}

extension Store {
    public func stats() throws -> StoreStats {
        let migrations = try appliedMigrations()
        let interrupted = try interruptedRuns()
        return try pool.read { db in
            func pairs<A: DatabaseValueConvertible, B: DatabaseValueConvertible>(_ sql: String) throws -> [(A, B)] {
                try Row.fetchAll(db, sql: sql).map { ($0[0], $0[1]) }
            }
            func triples<A: DatabaseValueConvertible, B: DatabaseValueConvertible, C: DatabaseValueConvertible>(_ sql: String) throws -> [(A, B, C)] {
                try Row.fetchAll(db, sql: sql).map { ($0[0], $0[1], $0[2]) }
            }
            let sources = try Row.fetchAll(db, sql: """
                SELECT s.path, s.preset, s.dataset, s.split, s.bytes, s.sha256,
                       (SELECT COUNT(*) FROM conversations c WHERE c.source_id = s.id) AS stored
                FROM sources s ORDER BY s.id
                """).map {
                    StoreStats.Source(path: $0[0], preset: $0[1], dataset: $0[2], split: $0[3], bytes: $0[4], sha256: $0[5], conversations: $0[6])
                }
            var lengths: [String: [Int]] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT task, tokens FROM examples WHERE tokens IS NOT NULL")
            while let row = try rows.next() { lengths[row[0], default: []].append(row[1]) }
            let tokenLengths = lengths.keys.sorted().compactMap { task in TokenStats(lengths[task]!).map { TaskTokenLengths(task: task, stats: $0) } }
            return StoreStats(
                migrations: migrations,
                sources: sources,
                conversationsPerSplit: try pairs("SELECT split, COUNT(*) FROM conversations GROUP BY split ORDER BY split"),
                examplesPerTask: try triples("SELECT task, split, COUNT(*) FROM examples GROUP BY task, split ORDER BY task, split"),
                examplesPerTemplate: try triples("SELECT task, template_id, COUNT(*) FROM examples GROUP BY task, template_id ORDER BY task, template_id"),
                rejects: try triples("SELECT stage, reason, COUNT(*) FROM rejects GROUP BY stage, reason ORDER BY stage, COUNT(*) DESC"),
                duplicates: try pairs("SELECT kind, COUNT(*) FROM duplicates GROUP BY kind ORDER BY kind"),
                mixtures: try pairs("SELECT m.name, COUNT(me.position) FROM mixtures m LEFT JOIN mixture_examples me ON me.mixture_id = m.id GROUP BY m.id ORDER BY m.name"),
                runs: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM runs") ?? 0,
                interrupted: interrupted,
                tokenLengths: tokenLengths)
        }
    }
}
