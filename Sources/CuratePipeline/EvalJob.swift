import CurateCore
import CurateEval
import CurateModel
import Foundation

/// Evaluation wiring: a split of a shard folder → model predictions → per-task metrics.
///
/// Prompts come from the shard lines (exactly what a trainer would see), tasks and references
/// from the `.meta.jsonl` sidecars written beside them.
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

    /// Pairs each data line of the split's shards with its sidecar line, in manifest order.
    func loadItems() throws -> [Item] {
        let manifestURL = shards.appendingPathComponent("manifest.json")
        guard let manifestText = try? String(contentsOf: manifestURL, encoding: .utf8) else {
            throw CurateError("\(manifestURL.path): not found — --shards must be a folder written by `curate shard`")
        }
        let files = (try JSONParser.parse(manifestText)["shards"]?.arrayValue ?? []).filter {
            $0["kind"]?.stringValue == "data" && $0["split"]?.stringValue == split.rawValue
        }.compactMap { $0["file"]?.stringValue }
        var items: [Item] = []
        for file in files {
            let data = try lines(file)
            let meta = try lines(file.replacingOccurrences(of: ".jsonl", with: ".meta.jsonl"))
            guard data.count == meta.count else { throw CurateError("\(file): \(data.count) lines but its .meta.jsonl has \(meta.count) — rewrite the shards") }
            for (line, metaLine) in zip(data, meta) {
                let record = try JSONParser.parse(line)
                let metaValue = try JSONParser.parse(metaLine)
                if let tasks, !tasks.contains(metaValue["task"]?.stringValue ?? "") { continue }
                let messages = record["messages"]?.arrayValue ?? []
                let system = messages.first { $0["role"]?.stringValue == "system" }?["content"]?.stringValue
                guard let prompt = record["prompt"]?.stringValue
                        ?? messages.first(where: { $0["role"]?.stringValue == "user" })?["content"]?.stringValue else {
                    throw CurateError("\(file): a line has neither a prompt nor a user message")
                }
                items.append(Item(meta: metaValue, system: system, prompt: prompt))
                if let limit, items.count >= limit { return items }
            }
        }
        return items
    }

    private func lines(_ file: String) throws -> [String] {
        try String(contentsOf: shards.appendingPathComponent(file), encoding: .utf8).split(separator: "\n").map(String.init)
    }
}
