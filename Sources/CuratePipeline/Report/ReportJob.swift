import CurateCore
import CurateStore
import Foundation

/// `curate report`: what a store, a mixture, evaluations, training runs and the forgetting
/// experiment say, gathered into one self-contained HTML page (`HTMLReport`).
///
/// Inputs other stages write: `EVAL/metrics.json` (`curate eval`), `RUN/train_log.jsonl`
/// (`curate train`) and `DIR/forgetting.json` (`curate experiment forgetting`), in the formats
/// README "curate report" describes. The page is written beside `output` and renamed into
/// place, so a half-written report never looks finished.
public struct ReportJob: Sendable {
    public var mixture: String?
    public var evals: [URL]
    public var runs: [URL]
    public var forgetting: URL?
    public var output: URL

    public init(mixture: String?, evals: [URL] = [], runs: [URL] = [], forgetting: URL? = nil, output: URL) {
        self.mixture = mixture
        self.evals = evals
        self.runs = runs
        self.forgetting = forgetting
        self.output = output
    }

    /// Everything the page shows, read before any HTML is made.
    struct Data {
        var store: String
        var sources: [SourceAccount]
        var rejects: [RejectSample]
        var mixture: (name: String, report: JSONValue)?
        /// Per task, each training example's length: in tokens when render counted them all.
        var lengths: [(task: String, unit: String, values: [Int])]
        var evals: [(name: String, metrics: JSONValue)]
        var runs: [(name: String, log: [JSONValue])]
        var forgetting: JSONValue?
    }

    /// Writes the page and returns what it holds (the counts `--json` prints).
    @discardableResult
    public func run(store: Store) throws -> JSONValue {
        let data = try gather(store: store)
        let html = HTMLReport(data: data).html
        let temporary = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).partial")
        try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Foundation.Data(html.utf8).write(to: temporary)
        _ = try? FileManager.default.removeItem(at: output)
        try FileManager.default.moveItem(at: temporary, to: output)
        return .object([
            ("command", .string("report")), ("out", .string(output.path)), ("bytes", .int(html.utf8.count)),
            ("sources", .int(data.sources.count)), ("mixture", data.mixture.map { .string($0.name) } ?? .null),
            ("evals", .int(data.evals.count)), ("runs", .int(data.runs.count)), ("forgetting", .bool(data.forgetting != nil)),
        ])
    }

    func gather(store: Store) throws -> Data {
        var mixtureData: (String, JSONValue)?
        var lengths: [(String, String, [Int])] = []
        let name = try mixture ?? Self.onlyMixture(store)
        if let name {
            let stored = try store.mixture(named: name)
            let report = try JSONParser.parse(stored.report)
            mixtureData = (name, report)
            let tasks = (report["lines"]?.arrayValue ?? []).compactMap { $0["dataset"] == .null ? $0["task"]?.stringValue : nil }
            let byID = Dictionary(uniqueKeysWithValues: try store.exampleSummaries(tasks: tasks, split: .train).map { ($0.exampleID, $0) })
            let entries = stored.entries.compactMap { byID[$0.example] }
            for task in tasks {
                let examples = entries.filter { $0.task == task }
                let counted = examples.allSatisfy { $0.tokens != nil }
                lengths.append((task, counted ? "tokens" : "words", examples.map { counted ? $0.tokens! : $0.words }))
            }
        }
        return Data(
            store: store.path, sources: try store.sourceAccounts(), rejects: try store.rejectSamples(perReason: 3),
            mixture: mixtureData.map { (name: $0.0, report: $0.1) }, lengths: lengths.map { (task: $0.0, unit: $0.1, values: $0.2) },
            evals: try evals.map { (name: $0.lastPathComponent, metrics: try Self.json($0.appendingPathComponent("metrics.json"), made: "curate eval")) },
            runs: try runs.map { (name: $0.lastPathComponent, log: try Self.jsonLines($0.appendingPathComponent("train_log.jsonl"))) },
            forgetting: try forgetting.map { try Self.json($0.appendingPathComponent("forgetting.json"), made: "curate experiment forgetting") })
    }

    /// With no --mix, the store's mixture when it has exactly one.
    private static func onlyMixture(_ store: Store) throws -> String? {
        let names = try store.stats().mixtures.map(\.name)
        return names.count == 1 ? names[0] : nil
    }

    private static func json(_ url: URL, made command: String) throws -> JSONValue {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw CurateError("\(url.path): not found — pass a folder written by `\(command)`")
        }
        do { return try JSONParser.parse(text) } catch {
            throw CurateError("\(url.path): not valid JSON (\(error)) — was it written by `\(command)`?")
        }
    }

    private static func jsonLines(_ url: URL) throws -> [JSONValue] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw CurateError("\(url.path): not found — pass a run folder written by `curate train --out RUN`")
        }
        return try text.split(separator: "\n").enumerated().map { index, line in
            do { return try JSONParser.parse(String(line)) } catch {
                throw CurateError("\(url.path):\(index + 1): not valid JSON (\(error)) — each line is one train or validation record")
            }
        }
    }
}
