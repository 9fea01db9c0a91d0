/// Everything that decides what a run computes. Recorded in RUN/run.json; `--resume` refuses
/// a run whose recorded settings differ from the ones given.
public struct TrainSettings: Codable, Equatable, Sendable {
    /// nil for full fine-tuning.
    public var lora: LoRAConfig? = .default
    /// Passes over the training split (fractions allowed); ignored when `steps` or `tokens` is set.
    public var epochs: Double = 1
    public var steps: Int?
    /// Train until this many tokens (prompts and answers) went through the model: runs on
    /// different data then see the same amount of it, whatever their example lengths.
    public var tokens: Int?
    /// Examples per micro-batch, and micro-batches per optimizer step.
    public var batchSize = 4
    public var gradientAccumulation = 1
    /// Peak learning rate; nil picks the method's default (`defaultLearningRate`).
    public var learningRate: Float?
    /// Warm-up: a fraction of the steps when below 1, else a number of steps.
    public var warmup: Double = 0.05
    public var maxSequenceLength = 1024
    /// Validation loss every N steps (and after the last); 0 only after the last.
    public var evalEvery = 0
    /// At most this many validation examples (the first ones, in shard order).
    public var evalExamples = 256
    /// Stop after this many validations without a better loss; nil never stops early.
    public var earlyStopping: Int?
    /// A checkpoint every N steps; 0 never (a killed run then starts over).
    public var saveEvery = 50
    public var seed: UInt64 = 0
    public var weightDecay: Float = 0.01
    public var maxGradientNorm: Float = 1

    public init() {}

    public var method: TrainingMethod { lora.map { .lora($0) } ?? .full }

    /// 3e-4 for LoRA (the PyTorch reference recipe's rate: adapters start at zero and need a
    /// large step) and 5e-5 for full fine-tuning (every weight moves, so a tenth as much
    /// keeps a 135M model from forgetting its instruction tuning in the first steps).
    public var defaultLearningRate: Float { lora == nil ? 5e-5 : 3e-4 }
    public var peakLearningRate: Float { learningRate ?? defaultLearningRate }

    public var examplesPerStep: Int { batchSize * gradientAccumulation }

    /// Optimizer steps over examples of these lengths in this order (an endless stream of
    /// epochs): `steps`, else enough steps to see `tokens` tokens, else `epochs` passes.
    public func totalSteps(lengths: (Int) -> Int, examples: Int) -> Int {
        if let steps { return steps }
        if let tokens {
            var seen = 0, step = 0
            while seen < tokens {
                seen += (0 ..< examplesPerStep).reduce(0) { $0 + lengths(step * examplesPerStep + $1) }
                step += 1
            }
            return max(1, step)
        }
        return max(1, Int((epochs * Double(examples) / Double(examplesPerStep)).rounded(.up)))
    }

    public func warmupSteps(total: Int) -> Int { warmup < 1 ? Int((warmup * Double(total)).rounded()) : Int(warmup) }

    public func validate() throws {
        func check(_ ok: Bool, _ message: String) throws { if !ok { throw TrainError.badSetting(message) } }
        try lora?.validate()
        try check(batchSize > 0, "--batch must be at least 1 (got \(batchSize))")
        try check(gradientAccumulation > 0, "--grad-accum must be at least 1 (got \(gradientAccumulation))")
        try check(epochs > 0 && epochs.isFinite, "--epochs must be positive (got \(epochs))")
        try check((steps ?? 1) > 0, "--steps must be at least 1")
        try check((tokens ?? 1) > 0, "--tokens must be at least 1")
        try check(steps == nil || tokens == nil, "give --steps or --tokens, not both")
        try check(peakLearningRate > 0 && peakLearningRate.isFinite, "--lr must be positive (got \(peakLearningRate))")
        try check(warmup >= 0, "--warmup must be 0 or more (a fraction of the steps below 1, else steps)")
        try check(maxSequenceLength >= 8, "--max-seq-len must be at least 8 tokens (got \(maxSequenceLength))")
        try check(evalEvery >= 0 && saveEvery >= 0, "--eval-every and --save-every must be 0 or more")
        try check(evalExamples >= 0, "--eval-examples must be 0 or more")
        try check((earlyStopping ?? 1) > 0, "--early-stopping must be at least 1 validation")
        try check(weightDecay >= 0 && maxGradientNorm >= 0, "weight decay and the gradient-norm cap must be 0 or more")
    }
}
