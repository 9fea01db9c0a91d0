import CurateCore
import Foundation

/// The HTML page of `curate report`: one file, inline CSS and SVG, no script and no network.
/// Sections appear only for what was given (a store always; a mixture, evaluations, runs and
/// the forgetting experiment when present). Chart ids (`data-chart`) are stable, so a test can
/// count each chart's bars.
struct HTMLReport {
    let data: ReportJob.Data

    var html: String {
        let sections = [sourcesSection, mixtureSection, lengthsSection, formsSection, rejectsSection, evalSection, runsSection, forgettingSection]
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>curate report</title>
            <style>
            body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}
            h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}
            table{border-collapse:collapse;font-size:13px;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
            td:first-child,th:first-child{text-align:left}.note{color:#666;font-size:13px}.nc{color:#b00;font-weight:bold}
            code{font-size:12px}svg.chart{display:block;margin:8px 0}
            </style></head><body>
            <h1>curate report</h1>
            <p class="note">store <code>\(e(data.store))</code>\(data.mixture.map { " · mixture <code>\(e($0.name))</code>" } ?? "") · curate \(CurateVersion.current)</p>
            \(sections.filter { !$0.isEmpty }.joined(separator: "\n"))
            </body></html>

            """
    }

    private func e(_ text: String) -> String { SVGChart.escape(text) }

    private func table(_ header: [String], _ rows: [[String]]) -> String {
        "<table><tr>" + header.map { "<th>\(e($0))</th>" }.joined() + "</tr>"
            + rows.map { "<tr>" + $0.map { "<td>\($0)</td>" }.joined() + "</tr>" }.joined() + "</table>"
    }

    private func counts(_ d: [String: Int]) -> String {
        d.isEmpty ? "0" : d.keys.sorted().map { "\(d[$0]!) \(e($0))" }.joined(separator: ", ")
    }

    // MARK: store

    private var sourcesSection: String {
        let rows = data.sources.map { s in
            [e(URL(fileURLWithPath: s.path).lastPathComponent), e(s.dataset), e(s.split),
             s.license.isNonCommercial ? "<span class=\"nc\">\(e(s.license.identifier)) (NC)</span>" : e(s.license.identifier),
             "\(s.read)", "\(s.stored)", counts(s.duplicates), counts(s.rejected), counts(s.filtered)]
        }
        let bars = data.sources.enumerated().flatMap { index, s -> [SVGChart.Bar] in
            let group = "\(index + 1). \(URL(fileURLWithPath: s.path).lastPathComponent)"
            return [("stored", Double(s.stored)), ("duplicates", Double(s.duplicates.values.reduce(0, +))),
                    ("rejected", Double(s.rejected.values.reduce(0, +))), ("filtered", Double(s.filtered.values.reduce(0, +)))]
                .enumerated().map { SVGChart.Bar(label: $1.0, value: $1.1, series: $0, group: group) }
        }
        return "<h2>Sources</h2><p class=\"note\">read = stored + duplicates + rejected + filtered, per source.</p>"
            + table(["source", "dataset", "split", "licence", "read", "stored", "duplicates", "rejected", "filtered"], rows)
            + SVGChart.bars(id: "sources", bars, seriesNames: ["stored", "duplicates", "rejected", "filtered"]) { String(format: "%.0f", $0) }
    }

    private var rejectsSection: String {
        guard !data.rejects.isEmpty else { return "" }
        return "<h2>Rejected records</h2><p class=\"note\">The first of each reason; all are in the store's rejects table.</p>"
            + table(["reason", "source", "message"], data.rejects.map {
                [e($0.reason), e(URL(fileURLWithPath: $0.path).lastPathComponent), "<code>\(e(SVGChart.truncate($0.message, 400)))</code>"]
            })
    }

    // MARK: mixture

    private var lines: [JSONValue] { data.mixture?.report["lines"]?.arrayValue ?? [] }

    private func lineLabel(_ line: JSONValue) -> String {
        (line["task"]?.stringValue ?? "") + (line["dataset"]?.stringValue.map { " / \($0)" } ?? "")
    }

    private var mixtureSection: String {
        guard let mixture = data.mixture else { return "" }
        let percent = { (v: JSONValue?) in String(format: "%.1f%%", (v?.doubleValue ?? 0) * 100) }
        let rows = lines.map { line in
            [e(lineLabel(line)), line["pool"]?.text() ?? "", percent(line["requested_share"]), percent(line["achieved_share"]),
             line["examples"]?.text() ?? "", String(format: "%.2f", line["epochs"]?.doubleValue ?? 0)]
        }
        let bars = lines.flatMap { line in
            [SVGChart.Bar(label: "requested", value: (line["requested_share"]?.doubleValue ?? 0) * 100, series: 0, group: lineLabel(line)),
             SVGChart.Bar(label: "achieved", value: (line["achieved_share"]?.doubleValue ?? 0) * 100, series: 1, group: lineLabel(line))]
        }
        return "<h2>Mixture '\(e(mixture.name))': \(mixture.report["examples"]?.text() ?? "0") examples</h2>"
            + table(["task / dataset", "pool", "requested", "achieved", "examples", "epochs"], rows)
            + SVGChart.bars(id: "shares", bars, seriesNames: ["requested %", "achieved %"]) { String(format: "%.0f%%", $0) }
    }

    /// Histograms of training example lengths per task, 20 equal bins from 0 to the longest.
    private var lengthsSection: String {
        guard !data.lengths.isEmpty else { return "" }
        return "<h2>Example lengths</h2><p class=\"note\">Prompt + target of each training example in the mixture, in model tokens "
            + "when render counted them (<code>--tokenizer</code>), else in whitespace words.</p>"
            + data.lengths.map { task, unit, values in
                let stats = TokenStats(values)
                let top = max(values.max() ?? 1, 1)
                let width = Double(top) / Double(Self.bins)
                var counts = Array(repeating: 0, count: Self.bins)
                for v in values { counts[min(Self.bins - 1, Int(Double(v) / width))] += 1 }
                let bars = counts.enumerated().map { i, n in
                    SVGChart.Bar(label: "\(Int(Double(i) * width))–\(Int(Double(i + 1) * width)) \(unit)", value: Double(n), group: "\(Int(Double(i) * width))")
                }
                return "<h3>\(e(task)) (\(unit); p50 \(stats?.p50 ?? 0), p95 \(stats?.p95 ?? 0), max \(stats?.max ?? 0))</h3>"
                    + SVGChart.bars(id: "lengths-\(task)", bars) { String(format: "%.0f", $0) }
            }.joined()
    }

    static let bins = 20

    private var formsSection: String {
        let taskLines = lines.filter { $0["dataset"] == .null }
        guard !taskLines.isEmpty else { return "" }
        let forms = ["zero-shot", "zero-shot+options", "few-shot", "few-shot+options"]
        let formBars = taskLines.flatMap { line in
            forms.enumerated().map { index, form in
                SVGChart.Bar(label: form, value: line["variants"]?[form]?.doubleValue ?? 0, series: index, group: line["task"]?.stringValue ?? "")
            }
        }
        let templates = taskLines.map { line -> String in
            let task = line["task"]?.stringValue ?? ""
            let pairs = (line["templates"]?.objectPairs ?? []).sorted { ($0.1.intValue ?? 0, $1.0) > ($1.1.intValue ?? 0, $0.0) }
            let bars = pairs.map { SVGChart.Bar(label: $0.0, value: $0.1.doubleValue ?? 0, group: $0.0) }
            return "<h3>\(e(task)) templates (\(pairs.count))</h3>" + SVGChart.bars(id: "templates-\(task)", bars) { String(format: "%.0f", $0) }
        }
        return "<h2>Forms and templates</h2>" + SVGChart.bars(id: "forms", formBars, seriesNames: forms) { String(format: "%.0f", $0) }
            + templates.joined()
    }

    // MARK: evaluation, training, forgetting

    private var evalSection: String {
        guard !data.evals.isEmpty else { return "" }
        var keys: [String] = []
        for (_, metrics) in data.evals {
            for (task, values) in metrics["tasks"]?.objectPairs ?? [] {
                for (name, _) in values.objectPairs ?? [] where name != "examples" && !keys.contains("\(task)\u{1F}\(name)") {
                    keys.append("\(task)\u{1F}\(name)")
                }
            }
        }
        let value = { (metrics: JSONValue, key: String) -> Double? in
            let parts = key.split(separator: "\u{1F}").map(String.init)
            let v = metrics["tasks"]?[parts[0]]?[parts[1]]
            return v?.doubleValue ?? v?["f"]?.doubleValue
        }
        let rows = keys.compactMap { key -> [String]? in
            let cells = data.evals.map { value($0.metrics, key).map { String(format: "%.4f", $0) } ?? "-" }
            guard cells.contains(where: { $0 != "-" }) else { return nil }
            return [e(key.replacingOccurrences(of: "\u{1F}", with: " · "))] + cells
        }
        let sizes = data.evals.map { "\($0.name): \($0.metrics["examples"]?.text() ?? "?") \($0.metrics["split"]?.stringValue ?? "") examples" }
        return "<h2>Evaluation</h2><p class=\"note\">ROUGE values are F-measures. \(e(sizes.joined(separator: "; ")))</p>"
            + table(["task · metric"] + data.evals.map(\.name), rows)
    }

    private var runsSection: String {
        guard !data.runs.isEmpty else { return "" }
        return "<h2>Training loss</h2>" + data.runs.map { name, log in
            // One line per task (and `all`) for training, the same colour dashed for validation.
            var series: [String: [(x: Double, y: Double)]] = [:]
            var tasks: [String] = []
            var keys: [String] = []
            for record in log {
                let validation = record["type"]?.stringValue == "validation"
                guard let step = record["step"]?.doubleValue else { continue }
                for (task, loss) in [("all", record["loss"])] + (record["task_loss"]?.objectPairs ?? []).map({ ($0.0, Optional($0.1)) }) {
                    guard let y = loss?.doubleValue else { continue }
                    let key = task + (validation ? " (validation)" : "")
                    if !tasks.contains(task) { tasks.append(task) }
                    if series[key] == nil { keys.append(key) }
                    series[key, default: []].append((step, y))
                }
            }
            let lines = keys.map { key in
                let task = key.replacingOccurrences(of: " (validation)", with: "")
                return SVGChart.Series(name: key, points: series[key]!, color: tasks.firstIndex(of: task)!, dashed: key != task)
            }
            return "<h3>\(e(name))</h3>" + SVGChart.lines(id: "loss-\(name)", lines, xLabel: "step", legend: tasks)
        }.joined()
    }

    private var forgettingSection: String {
        guard let forgetting = data.forgetting else { return "" }
        let tasks = forgetting["tasks"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let arms = forgetting["arms"]?.arrayValue ?? []
        let number = { (v: JSONValue?) in v?.doubleValue.map { String(format: "%.3f", $0) } ?? "-" }
        let rows = arms.map { arm in
            [e(arm["name"]?.stringValue ?? ""), e(arm["method"]?.stringValue ?? ""), e(arm["data"]?.stringValue ?? "")]
                + tasks.map { task in
                    let t = arm["tasks"]?[task]
                    return number(t?["value"]) + (t?["metric"]?.stringValue.map { " <span class=\"note\">\(e($0))</span>" } ?? "")
                }
                + [number(arm["target_gain"]), number(arm["bwt"])]
        }
        let bars = arms.flatMap { arm in
            tasks.enumerated().map { index, task in
                SVGChart.Bar(label: task, value: arm["tasks"]?[task]?["value"]?.doubleValue ?? 0, series: index, group: arm["name"]?.stringValue ?? "")
            }
        }
        return "<h2>Forgetting (target task: \(e(forgetting["target_task"]?.stringValue ?? "")))</h2>"
            + table(["arm", "method", "data"] + tasks + ["target gain", "BWT"], rows)
            + SVGChart.bars(id: "forgetting", bars, seriesNames: tasks) { String(format: "%.2f", $0) }
    }
}
