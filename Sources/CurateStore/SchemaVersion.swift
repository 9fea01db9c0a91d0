import CurateCore
import GRDB

/// Decides, before anything is written, whether a store can be used as it is, must be
/// migrated, or comes from a newer curate.
///
/// Opening a store that is up to date takes only a read, so many processes can open one
/// store at once without queueing for its write lock. A store that holds a migration this
/// curate does not know, or a higher `PRAGMA user_version` (the number of migrations it has),
/// was written by a newer curate: writing to it with an older schema could corrupt what the
/// newer one relies on, so it is refused with the migration's name.
enum SchemaVersion {
    static func bringUpToDate(_ pool: DatabasePool, path: String, canWrite: Bool) throws {
        let migrator = Schema.migrator
        let known = migrator.migrations
        let (applied, userVersion) = try pool.read { db in
            (try migrator.appliedIdentifiers(db), try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0)
        }
        if let unknown = applied.subtracting(known).sorted().first {
            throw CurateError("\(path): the store was written by a newer curate (it has migration '\(unknown)', which curate \(CurateVersion.current) does not know) — use that newer curate, or another store with --store")
        }
        if userVersion > known.count {
            throw CurateError("\(path): the store was written by a newer curate (schema version \(userVersion); curate \(CurateVersion.current) knows \(known.count)) — use that newer curate, or another store with --store")
        }
        let missing = known.filter { !applied.contains($0) }
        guard let first = missing.first else { return }
        guard canWrite else {
            throw CurateError("\(path): the store needs migration '\(first)' before this curate can read it, and it is opened read-only — run a command that writes (e.g. `curate render`) on it once, or on a writable copy")
        }
        try migrate(pool, migrator: migrator)
    }

    /// Migrates, tolerating another process that migrates the same store at the same moment:
    /// GRDB reads which migrations are applied before it takes the write lock, so the second
    /// process can find a migration applied under it ("table already exists"). Then the state
    /// is read again and migration resumes from there.
    private static func migrate(_ pool: DatabasePool, migrator: DatabaseMigrator) throws {
        var attempts = 0
        while true {
            do {
                try migrator.migrate(pool)
                break
            } catch let error as DatabaseError {
                if try pool.read({ try migrator.hasCompletedMigrations($0) }) { break }
                attempts += 1
                guard attempts <= migrator.migrations.count else { throw error }
            }
        }
        let count = migrator.migrations.count
        try pool.write { db in
            if try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 < count {
                try db.execute(sql: "PRAGMA user_version = \(count)")
            }
        }
    }
}
