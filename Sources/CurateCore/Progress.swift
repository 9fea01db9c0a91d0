/// How stages report progress without knowing how it is shown. The command line draws a bar
/// on stderr; tests and libraries pass `.silent`.
public struct ProgressReporter: Sendable {
    /// Called with a phase label, the units done, and the total when it is known.
    public let report: @Sendable (_ phase: String, _ done: Int, _ total: Int?) -> Void
    public let finish: @Sendable (_ phase: String) -> Void

    public init(report: @escaping @Sendable (String, Int, Int?) -> Void, finish: @escaping @Sendable (String) -> Void) {
        self.report = report
        self.finish = finish
    }

    public static let silent = ProgressReporter(report: { _, _, _ in }, finish: { _ in })
}
