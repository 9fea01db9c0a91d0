import CurateCore
import CurateEval
import CurateModel
import CurateShard
import CurateStore
import CurateTrain
import Foundation

/// `curate experiment forgetting`: curate the data a recipe names, make single-task,
/// multi-task and replay mixtures from one store, train every arm on the same token budget
/// and seed, score every arm on the same held-out examples, and report what each one gained
/// and forgot.
///
///     DIR/data/<mixture>/        shards of each mixture (data/multi's test split is the eval set)
///     DIR/arms/<arm>/            arm.json (its settings' hash), run/ (curate train), eval/, loss.json
///     DIR/forgetting.json, .md   the report
///
/// An arm whose arm.json has the same hash and whose evaluation finished is not run again, so
/// a rerun (after a kill, or with one more replay share) does only what is missing.
public struct ForgettingExperiment {
    public var recipe: Recipe
    public var settings: ForgettingSettings
    public var output: URL
    public var quick: Bool

    public init(recipe: Recipe, settings: ForgettingSettings, output: URL, quick: Bool) {
        (self.recipe, self.settings, self.output, self.quick) = (recipe, settings, output, quick)
    }

    var budget: ForgettingSettings.Budget { quick ? settings.quick : settings.budget }
    var tasks: [String] { [settings.target] + settings.others }
    var maxNewTokens: Int { budget.max_new_tokens ?? settings.max_new_tokens }
    func data(_ mixture: String) -> URL { output.appendingPathComponent("data").appendingPathComponent(mixture) }
    func armFolder(_ arm: ForgettingArm) -> URL { armFolder(named: arm.name) }
    func armFolder(named name: String) -> URL { output.appendingPathComponent("arms").appendingPathComponent(name) }

    public func run(store: Store, runID: String, progress: ProgressReporter = .silent, say: @escaping @Sendable (String) -> Void,
                    report: (StageReport) throws -> Void) throws -> ForgettingReport {
        var curation = recipe
        (curation.mix, curation.shard, curation.train) = (nil, nil, nil)
        try curation.run(store: store, runID: runID, progress: progress, say: say, report: report)
        for (name, spec) in settings.mixtures(seed: recipe.seed, examples: budget.mixture_examples) {
            let mixture = try MixJob(name: "forgetting-" + name, spec: spec, replace: true).run(store: store, runID: runID)
            try report(.mix(MixJob(name: "forgetting-" + name, spec: spec), mixture))
            _ = try ShardJob(mixture: "forgetting-" + name, output: data(name),
                             configuration: .init(format: .openaiChat, shardSize: 100_000), recipeSHA256: recipe.sha256).run(store: store)
        }
        let evaluation = try ShardFolder(directory: data("multi"))
        for task in tasks {
            let available = evaluation.manifest["splits"]?["test"]?["tasks"]?[task]?.intValue ?? 0
            guard available > 0 else {
                throw CurateError("the multi-task mixture has no \(task) test examples — give a source of \(task) a test split (test_holdout: in its ingest step)")
            }
            if available < budget.eval_examples { say("note: \(task) has \(available) test examples, fewer than the \(budget.eval_examples) asked for") }
        }
        var hashes: [String: String] = [:]
        var scored: [ArmScores] = []
        for arm in ForgettingArm.arms(replay: settings.replay) {
            let hash = try armHash(arm, startHash: arm.startsFrom.flatMap { hashes[$0] }, evaluation: evaluation)
            hashes[arm.name] = hash
            try runArm(arm, hash: hash, evaluation: evaluation, progress: progress, say: say)
            scored.append(try scores(of: arm))
        }
        let result = try ForgettingReport(target: settings.target, others: settings.others, arms: scored, bootstrap: Bootstrap(seed: recipe.seed))
        try AtomicWrite.file(Data(result.json.prettyText().utf8), to: output.appendingPathComponent("forgetting.json"))
        try AtomicWrite.file(Data(result.markdown.utf8), to: output.appendingPathComponent("forgetting.md"))
        return result
    }

    /// Everything that decides an arm's result, hashed: the arm, its training settings and
    /// data, the arm it starts from, the evaluation set and budgets.
    func armHash(_ arm: ForgettingArm, startHash: String?, evaluation: ShardFolder) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let train = arm.method == .none ? "" : String(decoding: try encoder.encode(settings.trainSettings(arm, budget: budget, seed: recipe.seed)), as: UTF8.self)
        let mixture = try arm.mixture.map { try ShardFolder(directory: data($0)).manifestSHA256 } ?? ""
        let text = [arm.name, arm.method.rawValue, mixture, startHash ?? "", train, evaluation.manifestSHA256, settings.model,
                    "\(budget.eval_examples)|\(budget.validation_examples)|\(maxNewTokens)|\(settings.max_seq_len)"].joined(separator: "\n")
        return SHA256.hex(of: text)
    }

    private func runArm(_ arm: ForgettingArm, hash: String, evaluation: ShardFolder, progress: ProgressReporter,
                        say: @escaping (String) -> Void) throws {
        let folder = armFolder(arm)
        let record = folder.appendingPathComponent("arm.json")
        let recorded = (try? String(contentsOf: record, encoding: .utf8)).flatMap { try? JSONParser.parse($0) }
        if recorded?["hash"]?.stringValue == hash, recorded?["status"]?.stringValue == "finished" {
            say("\(arm.name): finished earlier with the same settings — kept")
            return
        }
        if recorded != nil, recorded?["hash"]?.stringValue != hash { try FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func write(_ status: String) throws {
            try AtomicWrite.file(Data(JSONValue.object([("arm", .string(arm.name)), ("hash", .string(hash)), ("status", .string(status)),
                                                         ("method", .string(arm.method.rawValue)), ("data", .string(arm.data)),
                                                         ("starts_from", arm.startsFrom.map(JSONValue.string) ?? .null)]).prettyText().utf8), to: record)
        }
        try write("running")
        say("\n== \(arm.name)" + (arm.startsFrom.map { " (from \($0))" } ?? ""))
        let model: ModelReference
        if let mixture = arm.mixture {
            let start = arm.startsFrom.map { armFolder(named: $0).appendingPathComponent("run").path }
            let run = folder.appendingPathComponent("run")
            try TrainJob(model: start ?? settings.model, shards: data(mixture), output: run,
                         settings: settings.trainSettings(arm, budget: budget, seed: recipe.seed), mode: .resumeOrKeep).run(say: say)
            model = .run(run)
        } else {
            model = try ModelReference.resolve(settings.model, log: say)
        }
        let metrics = try EvalJob(model: model, shards: evaluation.directory, split: .test, tasks: tasks, limit: nil, limitPerTask: budget.eval_examples,
                                  batchSize: 8, maxNewTokens: maxNewTokens, output: folder.appendingPathComponent("eval")).run(progress: progress)
        say("\(arm.name): evaluated \(metrics["examples"]?.intValue ?? 0) examples in \(metrics["seconds"]?.doubleValue ?? 0) s")
        try heldOutLoss(model, evaluation: evaluation, to: folder.appendingPathComponent("loss.json"))
        try write("finished")
    }

    /// The mean answer-token loss per task on the evaluation set's validation examples.
    private func heldOutLoss(_ model: ModelReference, evaluation: ShardFolder, to url: URL) throws {
        var perTask: [String: Int] = [:]
        let records = try evaluation.records(.validation) { record in
            perTask[record.task, default: 0] += 1
            return perTask[record.task]! <= budget.validation_examples
        }
        let (gguf, weights) = try model.load()
        let encoder = try ExampleEncoder(tokenizer: try BPETokenizer(gguf: gguf), template: try ChatTemplate(gguf: gguf), maxLength: settings.max_seq_len)
        let examples = TrainJob.encode(records, encoder).0
        let losses = try TrainableLlama(weights: weights, method: .full, seed: 0, maxPositions: settings.max_seq_len)
            .evaluateLoss(examples, batchSize: settings.batch)
        try AtomicWrite.file(Data(JSONValue.object(losses.perTask.map { ($0.task, .double(Double($0.loss))) }).prettyText().utf8), to: url)
    }

    /// An arm's results read back from its folder.
    private func scores(of arm: ForgettingArm) throws -> ArmScores {
        let folder = armFolder(arm)
        let metrics = try JSONParser.parse(try String(contentsOf: folder.appendingPathComponent("eval/metrics.json"), encoding: .utf8))
        var scores: [String: [ExampleScore]] = [:]
        for line in try String(contentsOf: folder.appendingPathComponent("eval/predictions.jsonl"), encoding: .utf8).split(separator: "\n") {
            let prediction = try JSONParser.parse(String(line))
            guard let name = prediction["task"]?.stringValue, let task = TaskScorer.Task(rawValue: name),
                  let score = prediction["score"].flatMap({ ExampleScore(json: $0, task: task) }) else {
                throw CurateError("\(folder.path)/eval/predictions.jsonl: a line without a readable score — delete \(folder.path) to redo the arm")
            }
            scores[name, default: []].append(score)
        }
        let loss = try JSONParser.parse(try String(contentsOf: folder.appendingPathComponent("loss.json"), encoding: .utf8))
        let run = (try? String(contentsOf: folder.appendingPathComponent("run/run.json"), encoding: .utf8)).flatMap { try? JSONParser.parse($0) }
        return ArmScores(name: arm.name, method: arm.method.rawValue, data: arm.data, startedFrom: arm.startsFrom, scores: scores,
                         metrics: Dictionary(uniqueKeysWithValues: (metrics["tasks"]?.objectPairs ?? []).map { ($0.0, $0.1) }),
                         validationLoss: Dictionary(uniqueKeysWithValues: (loss.objectPairs ?? []).compactMap { k, v in v.doubleValue.map { (k, $0) } }),
                         trainSeconds: run?["result"]?["seconds"]?.doubleValue, tokensPerSecond: run?["result"]?["tokens_per_second"]?.doubleValue)
    }
}
