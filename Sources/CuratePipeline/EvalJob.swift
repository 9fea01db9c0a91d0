import CurateCore
import CurateEval
import CurateModel
import CurateShard
import Foundation

/// Evaluation wiring: a split of a shard folder → model predictions → per-task metrics.
///
/// Prompts come from the shard lines (exactly what a trainer would see), tasks and references
/// from the sidecars in the folder's `meta/` (see `ShardFolder`).
public struct EvalJob {
    public var model: ModelReference
    public var shards: URL
    public var split: Split
    /// Only these tasks; nil for every task in the split.
    public var tasks: [String]?
    /// At most this many examples, in shard order.
    public var limit: Int?
    /// At most this many examples of each task (the first ones in shard order).
    public var limitPerTask: Int?
    /// Predictions decoded together; a finished one's slot takes the next prompt at once.
    public var batchSize: Int
    public var precision: DecodingPrecision
    /// The most new tokens of any prediction. Each task also stops at four times its longest
    /// reference plus 16 tokens: room for a zero-shot model's "The rating is 4.", but a
    /// rating ("4") is not given 64 tokens to ramble in.
    public var maxNewTokens: Int
    public var output: URL

    public init(model: ModelReference, shards: URL, split: Split, tasks: [String]?, limit: Int?, limitPerTask: Int? = nil,
                batchSize: Int, precision: DecodingPrecision = .quantized, maxNewTokens: Int, output: URL) {
        self.model = model
        self.shards = shards
        self.split = split
        self.tasks = tasks
        self.limit = limit
        self.limitPerTask = limitPerTask
        self.batchSize = batchSize
        self.precision = precision
        self.maxNewTokens = maxNewTokens
        self.output = output
    }

    /// Runs the evaluation, writes `predictions.jsonl` and `metrics.json` into `output`, and
    /// returns the metrics.
    public func run(progress: ProgressReporter = .silent) throws -> JSONValue {
        let items = try loadItems()
        guard !items.isEmpty else {
            throw CurateError("\(shards.path): no \(split.rawValue) examples\(tasks.map { " for \($0.joined(separator: ","))" } ?? "") — check --split and --tasks against manifest.json")
        }
        var scorers = try Dictionary(uniqueKeysWithValues: Set(items.map(\.task)).map { ($0, try TaskScorer(task: $0)) })
        let model = try self.model.chatModel(precision: precision)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        var predictions: [String] = []
        var generatedTokens = 0, done = 0
        var budgets: [String: Int] = [:]
        let started = Date()
        // Task by task (in order of first appearance), so each batch shares one token budget.
        let tasks = items.map(\.task).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for task in tasks {
            let taskItems = items.filter { $0.task == task }
            let longest = taskItems.flatMap(\.references).map { model.tokenizer.encode($0).count }.max() ?? maxNewTokens
            let budget = min(maxNewTokens, 4 * longest + 16)
            budgets[task] = budget
            let replies = try model.reply(to: taskItems.map { ($0.system, $0.prompt) }, maxNewTokens: budget, slots: batchSize) { _ in
                done += 1
                progress.report("eval", done, items.count)
            }
            for (item, reply) in zip(taskItems, replies) {
                let prediction = reply.text.trimmingCharacters(in: .whitespacesAndNewlines)
                let score = scorers[item.task]!.add(references: item.references, prediction: prediction)
                generatedTokens += reply.tokens
                predictions.append(JSONValue.object([
                    ("example", item.meta["example"] ?? .null), ("conversation", item.meta["conversation"] ?? .null),
                    ("task", .string(item.task)), ("template", item.meta["template"] ?? .null),
                    ("prediction", .string(prediction)), ("references", .array(item.references.map(JSONValue.string))),
                    ("score", score.json),
                ]).text())
            }
        }
        progress.finish("eval")
        let seconds = Date().timeIntervalSince(started)
        let metrics = JSONValue.object([
            ("model", .string(self.model.description)),
            ("shards", .string(shards.path)),
            ("split", .string(split.rawValue)),
            ("examples", .int(items.count)),
            ("max_new_tokens", .object(tasks.map { ($0, .int(budgets[$0]!)) })),
            ("decoding", .string("greedy")),
            ("precision", .string(precision.rawValue)),
            ("seconds", .double((seconds * 100).rounded() / 100)),
            ("examples_per_minute", .double((Double(items.count) / seconds * 60 * 10).rounded() / 10)),
            ("generated_tokens", .int(generatedTokens)),
            ("tasks", .object(scorers.keys.sorted().map { ($0, scorers[$0]!.metrics) })),
        ])
        try Data((predictions.joined(separator: "\n") + "\n").utf8).write(to: output.appendingPathComponent("predictions.jsonl"))
        try Data(metrics.prettyText().utf8).write(to: output.appendingPathComponent("metrics.json"))
        return metrics
    }

    /// The split's records (filtered by task, at most `limit`), in shard order.
    func loadItems() throws -> [ShardFolder.Record] {
        var perTask: [String: Int] = [:]
        return try ShardFolder(directory: shards).records(split, limit: limit) { record in
            guard tasks.map({ $0.contains(record.task) }) ?? true else { return false }
            perTask[record.task, default: 0] += 1
            return limitPerTask.map { perTask[record.task]! <= $0 } ?? true
        }
    }
}
