import CurateCore
import GRDB

/// What an ingest did with the records it read. `read == stored + duplicates + rejected`
/// always holds; the command line prints these and the run row keeps them.
public struct IngestCounts: Sendable, Equatable {
    public var read = 0
    public var stored = 0
    public var duplicates = 0
    public var rejected = 0

    public init() {}

    public static func + (a: IngestCounts, b: IngestCounts) -> IngestCounts {
        var sum = a
        sum.read += b.read; sum.stored += b.stored; sum.duplicates += b.duplicates; sum.rejected += b.rejected
        return sum
    }

    public var json: JSONValue {
        .object([("read", .int(read)), ("stored", .int(stored)), ("duplicates", .int(duplicates)), ("rejected", .int(rejected))])
    }
}

extension Store {
    /// Registers a source file (once per content, preset and split, whatever its path: the
    /// first path seen is kept) and returns its id. The same file under another dataset name
    /// is refused: its conversations are already stored under the first name, so the new one
    /// would be printed but never used. A licence fills in an `unknown` one (a store made
    /// before licences were kept); a different declared licence for the same file is refused.
    public func registerSource(path: String, sha256: String, bytes: Int, preset: String, dataset: String, split: Split,
                               license: String = DataLicense.unknown, runID: String) throws -> Int64 {
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO sources (path, sha256, bytes, preset, dataset, split, license, first_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (sha256, preset, split) DO NOTHING
                """, arguments: [path, sha256, bytes, preset, dataset, split.rawValue, license, runID])
            let row = try Row.fetchOne(db, sql: "SELECT id, dataset, license FROM sources WHERE sha256 = ? AND preset = ? AND split = ?",
                                       arguments: [sha256, preset, split.rawValue])!
            guard row["dataset"] as String == dataset else {
                throw CurateError("\(path): this file was ingested before as dataset '\(row["dataset"] as String)' — ingest it with --dataset \(row["dataset"] as String) (or dataset: in the recipe), or into another store")
            }
            let stored: String = row["license"]
            if stored == DataLicense.unknown, license != DataLicense.unknown {
                try db.execute(sql: "UPDATE sources SET license = ? WHERE id = ?", arguments: [license, row["id"] as Int64])
            } else if stored != license, license != DataLicense.unknown {
                throw CurateError("\(path): this file was ingested before under licence '\(stored)' — ingest it with --license \(stored), or into another store")
            }
            return row["id"]
        }
    }
}

/// Writes one source's conversations and rejects in batched transactions. Exact duplicates
/// (same content key as a stored conversation) are not stored again; each is recorded in
/// `duplicates` with the id it repeats, so nothing read is unaccounted for.
public final class IngestWriter {
    private let store: Store
    private let runID: String
    private let sourceID: Int64
    private let batchSize: Int
    private var pending: [Pending] = []
    public private(set) var counts = IngestCounts()

    private enum Pending {
        case conversation(Conversation, Split)
        case reject(Diagnostic)
    }

    public init(store: Store, runID: String, sourceID: Int64, batchSize: Int = 2000) {
        self.store = store
        self.runID = runID
        self.sourceID = sourceID
        self.batchSize = batchSize
    }

    public func add(_ conversation: Conversation, split: Split) throws {
        pending.append(.conversation(conversation, split))
        if pending.count >= batchSize { try flush() }
    }

    public func reject(_ diagnostic: Diagnostic) throws {
        pending.append(.reject(diagnostic))
        if pending.count >= batchSize { try flush() }
    }

    /// Writes everything pending in one transaction.
    public func flush() throws {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        let rows = batch.map { item -> (Pending, String?, String?, String?) in
            guard case .conversation(let c, _) = item else { return (item, nil, nil, nil) }
            return (item, ContentKey.conversation(c.turns), JSONValue.array(c.turns.map(\.json)).text(), c.annotations.json.text())
        }
        counts = try store.pool.write { db in
            var counts = self.counts
            let insert = try db.cachedStatement(sql: """
                INSERT INTO conversations (content_hash, external_id, split, source_id, locator, run_id, turn_count, turns, annotations)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (content_hash) DO NOTHING
                """)
            for (item, key, turns, annotations) in rows {
                counts.read += 1
                switch item {
                case .conversation(let c, let split):
                    try insert.execute(arguments: [key, c.externalID, split.rawValue, sourceID, c.provenance.locator, runID,
                                                   c.turns.count, turns, annotations])
                    if db.changesCount > 0 {
                        counts.stored += 1
                    } else {
                        counts.duplicates += 1
                        try recordDuplicate(db, key: key!, locator: c.provenance.locator)
                    }
                case .reject(let d):
                    counts.rejected += 1
                    try db.execute(sql: """
                        INSERT INTO rejects (stage, source_id, locator, reason, message, excerpt, run_id)
                        VALUES ('ingest', ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                        """, arguments: [sourceID, d.sourceLocator, d.reason, d.description, d.excerpt, runID])
                }
            }
            return counts
        }
    }

    /// Records that the record at `locator` repeats a stored conversation — unless it *is* that
    /// conversation, read again by a re-run, which adds nothing.
    private func recordDuplicate(_ db: Database, key: String, locator: String) throws {
        let original = try Row.fetchOne(db, sql: "SELECT id, source_id, locator FROM conversations WHERE content_hash = ?", arguments: [key])!
        if original["source_id"] as Int64 == sourceID && original["locator"] as String == locator { return }
        try db.execute(sql: """
            INSERT INTO duplicates (kind, source_id, locator, duplicate_of, run_id) VALUES ('conversation', ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """, arguments: [sourceID, locator, original["id"] as Int64, runID])
    }
}
