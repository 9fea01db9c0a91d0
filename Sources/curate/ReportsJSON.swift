import CurateCore
import CurateMix
import CuratePipeline
import CurateStore
import Foundation

/// The objects `--json` prints, one per command (README "JSON output" documents each key).
/// Built from the same results as the human tables in `Reports`, so the two never disagree.
extension Reports {
    static func ingestJSON(_ job: IngestJob, _ result: IngestJob.Result, maxRejectRate: Double?, exceeded: Bool) -> JSONValue {
        let total = result.total
        return .object([
            ("command", .string("ingest")),
            ("split", .string(job.split.rawValue)),
            ("files", .array(result.files.map { file in
                .object([("path", .string(file.path)), ("preset", .string(file.preset)),
                         ("dataset", .string(job.dataset ?? file.preset)), ("license", .string(file.license)),
                         ("read", .int(file.counts.read)), ("stored", .int(file.counts.stored)),
                         ("duplicates", .int(file.counts.duplicates)), ("rejected", .int(file.counts.rejected)),
                         ("rejected_by_reason", counts(file.rejectionsByReason))])
            })),
            ("total", total.json),
            ("reject_rate", .double(RejectRateOption.rate(rejected: total.rejected, read: total.read))),
            ("max_reject_rate", maxRejectRate.map(JSONValue.double) ?? .null),
            ("exit_status", .int(exceeded ? 3 : 0)),
        ])
    }

    static func mixJSON(name: String, _ report: MixReport, dryRun: Bool) -> JSONValue {
        .object([("command", .string("mix")), ("mixture", .string(name)), ("dry_run", .bool(dryRun)), ("report", report.json)])
    }

    static func shardJSON(_ job: ShardJob, _ manifest: JSONValue) -> JSONValue {
        .object([("command", .string("shard")), ("out", .string(job.output.path)), ("manifest", manifest)])
    }

    static func statsJSON(_ s: StoreStats, sources: [SourceAccount]) -> JSONValue {
        .object([
            ("command", .string("stats")),
            ("migrations", .array(s.migrations.map(JSONValue.string))),
            ("runs", .int(s.runs)),
            ("sources", .array(sources.map(\.json))),
            ("conversations", .object(s.conversationsPerSplit.map { ($0.split, .int($0.count)) })),
            ("examples", .array(s.examplesPerTask.map { .object([("task", .string($0.task)), ("split", .string($0.split)), ("examples", .int($0.count))]) })),
            ("templates", .array(s.examplesPerTemplate.map { .object([("task", .string($0.task)), ("template", .string($0.template)), ("examples", .int($0.count))]) })),
            ("token_lengths", .array(s.tokenLengths.map(\.json))),
            ("rejects", .array(s.rejects.map { .object([("stage", .string($0.stage)), ("reason", .string($0.reason)), ("count", .int($0.count))]) })),
            ("duplicates", .object(s.duplicates.map { ($0.kind, .int($0.count)) })),
            ("mixtures", .object(s.mixtures.map { ($0.name, .int($0.examples)) })),
        ])
    }

    static func counts(_ d: [String: Int]) -> JSONValue { .object(d.keys.sorted().map { ($0, .int(d[$0]!)) }) }
}

extension Reports {
    /// `curate eval`'s human report: one line per task and metric (F-measures for ROUGE).
    static func evalTable(_ metrics: JSONValue) -> String {
        var rows: [[String]] = []
        for (task, values) in metrics["tasks"]?.objectPairs ?? [] {
            for (name, value) in values.objectPairs ?? [] {
                if let number = value.doubleValue {
                    rows.append([task, name, String(format: "%.4f", number)])
                } else if let f = value["f"]?.doubleValue {
                    rows.append([task, name + " F", String(format: "%.4f", f)])
                }
            }
        }
        let summary = "eval: \(metrics["examples"]?.text() ?? "0") examples, \(metrics["examples_per_minute"]?.text() ?? "?") examples/min"
        return summary + "\n" + Console.table(["task", "metric", "value"], rows)
    }
}
