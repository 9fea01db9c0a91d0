/// Mean loss over answer tokens, overall and per task.
public struct TaskLosses: Sendable {
    var total: Double = 0
    var count = 0
    var tasks: [String: (sum: Double, count: Int)] = [:]

    public init() {}

    mutating func add(_ losses: [Float], batch: PackedBatch, examples: [EncodedExample]) {
        for (loss, sequence) in zip(losses, batch.targetSequence) {
            total += Double(loss)
            count += 1
            tasks[examples[sequence].task, default: (0, 0)].sum += Double(loss)
            tasks[examples[sequence].task, default: (0, 0)].count += 1
        }
    }

    public var mean: Float { Float(total / Double(max(1, count))) }
    public var perTask: [(task: String, loss: Float)] { tasks.keys.sorted().map { ($0, Float(tasks[$0]!.sum / Double(tasks[$0]!.count))) } }
}

extension TrainableLlama {
    /// The teacher-forced loss of the model on `examples` (no dropout, no gradients): the
    /// validation loss during training, and each task's held-out loss in experiments.
    public func evaluateLoss(_ examples: [EncodedExample], batchSize: Int) -> TaskLosses {
        var sums = TaskLosses()
        for start in stride(from: 0, to: examples.count, by: batchSize) {
            let micro = Array(examples[start ..< min(start + batchSize, examples.count)])
            let batch = Trainer.pack(micro)
            sums.add(forwardBackward(batch, lossScale: 0, backward: false, dropoutKey: nil), batch: batch, examples: micro)
        }
        return sums
    }
}
