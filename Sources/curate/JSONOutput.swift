import ArgumentParser
import CurateCore
import Foundation

/// `--json`, shared by every command that reports a result: the command prints exactly one
/// JSON object on stdout (documented per command in README "JSON output") and its human
/// report on stderr, so `curate ingest … --json | jq .total` works while a person watching
/// the terminal still sees the table.
///
/// A command adds `@OptionGroup var output: JSONOutput`, calls `output.begin()` first (which
/// sends `Console.report` to stderr when --json is on), and ends with `output.emit(object)`.
struct JSONOutput: ParsableArguments {
    @Flag(name: .customLong("json"), help: "Print one JSON object on stdout (README \"JSON output\"); the human report goes to stderr.")
    var enabled = false

    /// Routes the human report before anything is printed.
    func begin() {
        Console.humanReportToStderr = enabled
    }

    /// Prints the result object on stdout when --json is on (compact, one line).
    func emit(_ object: @autoclosure () -> JSONValue) {
        guard enabled else { return }
        FileHandle.standardOutput.write(Data((object().text() + "\n").utf8))
    }
}
