import CurateCore
import CurateMix
import CuratePipeline
import CurateStore
import Foundation

/// How each stage's result is printed. Shared by the single-stage commands and `curate run`,
/// so both read the same.
enum Reports {
    static func printIngest(_ job: IngestJob, _ result: IngestJob.Result) {
        for file in result.files {
            for diagnostic in file.firstRejections { Console.error("rejected: \(diagnostic)") }
            let unshown = file.counts.rejected - file.firstRejections.count
            if unshown > 0 { Console.error("rejected: … \(unshown) more from \(file.path), all in the rejects table") }
            if file.counts.rejected > 0 {
                let reasons = file.rejectionsByReason.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                Console.error("\(file.path): \(file.counts.rejected) of \(file.counts.read) records rejected (\(reasons))")
                if let hint = file.hint { Console.error("hint: \(hint)") }
            }
        }
        let rows = result.files.map { f in
            [f.path, "\(f.counts.read)", "\(f.counts.stored)", "\(f.counts.duplicates)", "\(f.counts.rejected)"]
        }
        let total = result.total
        let presets = result.files.map(\.preset).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let dataset = job.dataset.map { " as \($0)" } ?? ""
        let licenses = result.files.map { DataLicense($0.license) }.reduce(into: [DataLicense]()) { if !$0.contains($1) { $0.append($1) } }
        Console.report("ingest (\(presets.joined(separator: ", "))\(dataset), \(job.split.rawValue))")
        Console.report("license: " + licenses.map { $0.identifier + ($0.isNonCommercial ? " (non-commercial)" : "") }.joined(separator: ", "))
        Console.report(Console.table(["file", "read", "stored", "duplicates", "rejected"],
                            rows + (rows.count > 1 ? [["total", "\(total.read)", "\(total.stored)", "\(total.duplicates)", "\(total.rejected)"]] : [])))
    }

    static func printRender(_ result: RenderJob.Result) {
        Console.report("render: \(result.conversations) conversations → \(result.counts.stored) new examples, \(result.counts.duplicates) already stored")
        // Tasks that rendered, then tasks every conversation was skipped for.
        let tasks = result.perTask.keys.sorted() + result.skipped.keys.filter { result.perTask[$0] == nil }.sorted()
        let rows = tasks.map { task -> [String] in
            let variants = result.perTask[task] ?? [:]
            let skipped = (result.skipped[task] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.value.count) \($0.value.first)" }.joined(separator: "; ")
            return [task, "\(variants.values.reduce(0, +))"] + ExampleVariant.all.map { "\(variants[$0] ?? 0)" } + [skipped.isEmpty ? "-" : skipped]
        }
        Console.report(Console.table(["task", "examples"] + ExampleVariant.all.map(\.description) + ["conversations skipped"], rows))
    }

    /// The mixture's report: a line per task, then one per dataset it drew on; then the
    /// template distribution per task.
    static func printMixture(name: String, _ report: MixReport, dryRun: Bool) {
        Console.report("mixture '\(name)'\(dryRun ? " (dry run: nothing written)" : ""): \(report.total) examples")
        // Token columns only when render counted tokens, so the usual table stays as it was.
        let tokens = report.lines.contains { $0.tokens != nil }
        Console.report(Console.table(
            ["task / dataset", "pool", "requested", "achieved", "examples", "epochs", "characters", "words", "zero-shot", "few-shot", "options"]
                + (tokens ? ["tokens p50", "p95", "max"] : []),
            report.lines.map { line in
                [line.dataset.map { "  " + $0 } ?? line.task, "\(line.poolSize)", Console.percent(line.requestedShare),
                 Console.percent(line.achievedShare), "\(line.count)", String(format: "%.2f", line.epochs), "\(line.characters)",
                 "\(line.words)", "\(line.count - line.fewShot)", "\(line.fewShot)", "\(line.withOptions)"]
                    + (tokens ? [line.tokens.map { "\($0.p50)" } ?? "-", line.tokens.map { "\($0.p95)" } ?? "-", line.tokens.map { "\($0.max)" } ?? "-"] : [])
            }))
        for line in report.lines where line.dataset == nil && line.count > 0 {
            let templates = line.templates.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            Console.report("\(line.task) templates (\(templates.count)): " + templates.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
    }

    static func printShard(_ job: ShardJob, _ manifest: JSONValue) {
        guard case .object(let fields) = manifest,
              case .object(let splits)? = fields.first(where: { $0.0 == "splits" })?.1,
              case .array(let shards)? = fields.first(where: { $0.0 == "shards" })?.1 else { return }
        Console.report("shards → \(job.output.path) (\(job.configuration.format.rawValue)), \(shards.count) files + manifest.json")
        let rows: [[String]] = splits.map { split, summary in
            guard case .object(let s) = summary else { return [split] }
            let value = { (key: String) in s.first { $0.0 == key }?.1 }
            var tasks = ""
            if case .object(let perTask)? = value("tasks") { tasks = perTask.map { "\($0.0) \($0.1.text())" }.joined(separator: ", ") }
            return [split, value("examples")?.text() ?? "", value("conversations")?.text() ?? "", tasks]
        }
        Console.report(Console.table(["split", "examples", "conversations", "per task"], rows))
    }

    static func stats(_ s: StoreStats, sources: [SourceAccount]) -> String {
        var out: [String] = []
        out.append("migrations: \(s.migrations.joined(separator: ", "))")
        let unfinished = s.interrupted.filter { !$0.finishedLater }
        let finished = s.interrupted.count - unfinished.count
        out.append("runs: \(s.runs)" + (s.interrupted.isEmpty ? "" : " (\(s.interrupted.count) interrupted"
                                                + (finished > 0 ? ", \(finished) of them finished by a later run" : "") + ")") + "\n")
        if !unfinished.isEmpty {
            out.append("incomplete: these runs were killed before they finished; what they stored is consistent but partial —")
            out.append("run the same command again to finish (a rerun stores only what is missing; shard and mix output is replaced whole)")
            for run in unfinished {
                let command = (["curate"] + run.arguments.prefix(8)).joined(separator: " ") + (run.arguments.count > 8 ? " …" : "")
                out.append("  \(run.id) (started \(run.startedAt)) left \(run.conversations) conversations, \(run.examples) examples, \(run.rejects) rejects: \(command)")
            }
            out.append("")
        }
        let total = { (d: [String: Int]) in "\(d.values.reduce(0, +))" }
        out.append(Console.table(["source", "preset", "dataset", "split", "license", "bytes", "sha256", "read", "stored", "duplicates", "rejected", "filtered"],
                                 zip(s.sources, sources).map { source, account in
            [source.path, source.preset, source.dataset, source.split, account.license.identifier + (account.license.isNonCommercial ? " (NC)" : ""),
             "\(source.bytes)", String(source.sha256.prefix(12)), "\(account.read)", "\(account.stored)", total(account.duplicates),
             total(account.rejected), total(account.filtered)]
        }))
        out.append("")
        out.append(Console.table(["split", "conversations"], s.conversationsPerSplit.map { [$0.split, "\($0.count)"] }))
        out.append("")
        out.append(Console.table(["task", "split", "examples"], s.examplesPerTask.map { [$0.task, $0.split, "\($0.count)"] }))
        out.append("")
        out.append(Console.table(["task", "template", "examples"], s.examplesPerTemplate.map { [$0.task, $0.template, "\($0.count)"] }))
        out.append("")
        out.append(s.tokenLengths.isEmpty ? "token lengths: none counted (render with --tokenizer or --max-prompt-tokens)\n"
                   : Console.table(["task", "examples counted", "tokens p50", "tokens p95", "tokens max"],
                                   s.tokenLengths.map { [$0.task, "\($0.stats.count)", "\($0.stats.p50)", "\($0.stats.p95)", "\($0.stats.max)"] }) + "\n")
        out.append(s.rejects.isEmpty ? "rejects: none"
                   : Console.table(["stage", "reject reason", "count"], s.rejects.map { [$0.stage, $0.reason, "\($0.count)"] }))
        out.append(s.duplicates.isEmpty ? "duplicates: none"
                   : Console.table(["duplicate kind", "count"], s.duplicates.map { [$0.kind, "\($0.count)"] }))
        out.append(s.mixtures.isEmpty ? "mixtures: none"
                   : Console.table(["mixture", "examples"], s.mixtures.map { [$0.name, "\($0.examples)"] }))
        return out.joined(separator: "\n")
    }
}
