import CurateCore
import GRDB

/// What became of one source's records: the accounting a dataset card and `curate report`
/// show, `read = stored + duplicates + rejected + filtered`.
///
/// Duplicates are counted per `kind` as the `duplicates` table holds them (exact conversation
/// repeats today; near-duplicate and contamination kinds appear here as soon as a stage writes
/// them), and filtered records per reason from the `filtered` table when the store has one —
/// a store without it has filtered nothing.
public struct SourceAccount: Sendable, Equatable {
    public var id: Int64
    public var path: String
    public var sha256: String
    public var preset: String
    public var dataset: String
    public var split: String
    public var license: DataLicense
    public var stored: Int
    public var duplicates: [String: Int]
    public var rejected: [String: Int]
    public var filtered: [String: Int]

    public var read: Int {
        stored + duplicates.values.reduce(0, +) + rejected.values.reduce(0, +) + filtered.values.reduce(0, +)
    }

    public var json: JSONValue {
        func counts(_ d: [String: Int]) -> JSONValue { .object(d.keys.sorted().map { ($0, .int(d[$0]!)) }) }
        return .object([
            ("path", .string(path)), ("sha256", .string(sha256)), ("preset", .string(preset)), ("dataset", .string(dataset)),
            ("split", .string(split)), ("license", .string(license.identifier)), ("non_commercial", .bool(license.isNonCommercial)),
            ("read", .int(read)), ("stored", .int(stored)), ("duplicates", counts(duplicates)),
            ("rejected", counts(rejected)), ("filtered", counts(filtered)),
        ])
    }
}

/// One rejected record, for the examples a report shows.
public struct RejectSample: Sendable, Equatable {
    public var path: String
    public var reason: String
    public var message: String
}

extension Store {
    /// Every source (optionally only those of `datasets`), in id order, with its counts.
    public func sourceAccounts(datasets: Set<String>? = nil) throws -> [SourceAccount] {
        try pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.id, s.path, s.sha256, s.preset, s.dataset, s.split, s.license,
                       (SELECT COUNT(*) FROM conversations c WHERE c.source_id = s.id) AS stored
                FROM sources s ORDER BY s.id
                """)
            let duplicates = try Self.grouped(db, "SELECT source_id, kind, COUNT(*) FROM duplicates WHERE source_id IS NOT NULL GROUP BY 1, 2")
            let rejected = try Self.grouped(db, "SELECT source_id, reason, COUNT(*) FROM rejects WHERE source_id IS NOT NULL GROUP BY 1, 2")
            let filtered = try Self.filteredCounts(db)
            return rows.compactMap { row -> SourceAccount? in
                let id: Int64 = row["id"]
                let dataset: String = row["dataset"]
                if let datasets, !datasets.contains(dataset) { return nil }
                return SourceAccount(id: id, path: row["path"], sha256: row["sha256"], preset: row["preset"], dataset: dataset,
                                     split: row["split"], license: DataLicense(row["license"]), stored: row["stored"],
                                     duplicates: duplicates[id] ?? [:], rejected: rejected[id] ?? [:], filtered: filtered[id] ?? [:])
            }
        }
    }

    /// The first `limit` rejects of each reason, in id order, with the source they came from.
    public func rejectSamples(perReason limit: Int) throws -> [RejectSample] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT path, reason, message FROM (
                    SELECT s.path, r.reason, r.message, ROW_NUMBER() OVER (PARTITION BY r.reason ORDER BY r.id) AS n
                    FROM rejects r LEFT JOIN sources s ON s.id = r.source_id)
                WHERE n <= ? ORDER BY reason, n
                """, arguments: [limit]).map { RejectSample(path: $0["path"] ?? "", reason: $0["reason"], message: $0["message"]) }
        }
    }

    /// `source_id → key → count` from a `SELECT source_id, key, COUNT(*)` query.
    private static func grouped(_ db: Database, _ sql: String) throws -> [Int64: [String: Int]] {
        var result: [Int64: [String: Int]] = [:]
        for row in try Row.fetchAll(db, sql: sql) { result[row[0], default: [:]][row[1]] = row[2] }
        return result
    }

    /// Filtered records per source and reason, from a `filtered` table written by the filter
    /// stage. Its columns are read by name, so a table with `source_id` but no `reason` counts
    /// under `filtered`; no table counts nothing.
    private static func filteredCounts(_ db: Database) throws -> [Int64: [String: Int]] {
        guard try db.tableExists("filtered") else { return [:] }
        let columns = Set(try db.columns(in: "filtered").map(\.name))
        guard columns.contains("source_id") else { return [:] }
        let key = columns.contains("reason") ? "reason" : "'filtered'"
        return try grouped(db, "SELECT source_id, \(key), COUNT(*) FROM filtered WHERE source_id IS NOT NULL GROUP BY 1, 2")
    }
}
