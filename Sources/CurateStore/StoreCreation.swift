import CurateCore
import Foundation
import GRDB

/// Makes a new store appear at its path only once it is complete.
///
/// GRDB applies each migration in a transaction of its own, so a store built in place is
/// visible half-migrated for a moment: a `curate stats` that opens it then (a reader racing
/// the ingest that creates it, or a kill during creation) finds a schema that is behind and,
/// being read-only, cannot bring it up to date. Instead the store is built under a hidden
/// name beside the target, checkpointed (so the file holds everything its WAL did), and hard-linked
/// to the target name: `link` fails if the name exists, so when several processes race to
/// create one store, the first complete one wins and the others open it. What a kill leaves
/// is a hidden file that the next creation removes.
enum StoreCreation {
    static func createIfMissing(at path: String, configuration: Configuration) throws {
        guard !FileManager.default.fileExists(atPath: path) else { return }
        let target = URL(fileURLWithPath: path)
        let folder = target.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        removeAbandoned(beside: target)
        let staging = folder.appendingPathComponent("\(stagingPrefix(for: target))\(getpid())-\(UUID().uuidString.prefix(8))").path
        defer { removeDatabaseFiles(staging) }
        let pool = try DatabasePool(path: staging, configuration: configuration)
        try SchemaVersion.bringUpToDate(pool, path: path, canWrite: true)
        // Everything into the file itself: the WAL beside the staging name is not the one
        // that readers of the target name look for.
        try pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        try pool.close()
        if link(staging, path) != 0 {
            switch errno {
            case EEXIST: return  // another process created it first; theirs is complete too
            case EPERM, ENOTSUP, EXDEV:
                // A file system without hard links: rename, which is atomic but would replace
                // a store another process made in the meantime, so only if there is none.
                guard !FileManager.default.fileExists(atPath: path) else { return }
                guard rename(staging, path) == 0 else { throw creationError(path) }
            default:
                throw creationError(path)
            }
        }
    }

    /// `.NAME.creating-` followed by the creating process's pid and a random suffix.
    private static func stagingPrefix(for target: URL) -> String { ".\(target.lastPathComponent).creating-" }

    /// Staging files of processes that are gone (killed while creating this store).
    private static func removeAbandoned(beside target: URL) {
        let folder = target.deletingLastPathComponent()
        let prefix = stagingPrefix(for: target)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }), kill(pid, 0) != 0, errno == ESRCH else { continue }
            removeDatabaseFiles(folder.appendingPathComponent(name).path)
        }
    }

    private static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
    }

    private static func creationError(_ path: String) -> CurateError {
        CurateError("\(path): cannot create the store: \(String(cString: strerror(errno))) — check that its folder is writable (or choose another --store)")
    }
}
