import CurateCore
import Foundation

/// Terminal output: results on stdout, progress and problems on stderr.
enum Console {
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

    /// A progress line redrawn in place on a terminal; silent when stderr is not a terminal
    /// (CI logs, pipes), where a final count line is printed by each command instead.
    static let progress: ProgressReporter = {
        guard isatty(STDERR_FILENO) == 1 else { return .silent }
        return ProgressReporter(
            report: { phase, done, total in
                let text = total.map { total in
                    let fraction = total > 0 ? Double(done) / Double(total) : 1
                    let filled = Int(fraction * 30)
                    return "\(phase) [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: 30 - filled))] \(done)/\(total)"
                } ?? "\(phase): \(done) records"
                FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
            },
            finish: { _ in FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) })
    }()
}
