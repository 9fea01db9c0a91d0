import CurateCore
import Foundation

/// The licences of a shard folder's sources, grouped: what the manifest's `licenses` holds and
/// the card's warning is made from.
struct LicenseSummary {
    struct Entry {
        var license: DataLicense
        var datasets: [String]
    }

    var entries: [Entry]

    init(sources: [JSONValue]) {
        var datasets: [String: [String]] = [:]
        for source in sources {
            let license = source["license"]?.stringValue ?? DataLicense.unknown
            let dataset = source["dataset"]?.stringValue ?? ""
            if !(datasets[license]?.contains(dataset) ?? false) { datasets[license, default: []].append(dataset) }
        }
        entries = datasets.keys.sorted().map { Entry(license: DataLicense($0), datasets: datasets[$0]!.sorted()) }
    }

    var json: JSONValue {
        .array(entries.map { entry in
            .object([("license", .string(entry.license.identifier)), ("non_commercial", .bool(entry.license.isNonCommercial)),
                     ("no_derivatives", .bool(entry.license.forbidsDerivatives)),
                     ("datasets", .array(entry.datasets.map(JSONValue.string)))])
        })
    }
}

/// The `README.md` of a shard folder: a Hugging Face dataset card whose YAML front matter maps
/// each split to its data files (so `load_dataset(DIR)` gives the right splits and never reads
/// the sidecars), then what a person needs before training on it: tasks and shares, sources
/// and licences, how it was made, and what was dropped on the way.
///
/// A pure function of the manifest, so the card is as deterministic as the shards.
struct DatasetCard {
    let manifest: JSONValue

    var markdown: String {
        [frontMatter, header, loading, splitsSection, tasksSection, sourcesSection, processingSection, formatSection]
            .joined(separator: "\n")
    }

    private var folder: ShardFolder.Type { ShardFolder.self }
    private var splits: [(String, JSONValue)] { manifest["splits"]?.objectPairs ?? [] }
    private var sources: [JSONValue] { manifest["sources"]?.arrayValue ?? [] }
    private var licenses: LicenseSummary { LicenseSummary(sources: sources) }
    private var mixture: String { manifest["mixture"]?.stringValue ?? "" }

    /// Licence ids the Hub knows; anything else is `other`, named in the body.
    private static let hubLicenses: Set<String> = [
        "cc-by-4.0", "cc-by-sa-4.0", "cc-by-nc-4.0", "cc-by-nc-sa-4.0", "cc-by-nc-nd-4.0", "cc-by-nd-4.0", "cc0-1.0",
        "cdla-sharing-1.0", "cdla-permissive-1.0", "cdla-permissive-2.0", "apache-2.0", "mit", "odc-by", "odbl",
    ]

    private var frontMatter: String {
        let hubIDs = licenses.entries.map { entry -> String in
            let id = entry.license.identifier.lowercased()
            return Self.hubLicenses.contains(id) ? id : "other"
        }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        var lines = ["---"]
        lines += hubIDs.isEmpty ? [] : ["license:"] + hubIDs.map { "- \($0)" }
        lines += ["pretty_name: \(Self.yamlQuoted("curate mixture \(mixture)"))", "tags:", "- curate", "- instruction-tuning",
                  "configs:", "- config_name: default", "  data_files:"]
        for (split, _) in splits {
            let shard = ShardFolder(manifest: manifest)
            lines += ["  - split: \(split)", "    path:"] + shard.shards(split: split).map { "    - \($0.dataFile)" }
        }
        return (lines + ["---", ""]).joined(separator: "\n")
    }

    private var header: String {
        let tool = "curate \(manifest["version"]?.stringValue ?? "")"
        let recipe = manifest["recipe"]?.stringValue.map { "recipe `\($0)`, " } ?? ""
        var text = """
            # \(mixture)

            An instruction-tuning mixture made by \(tool) from the mixture `\(mixture)` \
            (\(recipe)recipe sha256 `\(manifest["recipe_sha256"]?.stringValue ?? "")`, seed \(manifest["seed"]?.text() ?? "0")). \
            Records are in the `\(manifest["format"]?.stringValue ?? "")` format\
            \(manifest["compression"]?.stringValue.flatMap { $0 == "none" ? nil : ", \($0)-compressed" } ?? "").

            """
        let restricted = licenses.entries.filter { $0.license.isNonCommercial || $0.license.forbidsDerivatives }
        if !restricted.isEmpty {
            text += "\n> **Licence restrictions.** " + restricted.map { entry in
                let kind = [entry.license.isNonCommercial ? "non-commercial" : nil, entry.license.forbidsDerivatives ? "no derivatives" : nil]
                    .compactMap { $0 }.joined(separator: ", ")
                return "\(entry.datasets.joined(separator: ", ")): \(entry.license.identifier) (\(kind))"
            }.joined(separator: "; ") + ". This mixture includes data that may not be used commercially or shared as adapted "
                + "material; check each licence before training a model you will use or publish.\n"
        }
        if licenses.entries.contains(where: { $0.license.isUnknown }) {
            text += "\n> **Unknown licence.** Some sources were ingested without a licence (`curate ingest --license`).\n"
        }
        return text
    }

    private var loading: String {
        """
        ## Loading

        ```python
        from datasets import load_dataset
        ds = load_dataset("path/to/this/folder")          # the splits below, from this card's configs
        train = load_dataset("json", data_files="path/to/this/folder/train-*.jsonl*", split="train")
        ```

        """
    }

    private var splitsSection: String {
        Self.table(title: "Splits", ["split", "examples", "conversations", "files", "per task"], splits.map { split, summary in
            [split, summary["examples"]?.text() ?? "", summary["conversations"]?.text() ?? "",
             "\(ShardFolder(manifest: manifest).shards(split: split).count)",
             (summary["tasks"]?.objectPairs ?? []).map { "\($0.0) \($0.1.text())" }.joined(separator: ", ")]
        })
    }

    private var tasksSection: String {
        // The report is embedded as the store's JSON text; read it back to list its lines.
        var report = manifest["mixture_report"]
        if case .raw(let text)? = report { report = try? JSONParser.parse(text) }
        let lines = report?["lines"]?.arrayValue ?? []
        let percent = { (value: JSONValue?) in String(format: "%.1f%%", (value?.doubleValue ?? 0) * 100) }
        return Self.table(title: "Tasks and shares (train)",
                          ["task / dataset", "requested", "achieved", "examples", "epochs", "tokens p50", "tokens p95", "tokens max"],
                          lines.map { line in
            let tokens = line["tokens"]
            return [line["dataset"]?.stringValue.map { "  \($0)" } ?? line["task"]?.stringValue ?? "",
                    percent(line["requested_share"]), percent(line["achieved_share"]), line["examples"]?.text() ?? "",
                    String(format: "%.2f", line["epochs"]?.doubleValue ?? 0),
                    tokens?["p50"]?.text() ?? "-", tokens?["p95"]?.text() ?? "-", tokens?["max"]?.text() ?? "-"]
        })
    }

    private var sourcesSection: String {
        let counts = { (value: JSONValue?) in
            let pairs = value?.objectPairs ?? []
            return pairs.isEmpty ? "0" : pairs.map { "\($0.1.text()) \($0.0)" }.joined(separator: ", ")
        }
        return Self.table(title: "Sources", ["source", "dataset", "split", "licence", "read", "stored", "duplicates", "rejected", "filtered"],
                          sources.map { source in
            [source["path"]?.stringValue.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "", source["dataset"]?.stringValue ?? "",
             source["split"]?.stringValue ?? "",
             (source["license"]?.stringValue ?? "") + (source["non_commercial"] == .bool(true) ? " (NC)" : ""),
             source["read"]?.text() ?? "", source["stored"]?.text() ?? "", counts(source["duplicates"]), counts(source["rejected"]),
             counts(source["filtered"])]
        })
    }

    /// Totals over the sources, per duplicate kind, reject reason and filter reason.
    private var processingSection: String {
        var rows: [[String]] = []
        for (key, label) in [("duplicates", "duplicates"), ("rejected", "rejected"), ("filtered", "filtered")] {
            var totals: [String: Int] = [:]
            for source in sources { for (reason, n) in source[key]?.objectPairs ?? [] { totals[reason, default: 0] += n.intValue ?? 0 } }
            rows += totals.isEmpty ? [[label, "none", "0"]] : totals.keys.sorted().map { [label, $0, "\(totals[$0]!)"] }
        }
        return Self.table(title: "Deduplication, rejects and filters", ["stage", "kind / reason", "records"], rows)
            + "Counts add up per source: read = stored + duplicates + rejected + filtered. Filter reasons include PII "
            + "and quality filters when the store recorded them.\n"
    }

    private var formatSection: String {
        """
        ## Files

        Data files hold exactly the trainer's records. `meta/` holds a sidecar per data file, \
        line for line: the example and conversation ids, task, template, variant, every \
        reference answer and any few-shot exemplars. `manifest.json` lists every file with its \
        size and sha256, the mixture's spec and report, the sources and their licences.

        """
    }

    static func table(title: String, _ header: [String], _ rows: [[String]]) -> String {
        let escape = { (cell: String) in cell.replacingOccurrences(of: "|", with: "\\|") }
        return (["## \(title)", "", "| " + header.joined(separator: " | ") + " |", "|" + header.map { _ in " --- |" }.joined()]
            + rows.map { "| " + $0.map(escape).joined(separator: " | ") + " |" } + [""]).joined(separator: "\n")
    }

    static func yamlQuoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
