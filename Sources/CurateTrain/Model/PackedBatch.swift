/// A micro-batch as the model runs it: the sequences' tokens back to back, no padding.
///
/// A sequence of T tokens contributes T − 1 rows (its last token predicts nothing inside the
/// sequence); row t of a sequence predicts its token t + 1, and is a loss target when that
/// token belongs to the answer. Every linear layer sees all rows at once; attention runs per
/// sequence. So padding never costs compute: the padding fraction is 0 by construction.
public struct PackedBatch: Sendable {
    /// Input token per row [R] and its position in its sequence [R].
    public private(set) var tokens: [Int32] = []
    public private(set) var positions: [Int32] = []
    /// Each sequence's rows.
    public private(set) var sequences: [Range<Int>] = []
    /// Rows with a next-token target, in row order.
    public private(set) var targets: [LossTarget] = []
    /// For each target, the index of its sequence in `sequences`.
    public private(set) var targetSequence: [Int] = []

    public init() {}

    public var rows: Int { tokens.count }
    public var longest: Int { sequences.map(\.count).max() ?? 0 }

    /// Appends one sequence; tokens from `answerStart` on are the answer (the loss targets).
    public mutating func append(tokens sequence: [Int], answerStart: Int) {
        precondition(sequence.count >= 2 && answerStart >= 1 && answerStart < sequence.count, "a sequence needs a prompt and an answer")
        let start = tokens.count, index = sequences.count
        for t in 0 ..< sequence.count - 1 {
            tokens.append(Int32(sequence[t]))
            positions.append(Int32(t))
            if t + 1 >= answerStart {
                targets.append(.init(row: start + t, label: Int32(sequence[t + 1])))
                targetSequence.append(index)
            }
        }
        sequences.append(start ..< tokens.count)
    }
}

/// A row whose next token is a loss target, and that token.
public struct LossTarget: Equatable, Sendable {
    public let row: Int
    public let label: Int32
}
