import Foundation
import XCTest

/// The command line as scripts and people use it: --json, --max-reject-rate, licences, the
/// built-in templates, copyable help, and `curate report` (issue 15).
final class EcosystemCLITests: XCTestCase {
    var cli: CLIFixture!

    override func setUpWithError() throws { cli = try CLIFixture(self) }

    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var fixtures: URL { repo.appendingPathComponent("Tests/CurateCLITests/Fixtures/report") }

    func json(_ text: String) throws -> [String: Any] {
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "--json prints exactly one line on stdout: \(text)")
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func dialogs(_ count: Int, bad: Int = 0) -> String {
        ((1...count).map { i in
            "{\"fname\": \"t\(i)\", \"dialogue\": \"#Person1#: Line \(i).\\n#Person2#: Reply \(i).\", \"summary\": \"Summary \(i).\", \"topic\": \"topic \(i % 2)\"}"
        } + Array(repeating: "{'fname': 'x'}", count: bad)).joined(separator: "\n") + "\n"
    }

    func testJSONObjectsGoToStdoutAndTablesToStderr() throws {
        try cli.write("d.jsonl", dialogs(8))
        let ingest = try cli.curate(["ingest", "d.jsonl", "--preset", "dialogsum", "--json"])
        XCTAssertEqual(ingest.status, 0, ingest.err)
        let object = try json(ingest.out)
        XCTAssertEqual((object["total"] as? [String: Int])?["stored"], 8)
        XCTAssertEqual((object["files"] as? [[String: Any]])?.first?["license"] as? String, "CC-BY-NC-SA-4.0", "the preset's licence")
        XCTAssertTrue(ingest.err.contains("license: CC-BY-NC-SA-4.0 (non-commercial)") && ingest.err.contains("d.jsonl     8       8"), ingest.err)

        XCTAssertEqual(try cli.curate(["render", "--tasks", "summarize,topic"]).status, 0, "built-in templates, no templates/ here")
        let dry = try cli.curate(["mix", "--tasks", "summarize,topic", "--strategy", "equal", "--total", "6", "--name", "m", "--dry-run", "--json"])
        XCTAssertEqual(try json(dry.out)["dry_run"] as? Bool, true)
        XCTAssertTrue(dry.err.contains("(dry run: nothing written): 6 examples"), dry.err)
        XCTAssertEqual(try cli.curate(["mix", "--tasks", "summarize,topic", "--strategy", "equal", "--total", "6", "--name", "m"]).status, 0)
        let shard = try cli.curate(["shard", "--mix", "m", "--out", "out", "--format", "sharegpt", "--compress", "gzip", "--json"])
        XCTAssertEqual(shard.status, 0, shard.err)
        let manifest = try XCTUnwrap(try json(shard.out)["manifest"] as? [String: Any])
        XCTAssertEqual(manifest["format"] as? String, "sharegpt")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cli.folder.appendingPathComponent("out").path).sorted(),
                       ["README.md", "manifest.json", "meta", "train-00000-of-00001.jsonl.gz"])
        let stats = try cli.curate(["stats", "--json"])
        let sources = try XCTUnwrap(try json(stats.out)["sources"] as? [[String: Any]])
        XCTAssertEqual(sources.first?["read"] as? Int, 8)
        XCTAssertTrue(stats.err.contains("CC-BY-NC-SA-4.0 (NC)"), stats.err)
        XCTAssertEqual(try cli.curate(["ingest", "d.jsonl", "--preset", "dialogsum", "--license", "MIT"]).status, 1,
                       "the same file under another licence is refused")
    }

    func testMaxRejectRateDecidesTheExitStatus() throws {
        try cli.write("d.jsonl", dialogs(9, bad: 1))
        XCTAssertEqual(try cli.curate(["ingest", "d.jsonl", "--preset", "dialogsum", "--store", "a.db"]).status, 3, "any reject: 3")
        let under = try cli.curate(["ingest", "d.jsonl", "--preset", "dialogsum", "--store", "b.db", "--max-reject-rate", "0.1", "--json"])
        XCTAssertEqual(under.status, 0, "1 of 10 is within 0.1")
        XCTAssertEqual(try json(under.out)["reject_rate"] as? Double, 0.1)
        XCTAssertEqual(try cli.curate(["ingest", "d.jsonl", "--preset", "dialogsum", "--store", "c.db", "--max-reject-rate", "0.05"]).status, 3)
        XCTAssertEqual(try cli.curate(["ingest", "d.jsonl", "--preset", "dialogsum", "--max-reject-rate", "2"]).status, 64)
        try cli.write("r.yaml", "name: r\nmax_reject_rate: 0.2\ningest:\n  - {preset: dialogsum, split: train, files: [d.jsonl]}\n")
        XCTAssertEqual(try cli.curate(["run", "r.yaml", "--store", "d.db"]).status, 0, "the recipe's max_reject_rate")
        XCTAssertEqual(try cli.curate(["run", "r.yaml", "--store", "e.db", "--max-reject-rate", "0.01"]).status, 3, "--max-reject-rate wins")
    }

    func testTemplatesShipInsideTheBinary() throws {
        let list = try cli.curate(["templates", "list"])
        XCTAssertEqual(list.status, 0, list.err)
        XCTAssertTrue(list.out.hasPrefix("templates: built-in\n"), list.out)
        for task in ["ner", "rating", "summarize", "topic"] { XCTAssertTrue(list.out.contains("\n\(task) "), "lists \(task)") }
        let show = try cli.curate(["templates", "show", "ner"])
        XCTAssertEqual(show.out, try String(contentsOf: repo.appendingPathComponent("templates/ner.yaml"), encoding: .utf8))
        let unknown = try cli.curate(["templates", "show", "poetry"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.err.contains("no templates for task poetry — available: ner, rating, summarize, topic"), unknown.err)
    }

    /// Every example line of every command's help is whole at 80 columns: the line after one
    /// is another example or blank, never the rest of a wrapped command.
    func testHelpExamplesStayOnOneLine() throws {
        let commands = [["ingest"], ["render"], ["mix"], ["shard"], ["stats"], ["run"], ["eval"], ["report"], ["templates"], ["formats"], ["generate"]]
        for command in commands {
            let help = try cli.curate(command + ["--help"], environment: ["COLUMNS": "80"]).out
            let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let start = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("Example") }, "\(command) help has examples")
            let examples = lines[(start + 1)...].prefix { !$0.isEmpty }
            XCTAssertFalse(examples.isEmpty, "\(command)")
            for line in examples { XCTAssertTrue(line.hasPrefix("  curate "), "\(command): '\(line)' is a wrapped piece of an example") }
            XCTAssertTrue(lines.filter { $0.count > 80 }.allSatisfy { $0.hasPrefix("  ") && !$0.hasPrefix("  -") },
                          "\(command): only examples and tables pass 80 columns")
        }
    }

    func testReportIsOneSelfContainedPageWithABarPerValue() throws {
        let out = cli.folder.appendingPathComponent("demo").path
        XCTAssertEqual(try cli.curate(["run", repo.appendingPathComponent("recipes/demo.yaml").path, "--store", "r.db", "--out", out, "--skip-train"]).status, 0)
        let report = try cli.curate(["report", "--store", "r.db", "--eval", fixtures.appendingPathComponent("eval-base").path,
                                     "--train", fixtures.appendingPathComponent("run-lora").path,
                                     "--forgetting", fixtures.appendingPathComponent("forgetting").path, "--out", "r.html", "--json"])
        XCTAssertEqual(report.status, 0, report.err)
        XCTAssertEqual(try json(report.out)["mixture"] as? String, "demo", "the store's only mixture")
        let html = try String(contentsOf: cli.folder.appendingPathComponent("r.html"), encoding: .utf8)
        func chart(_ id: String) -> String {
            guard let start = html.range(of: "data-chart=\"\(id)\""), let end = html[start.upperBound...].range(of: "</svg>") else { return "" }
            return String(html[start.upperBound..<end.lowerBound])
        }
        let bars = { (id: String) in chart(id).components(separatedBy: "class=\"bar\"").count - 1 }
        XCTAssertEqual(bars("sources"), 4, "stored, duplicates, rejected, filtered of the one source")
        XCTAssertEqual(bars("shares"), 12, "requested and achieved for 3 tasks and their 3 dataset lines")
        XCTAssertEqual(bars("forms"), 12, "four forms for each of 3 tasks")
        XCTAssertEqual(bars("lengths-rating"), 20)
        XCTAssertEqual(bars("forgetting"), 9, "3 arms × 3 tasks in the fixture")
        XCTAssertEqual(chart("loss-run-lora").components(separatedBy: "class=\"series\"").count - 1, 8, "all + 3 tasks, train and validation")
        XCTAssertTrue(html.contains("<td>CC0-1.0</td>") && html.contains("0.2460"), "licence and eval metric shown")
        XCTAssertFalse(html.contains("<script") || html.contains("https://"), "no script, nothing fetched")
        let missing = try cli.curate(["report", "--store", "r.db", "--eval", "nowhere", "--out", "x.html"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.err.contains("nowhere/metrics.json: not found — pass a folder written by `curate eval`"), missing.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.folder.appendingPathComponent("x.html").path))
    }
}
