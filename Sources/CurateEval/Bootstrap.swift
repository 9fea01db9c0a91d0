import CurateCore

/// Percentile bootstrap confidence intervals over evaluation examples (Efron & Tibshirani):
/// resample the examples with replacement, recompute the metric, take the 2.5th and 97.5th
/// percentiles of the resampled values.
///
/// A difference between two models scored on the same examples is resampled *paired* — the
/// same resampled indices for both — which is what makes an interval on the difference much
/// tighter than the two separate intervals suggest.
public struct Bootstrap: Sendable {
    public var resamples: Int
    public var seed: UInt64

    public init(resamples: Int = 1000, seed: UInt64 = 0) {
        self.resamples = resamples
        self.seed = seed
    }

    /// The 95% interval of `statistic` over `count` examples; `statistic` gets the resampled
    /// indices (one draw of `count` indices with replacement).
    public func interval(count: Int, stream: String, _ statistic: ([Int]) -> Double) -> ClosedRange<Double> {
        guard count > 0 else { return 0 ... 0 }
        return replicate(stream: stream) { rng in statistic(Self.draw(count, &rng)) }
    }

    /// The interval of a task's headline metric over its example scores.
    public func interval(_ task: TaskScorer.Task, _ scores: [ExampleScore], stream: String) -> ClosedRange<Double> {
        interval(count: scores.count, stream: stream) { TaskScorer.primary(task, $0.map { scores[$0] }) }
    }

    /// The interval of metric(b) − metric(a) for two models scored on the same examples.
    public func differenceInterval(_ task: TaskScorer.Task, _ a: [ExampleScore], _ b: [ExampleScore], stream: String) -> ClosedRange<Double> {
        meanDifferenceInterval([(task, a, b)], stream: stream)
    }

    /// The interval of the mean over tasks of metric(b) − metric(a) — backward transfer, say —
    /// each task's examples resampled on their own (paired between a and b) in every replicate.
    public func meanDifferenceInterval(_ pairs: [(task: TaskScorer.Task, a: [ExampleScore], b: [ExampleScore])],
                                       stream: String) -> ClosedRange<Double> {
        precondition(pairs.allSatisfy { $0.a.count == $0.b.count }, "a paired bootstrap needs the same examples for both models")
        guard !pairs.isEmpty, pairs.allSatisfy({ !$0.a.isEmpty }) else { return 0 ... 0 }
        return replicate(stream: stream) { rng in
            pairs.reduce(0.0) { sum, pair in
                let idx = Self.draw(pair.a.count, &rng)
                return sum + TaskScorer.primary(pair.task, idx.map { pair.b[$0] }) - TaskScorer.primary(pair.task, idx.map { pair.a[$0] })
            } / Double(pairs.count)
        }
    }

    private func replicate(stream: String, _ value: (inout SeededRandom) -> Double) -> ClosedRange<Double> {
        var rng = SeededRandom(seed: seed, stream: "bootstrap|" + stream)
        let values = (0 ..< resamples).map { _ in value(&rng) }.sorted()
        return Self.percentile(values, 0.025) ... Self.percentile(values, 0.975)
    }

    private static func draw(_ count: Int, _ rng: inout SeededRandom) -> [Int] { (0 ..< count).map { _ in rng.nextIndex(below: count) } }

    /// Linear interpolation between the closest ranks (numpy's default `percentile`).
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }
}
