import CurateCore
import CurateModel
import CurateShard
import CurateTrain
import Dispatch
import Foundation

/// Training wiring: a shard folder and a model → tokenized examples → the trainer → a run
/// folder with the adapter or full weights, run.json and train_log.jsonl.
public struct TrainJob: Sendable {
    /// `--model`: a GGUF, a known model name, or a run folder to continue from.
    public var model: String
    public var shards: URL
    public var output: URL
    public var settings: TrainSettings
    public var mode: Mode

    /// What to do with a run already in `output`.
    public enum Mode: Sendable {
        /// Refuse: `output` must not hold a run yet.
        case fresh
        /// Continue it from its last checkpoint (`curate train --resume`).
        case resume
        /// Recipes: a finished run of the same settings and inputs is kept as it is, an
        /// unfinished one resumed, no run started — so rerunning a recipe redoes nothing.
        case resumeOrKeep
    }

    public init(model: String, shards: URL, output: URL, settings: TrainSettings, mode: Mode) {
        (self.model, self.shards, self.output, self.settings, self.mode) = (model, shards, output, settings, mode)
    }

    /// Runs (or resumes) the training; returns run.json's content.
    @discardableResult
    public func run(say: @escaping (String) -> Void) throws -> JSONValue {
        try settings.validate()
        let run = RunFolder(output)
        let folder = try ShardFolder(directory: shards)
        let base = try startingPoint(say: say)
        let exists = FileManager.default.fileExists(atPath: run.runJSON.path)
        if mode == .fresh, exists {
            throw CurateError("\(output.path) already holds a run — continue it with `curate train --resume \(output.path)`, or choose another --out")
        }
        let resume = mode == .resume || (mode == .resumeOrKeep && exists)
        let (gguf, weights) = try base.trained.baseWeights()
        let encoder = try ExampleEncoder(tokenizer: try BPETokenizer(gguf: gguf), template: try ChatTemplate(gguf: gguf),
                                         maxLength: settings.maxSequenceLength)
        let trainRecords = try folder.records(.train)
        guard !trainRecords.isEmpty else {
            throw CurateError("\(shards.path): the manifest lists no train split — write the shards from a mixture (`curate shard --mix NAME`)")
        }
        let (train, report) = Self.encode(trainRecords, encoder)
        guard !train.isEmpty else {
            throw CurateError("--max-seq-len \(settings.maxSequenceLength) fits none of the \(trainRecords.count) training examples (\(report.skippedText)) — raise --max-seq-len")
        }
        let (validation, _) = Self.encode(try folder.records(.validation, limit: settings.evalExamples), encoder)

        let model = try TrainableLlama(weights: weights, method: settings.method, seed: settings.seed, maxPositions: settings.maxSequenceLength)
        if let adapter = base.adapter { try model.startFrom(adapter: adapter) }
        let baseName = base.huggingFaceName
        let trainer = try Trainer(model: model, settings: settings, data: TrainingData(train: train, validation: validation), run: run, say: say,
                                  saveModel: { try TrainedModel.save(model, baseModelName: baseName, to: $0) })
        var record = try RunRecord(settings: settings, model: model, base: base, shards: folder, data: report,
                                   validationExamples: validation.count, steps: trainer.plannedSteps)
        if resume {
            if try record.matchesFinishedRun(run, acceptFinished: mode == .resumeOrKeep) {
                say("\(output.path): already trained with these settings and inputs — kept")
                return try RunRecord.recorded(run)
            }
        }
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try record.write(to: run, status: "running")
        say(record.header(trainExamples: train.count))
        for line in report.lines { say(line) }
        do {
            let outcome = try trainer.train(resume: resume)
            record.outcome = outcome
            try record.write(to: run, status: "finished")
            say("finished \(outcome.steps) steps in \(TrainLogEntry.duration(outcome.seconds)) (\(Int(outcome.tokensPerSecond.rounded())) tok/s); model in \(output.path)")
            return record.json(status: "finished")
        } catch let error as TrainError {
            try? record.write(to: run, status: "failed")
            throw CurateError(error.description)
        }
    }

    /// Where training starts: the base GGUF, an earlier run's weights, or an adapter to continue.
    struct StartingPoint {
        var trained: TrainedModel
        var adapter: LoRAWeights?
        var huggingFaceName: String
        var modelArgument: String
    }

    private func startingPoint(say: (String) -> Void) throws -> StartingPoint {
        let name = ModelSpec.all.first { $0.name == model }?.huggingFaceID ?? model
        switch try ModelReference.resolve(model, log: say) {
        case .gguf(let url):
            return StartingPoint(trained: TrainedModel(gguf: url, baseRun: nil, method: settings.method), adapter: nil,
                                 huggingFaceName: name, modelArgument: model)
        case .run(let url):
            let earlier = try TrainedModel.describing(run: url)
            if case .lora = earlier.method, settings.lora != nil {
                // Continue the same adapter on the same base, so the result still loads in PEFT.
                let file = try GGUFFile(path: earlier.gguf.path)
                let adapter = try HuggingFaceFormat.readAdapter(from: url, model: try LlamaConfig(gguf: file))
                return StartingPoint(trained: TrainedModel(gguf: earlier.gguf, baseRun: earlier.baseRun, method: settings.method),
                                     adapter: adapter, huggingFaceName: url.path, modelArgument: model)
            }
            return StartingPoint(trained: TrainedModel(gguf: earlier.gguf, baseRun: url, method: settings.method), adapter: nil,
                                 huggingFaceName: url.path, modelArgument: model)
        }
    }

    /// Tokenizes records on every core (in order), counting truncations and skips by reason.
    static func encode(_ records: [ShardFolder.Record], _ encoder: ExampleEncoder) -> ([EncodedExample], EncodingReport) {
        var results = [Result<EncodedExample, EncodingSkip>?](repeating: nil, count: records.count)
        results.withUnsafeMutableBufferPointer { out in
            let chunk = 64
            DispatchQueue.concurrentPerform(iterations: (records.count + chunk - 1) / chunk) { c in
                for i in c * chunk ..< min(records.count, (c + 1) * chunk) {
                    let r = records[i]
                    out[i] = encoder.encode(TrainingText(system: r.system, prompt: r.prompt, answer: r.completion, task: r.task, dialogue: r.dialogueSpan))
                }
            }
        }
        var report = EncodingReport(read: records.count)
        var encoded: [EncodedExample] = []
        for result in results {
            switch result! {
            case .success(let e):
                encoded.append(e)
                report.tokens += e.tokens.count
                if e.truncated { report.truncated += 1 }
            case .failure(let skip): report.skipped[skip.rawValue, default: 0] += 1
            }
        }
        return (encoded, report)
    }
}

/// How the training split turned into token sequences.
struct EncodingReport {
    var read: Int
    var truncated = 0
    var skipped: [String: Int] = [:]
    var tokens = 0

    var skippedText: String {
        skipped.isEmpty ? "none skipped" : skipped.keys.sorted().map { "\(skipped[$0]!) \($0)" }.joined(separator: ", ")
    }

    var lines: [String] {
        var out: [String] = []
        if truncated > 0 { out.append("\(truncated) of \(read) training examples had their dialogue cut to fit --max-seq-len") }
        if !skipped.isEmpty { out.append("skipped (answer or uncuttable prompt over --max-seq-len): \(skippedText)") }
        return out
    }

    var json: JSONValue {
        .object([("read", .int(read)), ("truncated", .int(truncated)),
                 ("skipped", .object(skipped.keys.sorted().map { ($0, .int(skipped[$0]!)) })), ("tokens", .int(tokens)),
                 ("padding_fraction", .double(0))])
    }
}
