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
    public var model: URL
    public var shards: URL
    public var split: Split
    /// Only these tasks; nil for every task in the split.
    public var tasks: [String]?
    /// At most this many examples, in shard order.
    public var limit: Int?
    public var batchSize: Int
    public var maxNewTokens: Int
    public var output: URL

    public init(model: URL, shards: URL, split: Split, tasks: [String]?, limit: Int?, batchSize: Int, maxNewTokens: Int, output: URL) {
        self.model = model
        self.shards = shards
        self.split = split
        self.tasks = tasks
        self.limit = limit
        self.batchSize = batchSize
        self.maxNewTokens = maxNewTokens
        self.output = output
    }

    struct Item {
        var meta: JSONValue
        var system: String?
        var prompt: String
        var task: String { meta["task"]?.stringValue ?? "" }
        var references: [String] { meta["references"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
    }

    /// Runs the evaluation, writes `predictions.jsonl` and `metrics.json` into `output`, and
    /// returns the metrics.
    public func run(progress: ProgressReporter = .silent) throws -> JSONValue {
        let items = try loadItems()
        guard !items.isEmpty else {
            throw CurateError("\(shards.path): no \(split.rawValue) examples\(tasks.map { " for \($0.joined(separator: ","))" } ?? "") — check --split and --tasks against manifest.json")
        }
        var scorers = try Dictionary(uniqueKeysWithValues: Set(items.map(\.task)).map { ($0, try TaskScorer(task: $0)) })
        let model = try ChatModel(path: self.model)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        var predictions: [String] = []
        var generatedTokens = 0
        let started = Date()
        for start in stride(from: 0, to: items.count, by: batchSize) {
            let batch = Array(items[start..<min(start + batchSize, items.count)])
            let replies = try model.reply(to: batch.map { ($0.system, $0.prompt) }, maxNewTokens: maxNewTokens)
            for (item, reply) in zip(batch, replies) {
                let prediction = reply.text.trimmingCharacters(in: .whitespacesAndNewlines)
                scorers[item.task]!.add(references: item.references, prediction: prediction)
                generatedTokens += reply.tokens
                predictions.append(JSONValue.object([
                    ("example", item.meta["example"] ?? .null), ("conversation", item.meta["conversation"] ?? .null),
                    ("task", .string(item.task)), ("template", item.meta["template"] ?? .null),
                    ("prediction", .string(prediction)), ("references", .array(item.references.map(JSONValue.string))),
                ]).text())
            }
            progress.report("eval", min(start + batchSize, items.count), items.count)
        }
        progress.finish("eval")
        let seconds = Date().timeIntervalSince(started)
        let metrics = JSONValue.object([
            ("model", .string(model.path.lastPathComponent)),
            ("shards", .string(shards.path)),
            ("split", .string(split.rawValue)),
            ("examples", .int(items.count)),
            ("max_new_tokens", .int(maxNewTokens)),
            ("decoding", .string("greedy")),
            ("seconds", .double((seconds * 100).rounded() / 100)),
            ("examples_per_minute", .double((Double(items.count) / seconds * 60 * 10).rounded() / 10)),
            ("generated_tokens", .int(generatedTokens)),
            ("tasks", .object(scorers.keys.sorted().map { ($0, scorers[$0]!.metrics) })),
        ])
        try Data((predictions.joined(separator: "\n") + "\n").utf8).write(to: output.appendingPathComponent("predictions.jsonl"))
        try Data(metrics.prettyText().utf8).write(to: output.appendingPathComponent("metrics.json"))
        return metrics
    }

    /// Pairs each data record of the split's shards with its sidecar line, in manifest order.
    func loadItems() throws -> [Item] {
        let folder = try ShardFolder(directory: shards)
        var items: [Item] = []
        try folder.records(split: split.rawValue) { record, meta in
            if let tasks, !tasks.contains(meta["task"]?.stringValue ?? "") { return true }
            guard let (system, prompt) = folder.prompt(of: record) else {
                throw CurateError("\(shards.path): a \(split.rawValue) record has neither a prompt nor a user message")
            }
            items.append(Item(meta: meta, system: system, prompt: prompt))
            return limit.map { items.count < $0 } ?? true
        }
        return items
    }
}
