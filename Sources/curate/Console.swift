import CurateCore
import Foundation

/// Terminal output: results on stdout, progress and problems on stderr.
enum Console {
    /// Set by `--json`: the human report moves to stderr so stdout holds only the JSON object.
    nonisolated(unsafe) static var humanReportToStderr = false

    /// A line of a command's human report (a table, a summary).
    static func report(_ text: String) {
        if humanReportToStderr { error(text) } else { print(text) }
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Left-aligned first column, right-aligned numbers, for the tables commands print.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { i in all.map { $0.indices.contains(i) ? $0[i].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }

    /// Progress on stderr: a bar redrawn in place on a terminal, a line every few seconds
    /// otherwise (nohup, Slurm and CI logs). See `ProgressDisplay`.
    static let progress: ProgressReporter = ProgressDisplay(terminal: isatty(STDERR_FILENO) == 1).reporter
}
