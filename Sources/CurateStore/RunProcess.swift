import CurateCore
import Foundation
import GRDB

/// The process that runs a command, as written into `runs.process`: `HOST PID START`, where
/// START is the process's start time (field 22 of `/proc/PID/stat` on Linux). A run row left
/// `running` belongs to a live process only if that process is still there *and* started at
/// the same moment, so a pid that was reused after a kill is not mistaken for the run.
struct RunProcess: Equatable, CustomStringConvertible {
    var host: String
    var pid: Int32
    var start: String

    static let current = RunProcess(host: hostName, pid: getpid(), start: startTime(of: getpid()) ?? "")

    /// `gethostname`, not `ProcessInfo.hostName`, which may ask DNS.
    private static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(cString: buffer).replacingOccurrences(of: " ", with: "_")
    }

    init(host: String, pid: Int32, start: String) {
        self.host = host
        self.pid = pid
        self.start = start
    }

    init?(_ text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let pid = Int32(parts[1]) else { return nil }
        self.init(host: parts[0], pid: pid, start: parts[2])
    }

    var description: String { "\(host) \(pid) \(start)" }

    /// Whether this process may still be running. A process on another host (a store on a
    /// shared disk) cannot be checked, so it counts as alive: only runs known to be dead
    /// are marked interrupted.
    var mayBeAlive: Bool {
        guard host == Self.current.host else { return true }
        if pid == Self.current.pid && start == Self.current.start { return true }
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let now = Self.startTime(of: pid) else { return !FileManager.default.fileExists(atPath: "/proc/self/stat") }
        return now == start
    }

    /// The start time in clock ticks after boot, from `/proc/PID/stat` (after the command
    /// name, which may itself hold spaces and parentheses); nil where there is no /proc.
    static func startTime(of pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // Fields after the name start at field 3 (state); starttime is field 22.
        return fields.count > 19 ? String(fields[19]) : nil
    }
}

/// A run that stopped before it finished: killed, out of memory, the machine went down.
/// Everything it committed is consistent (each batch is one transaction), but it did not
/// write all it meant to.
public struct InterruptedRun: Sendable {
    public var id: String
    public var command: String
    public var arguments: [String]
    public var startedAt: String
    /// Rows it left: conversations, duplicates, rejects and examples committed before it stopped.
    public var conversations: Int
    public var examples: Int
    public var rejects: Int
    /// A later run of the same command line finished, so what this one left undone is done.
    public var finishedLater: Bool
}

extension Store {
    /// Marks `running` runs whose process is gone as `interrupted` (done on every writable
    /// open, so the mark appears the next time anything uses the store).
    func markInterruptedRuns() throws {
        let dead = try pool.read { db in try Self.deadRunIDs(db) }
        guard !dead.isEmpty else { return }
        try pool.write { db in
            for id in dead {
                try db.execute(sql: "UPDATE runs SET status = 'interrupted', finished_at = ? WHERE id = ? AND status = 'running'",
                               arguments: [ISO8601DateFormatter().string(from: Date()), id])
            }
        }
    }

    /// Runs marked interrupted, or still `running` with their process gone (a read-only open
    /// cannot mark them), oldest first, with what each left behind.
    public func interruptedRuns() throws -> [InterruptedRun] {
        try pool.read { db in
            let dead = Set(try Self.deadRunIDs(db))
            let rows = try Row.fetchAll(db, sql: """
                SELECT r.id, r.command, r.arguments, r.started_at, r.status,
                       (SELECT COUNT(*) FROM conversations WHERE run_id = r.id) AS conversations,
                       (SELECT COUNT(*) FROM examples WHERE run_id = r.id) AS examples,
                       (SELECT COUNT(*) FROM rejects WHERE run_id = r.id) AS rejects,
                       EXISTS (SELECT 1 FROM runs later WHERE later.command = r.command AND later.arguments = r.arguments
                               AND later.started_at >= r.started_at AND later.status IN ('ok', 'rejects')) AS finished_later
                FROM runs r WHERE r.status IN ('interrupted', 'running') ORDER BY r.started_at, r.id
                """)
            return rows.filter { $0["status"] as String == "interrupted" || dead.contains($0["id"]) }.map { row in
                let arguments = (try? JSONParser.parse(row["arguments"] as String))?.arrayValue?.compactMap(\.stringValue) ?? []
                return InterruptedRun(id: row["id"], command: row["command"], arguments: arguments, startedAt: row["started_at"],
                                      conversations: row["conversations"], examples: row["examples"], rejects: row["rejects"],
                                      finishedLater: row["finished_later"])
            }
        }
    }

    /// `running` runs whose process is known to be gone. Rows from before runs recorded their
    /// process have none; curate that old is not running, so they are gone too.
    private static func deadRunIDs(_ db: Database) throws -> [String] {
        try Row.fetchAll(db, sql: "SELECT id, process FROM runs WHERE status = 'running'").compactMap { row in
            let process = (row["process"] as String?).flatMap(RunProcess.init)
            return process?.mayBeAlive ?? false ? nil : row["id"] as String
        }
    }
}
