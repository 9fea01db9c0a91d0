import CurateCore
import Foundation
import GRDB

/// The SQLite store every stage reads from and writes to (`curate.db` by default).
///
/// WAL mode, so `sqlite3` and `curate stats` can read while a long ingest writes; writes are
/// batched in transactions because per-row commits are two orders of magnitude slower.
/// Several processes may share one store: a writer waits up to `busyTimeout` for another's
/// transaction instead of failing with "database is locked", and opening a store that is
/// already up to date takes no write lock at all (README "What curate guarantees").
public final class Store: @unchecked Sendable {
    /// What a command may do with the store it opens.
    public enum Access: Sendable {
        /// Create the file when it is missing, migrate it when it is behind (ingest, run).
        case create
        /// The store must exist already; it is migrated when behind (render, mix, shard).
        case existing
        /// The store must exist; nothing is written, so a read-only file or folder works
        /// (stats, mix --dry-run).
        case readOnly
    }

    public let path: String
    let pool: DatabasePool

    /// How long a writer waits for another process's transaction. Batches are short (a few
    /// thousand rows), so only a stuck process holds the lock this long.
    public static let busyTimeout: TimeInterval = 60

    public init(path: String, access: Access = .create) throws {
        self.path = path
        if access != .create, !FileManager.default.fileExists(atPath: path) {
            throw CurateError("\(path): no such store — check --store (or the recipe's store:); `curate ingest` and `curate run` create one")
        }
        var config = Configuration()
        config.busyMode = .timeout(Self.busyTimeout)
        config.readonly = access == .readOnly
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            if access == .create { try StoreCreation.createIfMissing(at: path, configuration: config) }
            pool = try DatabasePool(path: path, configuration: config)
            try SchemaVersion.bringUpToDate(pool, path: path, canWrite: access != .readOnly)
            if access != .readOnly { try markInterruptedRuns() }
        } catch let error as DatabaseError where access == .readOnly && [.SQLITE_READONLY, .SQLITE_CANTOPEN].contains(error.resultCode) {
            // A read-only *file* is fine; a read-only *folder* is not, when the -shm file
            // SQLite shares between readers of a WAL store is not there and cannot be made.
            throw CurateError("\(path): cannot be read here: readers of a WAL store share \(path)-shm beside it, which is missing and cannot be created in a read-only folder — copy the store to a writable folder, or open it once where it was written")
        } catch let error as DatabaseError {
            throw CurateError(StoreErrors.explain(error, path: path, action: "open"))
        }
    }

    /// The named migrations already applied, oldest first (shown by `curate stats`).
    public func appliedMigrations() throws -> [String] {
        try pool.read { try Schema.migrator.appliedMigrations($0) }
    }

    /// Records the start of a command so every row it writes can name it, with the process
    /// that runs it, so a later open can tell a live run from one that was killed.
    public func beginRun(command: String, arguments: [String], toolVersion: String) throws -> String {
        let started = ISO8601DateFormatter().string(from: Date())
        let id = "run-" + String(SHA256.hex(of: "\(started)|\(command)|\(UUID().uuidString)").prefix(12))
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO runs (id, command, arguments, tool_version, started_at, status, process)
                VALUES (?, ?, ?, ?, ?, 'running', ?)
                """, arguments: [id, command, JSONValue.array(arguments.map(JSONValue.string)).text(), toolVersion, started,
                                 RunProcess.current.description])
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

    /// An error from a write, as a message that names the store and what to do.
    public func explain(_ error: Error, action: String = "write to") -> Error {
        guard let error = error as? DatabaseError else { return error }
        return CurateError(StoreErrors.explain(error, path: path, action: action))
    }
}
