import CurateCore
import Foundation

/// Draws stage progress: `phase [#####.....] 42% 12.3 MB/15.0 MB 8.1 MB/s ETA 0:03` redrawn in
/// place on a terminal (at most ten times a second), or — when stderr is a log file — the same
/// text as a plain line every `logInterval` seconds, so a batch job's log shows that it moves.
/// Rate and ETA are measured from the phase's first report.
final class ProgressDisplay: @unchecked Sendable {
    private let terminal: Bool
    private let logInterval: TimeInterval
    private let lock = NSLock()
    private var started: [String: Date] = [:]
    private var lastDrawn: Date = .distantPast
    private var drewInPlace = false

    init(terminal: Bool, logInterval: TimeInterval = 5) {
        self.terminal = terminal
        self.logInterval = logInterval
    }

    var reporter: ProgressReporter {
        ProgressReporter(report: { self.update($0, $1, $2, bytes: false) }, finish: { self.finish($0) },
                         reportBytes: { self.update($0, $1, $2, bytes: true) })
    }

    private func update(_ phase: String, _ done: Int, _ total: Int?, bytes: Bool) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        let start = started[phase] ?? now
        started[phase] = start
        // Off a terminal the first line waits a whole interval, so quick stages log nothing.
        let last = terminal ? lastDrawn : max(lastDrawn, start)
        guard now.timeIntervalSince(last) >= (terminal ? 0.1 : logInterval) else { return }
        lastDrawn = now
        let text = Self.line(phase: phase, done: done, total: total, bytes: bytes, elapsed: now.timeIntervalSince(start))
        if terminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
            drewInPlace = true
        } else {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    private func finish(_ phase: String) {
        lock.lock()
        defer { lock.unlock() }
        started[phase] = nil
        if terminal, drewInPlace { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drewInPlace = false
        lastDrawn = .distantPast
    }

    /// The progress text (without control characters), for a terminal or a log line.
    static func line(phase: String, done: Int, total: Int?, bytes: Bool, elapsed: TimeInterval) -> String {
        let amount = { (n: Int) in bytes ? megabytes(n) : "\(n)" }
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let rateText = bytes ? "\(megabytes(Int(rate)))/s" : String(format: "%.0f/s", rate)
        guard let total, total > 0 else { return "\(phase): \(amount(done)) \(rateText)" }
        let fraction = min(1, Double(done) / Double(total))
        let filled = Int(fraction * 30)
        let eta = rate > 0 ? clock(Double(total - done) / rate) : "?"
        return "\(phase) [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: 30 - filled))] "
            + String(format: "%3.0f%%", fraction * 100) + " \(amount(done))/\(amount(total)) \(rateText) ETA \(eta)"
    }

    static func megabytes(_ n: Int) -> String { String(format: "%.1f MB", Double(n) / 1_000_000) }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
