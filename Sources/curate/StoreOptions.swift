import ArgumentParser
import CurateCore
import CurateStore
import Foundation

/// `--store PATH`, shared by every command.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SQLite store to read and write (default: curate.db).", valueName: "PATH"))
    var store: String?

    /// The store given, else `fallback` (a recipe's `store:`), else curate.db. Only commands
    /// that ingest create a store; the others refuse a path that holds none (a typo would
    /// otherwise read as an empty store), and read-only ones never write to it.
    func open(_ access: Store.Access, fallback: String? = nil) throws -> Store {
        try Store(path: store ?? fallback ?? "curate.db", access: access)
    }
}

/// Exit statuses scripts can branch on.
enum ExitStatus {
    /// Some records were rejected (more than --max-reject-rate allows); everything else was stored.
    static let rejects = ExitCode(3)
}

/// `--max-reject-rate R`: real data has bad records, so a pipeline (`curate run … && train`)
/// can accept a share of rejects and still exit 0; above it, the exit status is 3.
struct RejectRateOption: ParsableArguments {
    @Option(help: ArgumentHelp("Exit 0 while rejected/read stays at or under R (0–1); above it exit 3. Default: any reject exits 3.", valueName: "R"))
    var maxRejectRate: Double?

    func validate() throws {
        if let maxRejectRate, !(0...1).contains(maxRejectRate) {
            throw ValidationError("--max-reject-rate is a share between 0 and 1 (got \(maxRejectRate))")
        }
    }

    /// Whether `rejected` of `read` records is more than the limit (`fallback`: a recipe's
    /// `max_reject_rate`; no limit at all means any reject is too many).
    static func exceeded(rejected: Int, read: Int, limit: Double?) -> Bool {
        guard rejected > 0 else { return false }
        guard let limit else { return true }
        return Double(rejected) / Double(max(read, 1)) > limit
    }

    static func rate(rejected: Int, read: Int) -> Double { read > 0 ? Double(rejected) / Double(read) : 0 }
}

/// Runs a command body inside a store run record, turning `CurateError`s into a one-line
/// message and exit status 1 instead of a stack trace.
func withRun(_ store: Store, command: String, _ body: (String) throws -> (status: String, counts: JSONValue)) throws {
    let runID = try store.beginRun(command: command, arguments: Array(CommandLine.arguments.dropFirst()),
                                   toolVersion: CurateVersion.current)
    do {
        let (status, counts) = try body(runID)
        try store.finishRun(runID, status: status, counts: counts)
    } catch {
        let explained = FileErrors.explain(store.explain(error))
        try? store.finishRun(runID, status: "failed", counts: .object([("error", .string("\(explained)"))]))
        throw explained
    }
}

/// Prints `CurateError`s plainly and exits 1; ArgumentParser would otherwise print "Error: …"
/// with the type's debug description.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as CurateError {
        Console.error("error: \(error.description)")
        throw ExitCode.failure
    } catch let diagnostic as Diagnostic {
        Console.error("error: \(diagnostic)")
        throw ExitCode.failure
    } catch let error as CocoaError {
        Console.error("error: \(FileErrors.explain(error))")
        throw ExitCode.failure
    } catch let error as ExitCode {
        throw error
    } catch let error as CustomStringConvertible & Error {
        // The stages' own error types (TrainError, ModelError, GGUFError …) say what to do.
        Console.error("error: \(error.description)")
        throw ExitCode.failure
    }
}
