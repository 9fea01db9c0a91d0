import GRDB

/// SQLite's failures as messages a person can act on, naming the store: "disk I/O error"
/// alone does not say that the disk is full or which file to move.
enum StoreErrors {
    static func explain(_ error: DatabaseError, path: String, action: String) -> String {
        let detail = error.message.map { " (\($0))" } ?? ""
        let what: String
        switch error.resultCode {
        case .SQLITE_FULL:
            what = "the disk is full — free some space or put the store on another disk with --store; everything committed before is intact, so re-run the command to finish"
        case .SQLITE_IOERR:
            what = "a disk I/O error\(detail), most often a full disk or a file system that went away — free space or check the disk, then re-run the command (committed batches are intact)"
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            what = "another process held the store's write lock for over \(Int(Store.busyTimeout)) s — let it finish (see `curate stats` for running runs), then re-run"
        case .SQLITE_READONLY:
            what = "the store (or its folder) is read-only\(detail) — make it writable, or pass another --store"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            what = "this is not a curate store, or it is damaged\(detail) — check the path; `sqlite3 \(path) 'PRAGMA integrity_check'` says what is wrong"
        case .SQLITE_CANTOPEN:
            what = "cannot be opened\(detail) — check that its folder exists and is writable, or pass --store PATH"
        default:
            what = "SQLite error \(error.resultCode.rawValue)\(detail) — check the path, or pass --store PATH"
        }
        return "\(path): cannot \(action) the store: \(what)"
    }
}
