/// How stages report progress without knowing how it is shown. The command line draws a bar
/// on stderr (or prints a line every few seconds off a terminal); tests and libraries pass
/// `.silent`.
public struct ProgressReporter: Sendable {
    /// Called with a phase label, the units done, and the total when it is known.
    public let report: @Sendable (_ phase: String, _ done: Int, _ total: Int?) -> Void
    /// The same in bytes (ingest reports how far through its file it is), so a display can
    /// show MB and MB/s; reporters that do not care get it as plain units.
    public let reportBytes: @Sendable (_ phase: String, _ done: Int, _ total: Int) -> Void
    public let finish: @Sendable (_ phase: String) -> Void

    public init(report: @escaping @Sendable (String, Int, Int?) -> Void, finish: @escaping @Sendable (String) -> Void,
                reportBytes: (@Sendable (String, Int, Int) -> Void)? = nil) {
        self.report = report
        self.finish = finish
        self.reportBytes = reportBytes ?? { phase, done, total in report(phase, done, total) }
    }

    public static let silent = ProgressReporter(report: { _, _, _ in }, finish: { _ in })
}
