/// Counts a text's tokens with some model's tokenizer. Stages that budget or report lengths in
/// tokens (few-shot pruning, mixture reports) take one of these, so they need no dependency on
/// the model runtime: the pipeline builds it from a GGUF's tokenizer.
public struct TokenCounter: Sendable {
    /// What counts: the model name or GGUF file, for reports.
    public let name: String
    public let count: @Sendable (String) -> Int

    public init(name: String, count: @escaping @Sendable (String) -> Int) {
        self.name = name
        self.count = count
    }
}

/// The length distribution of a set of examples in tokens: what a trainer's `max_length`
/// must cover. Percentiles are nearest-rank (p95 is the smallest length that at least 95% of
/// examples do not exceed), so each is a length some example really has.
public struct TokenStats: Sendable, Equatable {
    public var count: Int
    public var p50: Int
    public var p95: Int
    public var max: Int

    /// Nil for no lengths.
    public init?(_ lengths: [Int]) {
        guard !lengths.isEmpty else { return nil }
        let sorted = lengths.sorted()
        let rank = { (p: Double) in sorted[Swift.max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1)] }
        count = sorted.count
        p50 = rank(0.5)
        p95 = rank(0.95)
        max = sorted.last!
    }

    public var json: JSONValue {
        .object([("counted", .int(count)), ("p50", .int(p50)), ("p95", .int(p95)), ("max", .int(max))])
    }
}
