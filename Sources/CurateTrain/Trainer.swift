import CurateCore
import Foundation

/// Tokenized training and validation examples.
public struct TrainingData: Sendable {
    public var train: [EncodedExample]
    public var validation: [EncodedExample]

    public init(train: [EncodedExample], validation: [EncodedExample]) {
        self.train = train
        self.validation = validation
    }

    public var tasks: [String] { Array(Set(train.map(\.task))).sorted() }
}

/// The training loop: micro-batches → loss and gradients → clipping → AdamW, with validation,
/// the best model, early stopping and checkpoints.
///
/// Every random choice is a function of the seed and the step: epoch e's data order is a
/// seeded shuffle keyed by e, and step s's dropout masks are keyed by s and the micro-batch.
/// So the examples and masks of a step do not depend on how the run got there, and a resumed
/// run computes exactly what an uninterrupted one does.
public final class Trainer {
    public struct Outcome: Sendable {
        public var steps: Int
        public var lastLoss: Float?
        public var bestValidationLoss: Float?
        public var bestStep: Int?
        public var seconds: Double
        public var tokensPerSecond: Double
        public var stoppedEarly: Bool
    }

    public let model: TrainableLlama
    public let settings: TrainSettings
    public let data: TrainingData
    public let run: RunFolder
    /// Receives every line to show. A throw from it stops the run there (a cancellation), with
    /// the last checkpoint kept, exactly as a kill would.
    let say: (String) throws -> Void
    /// Writes the model as it is now (adapter or full weights) into a folder.
    let saveModel: (URL) throws -> Void
    private var order: (epoch: Int, indices: [Int]) = (-1, [])

    public init(model: TrainableLlama, settings: TrainSettings, data: TrainingData, run: RunFolder,
                say: @escaping (String) throws -> Void, saveModel: @escaping (URL) throws -> Void) throws {
        try settings.validate()
        guard !data.train.isEmpty else { throw TrainError.badInput("no training examples to train on") }
        (self.model, self.settings, self.data, self.run, self.say, self.saveModel) = (model, settings, data, run, say, saveModel)
    }

    /// Optimizer steps the run takes (see `TrainSettings.totalSteps`).
    public var plannedSteps: Int {
        settings.totalSteps(lengths: { self.example(at: $0).tokens.count }, examples: data.train.count)
    }

    public func train(resume: Bool) throws -> Outcome {
        let total = plannedSteps
        let schedule = LearningRateSchedule(peak: settings.peakLearningRate, warmupSteps: settings.warmupSteps(total: total), totalSteps: total)
        let optimizer = AdamW(count: model.trainableCount, tensors: model.tensors, settings: .init(weightDecay: settings.weightDecay))
        var state = TrainingState()
        state.seed = settings.seed
        if resume && run.hasCheckpoint {
            state = try TrainingCheckpoint.load(from: run.checkpoint, into: model, optimizer)
            try run.truncateLog(after: state.step)
            try say("resuming at step \(state.step + 1) of \(total) from \(run.checkpoint.path)")
        }
        reserveActivations(from: state.examplesSeen, steps: total - state.step)
        let log = try LineAppender(run.log, truncate: state.step == 0)
        let started = Date(), startStep = state.step, previouslyElapsed = state.elapsedSeconds
        var tokensSinceStart = 0, stoppedEarly = false
        while state.step < total && !stoppedEarly {
            let step = state.step + 1
            let stepStarted = Date()
            let examples = (0 ..< settings.examplesPerStep).map { example(at: state.examplesSeen + $0) }
            let (loss, taskLoss) = try accumulateGradients(examples, step: step)
            guard loss.isFinite else { throw TrainError.nonFiniteLoss(step: step, lastFinite: state.lastFiniteLoss) }
            let norm = GradientClipping.clip(model.gradients, maxNorm: settings.maxGradientNorm)
            let lr = schedule.rate(at: step)
            optimizer.step(parameters: model.parameters, gradients: UnsafeBufferPointer(model.gradients), lr: lr)
            state.step = step
            state.examplesSeen += settings.examplesPerStep
            state.lastFiniteLoss = loss

            let tokens = examples.reduce(0) { $0 + $1.tokens.count }
            tokensSinceStart += tokens
            let sinceStart = Date().timeIntervalSince(started)
            state.elapsedSeconds = previouslyElapsed + sinceStart
            let entry = TrainLogEntry(kind: .train, step: step, totalSteps: total,
                                      epoch: Double(state.examplesSeen) / Double(data.train.count), loss: loss, taskLoss: taskLoss,
                                      learningRate: lr, gradientNorm: norm, tokens: tokens,
                                      tokensPerSecond: Double(tokens) / max(1e-9, Date().timeIntervalSince(stepStarted)),
                                      elapsedSeconds: state.elapsedSeconds,
                                      etaSeconds: sinceStart / Double(step - startStep) * Double(total - step))
            try log.append(entry.json)
            try say(entry.line)

            if step == total || (settings.evalEvery > 0 && step % settings.evalEvery == 0) {
                stoppedEarly = try validate(at: step, total: total, state: &state, log: log) && step < total
            }
            if settings.saveEvery > 0, step % settings.saveEvery == 0, step < total, !stoppedEarly {
                try TrainingCheckpoint.save(model, optimizer, state, to: run.checkpoint)
            }
        }
        try saveModel(run.url)
        try? FileManager.default.removeItem(at: run.checkpoint)
        if stoppedEarly { try say("stopped early at step \(state.step): no better validation loss in \(settings.earlyStopping ?? 0) validations") }
        return Outcome(steps: state.step, lastLoss: state.lastFiniteLoss, bestValidationLoss: state.bestValidationLoss, bestStep: state.bestStep,
                       seconds: state.elapsedSeconds,
                       tokensPerSecond: Double(tokensSinceStart) / max(1e-9, Date().timeIntervalSince(started)), stoppedEarly: stoppedEarly)
    }

    /// The largest micro-batch the rest of the run (and its validations) will pack.
    private func reserveActivations(from position: Int, steps: Int) {
        var rows = 0, longest = 0
        func measure(_ micro: [EncodedExample]) {
            rows = max(rows, micro.reduce(0) { $0 + $1.tokens.count - 1 })
            longest = max(longest, micro.map(\.tokens.count).max() ?? 0)
        }
        for start in stride(from: position, to: position + steps * settings.examplesPerStep, by: settings.batchSize) {
            measure((start ..< start + settings.batchSize).map(example(at:)))
        }
        let validation = Array(data.validation.prefix(settings.evalExamples))
        for start in stride(from: 0, to: validation.count, by: settings.batchSize) {
            measure(Array(validation[start ..< min(start + settings.batchSize, validation.count)]))
        }
        model.reserve(rows: rows, longest: longest)
    }

    /// The example at a position of the endless stream epoch 0, epoch 1, … (each a seeded
    /// shuffle of the training set).
    private func example(at position: Int) -> EncodedExample {
        let epoch = position / data.train.count
        if order.epoch != epoch {
            var indices = Array(data.train.indices)
            var rng = SeededRandom(seed: settings.seed, stream: "train-order|\(epoch)")
            rng.shuffle(&indices)
            order = (epoch, indices)
        }
        return data.train[order.indices[position % data.train.count]]
    }

    /// Zeroes the gradients, then runs every micro-batch of the step; the loss is the mean over
    /// all answer tokens of the step, so accumulation does not change what is averaged.
    private func accumulateGradients(_ examples: [EncodedExample], step: Int) throws -> (Float, [(task: String, loss: Float)]) {
        model.zeroGradients()
        let targets = examples.reduce(0) { $0 + $1.answerLength }
        var sums = TaskLosses()
        for k in 0 ..< settings.gradientAccumulation {
            let micro = Array(examples[k * settings.batchSize ..< (k + 1) * settings.batchSize])
            let batch = Self.pack(micro)
            let key = settings.seed ^ (UInt64(step) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(k) &* 0xD6E8_FEB8_6659_FD93)
            let losses = model.forwardBackward(batch, lossScale: 1 / Float(targets), backward: true, dropoutKey: key)
            sums.add(losses, batch: batch, examples: micro)
        }
        return (sums.mean, sums.perTask)
    }

    /// Mean validation loss overall and per task, at most `evalExamples` examples. Keeps the
    /// best model and returns whether early stopping says to stop.
    private func validate(at step: Int, total: Int, state: inout TrainingState, log: LineAppender) throws -> Bool {
        let examples = Array(data.validation.prefix(settings.evalExamples))
        guard !examples.isEmpty else { return false }
        let sums = model.evaluateLoss(examples, batchSize: settings.batchSize)
        let entry = TrainLogEntry(kind: .validation, step: step, totalSteps: total, loss: sums.mean, taskLoss: sums.perTask)
        try log.append(entry.json)
        try say(entry.line)
        if state.bestValidationLoss.map({ sums.mean < $0 }) ?? true {
            (state.bestValidationLoss, state.bestStep, state.validationsWithoutImprovement) = (sums.mean, step, 0)
            try AtomicWrite.folder(run.best) { try saveModel($0) }
            return false
        }
        state.validationsWithoutImprovement += 1
        return settings.earlyStopping.map { state.validationsWithoutImprovement >= $0 } ?? false
    }

    static func pack(_ examples: [EncodedExample]) -> PackedBatch {
        var batch = PackedBatch()
        for e in examples { batch.append(tokens: e.tokens, answerStart: e.answerStart) }
        return batch
    }
}
