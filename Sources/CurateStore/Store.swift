import CurateCore
import Foundation
import GRDB

/// The SQLite store every stage reads from and writes to (`curate.db` by default).
///
/// WAL mode, so `sqlite3` and `curate stats` can read while a long ingest writes; writes are
/// batched in transactions because per-row commits are two orders of magnitude slower.
public final class Store: @unchecked Sendable {
    public let path: String
    let pool: DatabasePool

    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Schema.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw CurateError("\(path): cannot open the store (\(error.message ?? "\(error)")) — check the path, or pass --store PATH")
        }
    }

    /// The named migrations already applied, oldest first (shown by `curate stats`).
    public func appliedMigrations() throws -> [String] {
        try pool.read { try Schema.migrator.appliedMigrations($0) }
    }

    /// Records the start of a command so every row it writes can name it.
    public func beginRun(command: String, arguments: [String], toolVersion: String) throws -> String {
        let started = ISO8601DateFormatter().string(from: Date())
        let id = "run-" + String(SHA256.hex(of: "\(started)|\(command)|\(UUID().uuidString)").prefix(12))
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO runs (id, command, arguments, tool_version, started_at, status)
                VALUES (?, ?, ?, ?, ?, 'running')
                """, arguments: [id, command, JSONValue.array(arguments.map(JSONValue.string)).text(), toolVersion, started])
        }
        return id
    }

    /// Closes a run with its status and the counts it printed.
    public func finishRun(_ id: String, status: String, counts: JSONValue) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE runs SET finished_at = ?, status = ?, counts = ? WHERE id = ?",
                           arguments: [ISO8601DateFormatter().string(from: Date()), status, counts.text(), id])
        }
    }
}
