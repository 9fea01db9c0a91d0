import Foundation
import XCTest

/// Runs the built `curate` binary the way a user does, checking exit statuses and messages.
final class CLITests: XCTestCase {
    var cli: CLIFixture!

    override func setUpWithError() throws { cli = try CLIFixture(self) }

    func curate(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) { try cli.curate(arguments) }
    func write(_ name: String, _ text: String) throws { try cli.write(name, text) }

    func testPythonReprLinesAreRejectedWithExitStatus3AndGoodLinesKept() throws {
        try write("mixed.jsonl", """
            {"fname": "a", "dialogue": "#Person1#: Hi.\\n#Person2#: Hello.", "summary": "Greeting.", "topic": "hi"}
            {'fname': 'b', 'dialogue': '#Person1#: Bye.', 'summary': 'Bye.', 'topic': 'bye'}

            """)
        let result = try curate(["ingest", "mixed.jsonl", "--preset", "dialogsum", "--split", "train"])
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.err.contains("mixed.jsonl:2: this line is a Python dict literal"), result.err)
        XCTAssertTrue(result.out.contains("mixed.jsonl     2       1           0         1"), result.out)
        XCTAssertTrue(FileManager.default.fileExists(atPath: cli.folder.appendingPathComponent("curate.db").path), "default store")
        let again = try curate(["ingest", "mixed.jsonl", "--preset", "dialogsum", "--split", "train"])
        XCTAssertTrue(again.out.contains("mixed.jsonl     2       0           1         1"), again.out)
    }

    func testStrictStopsAtTheFirstRejection() throws {
        try write("bad.jsonl", "not json\n{\"fname\": \"a\", \"dialogue\": \"#Person1#: Hi.\"}\n")
        let result = try curate(["ingest", "bad.jsonl", "--preset", "dialogsum", "--strict", "--store", "s.db"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("bad.jsonl:1:1: not valid JSON: unexpected character 'n'"), result.err)
        XCTAssertTrue(result.err.contains("stopped by --strict"))
    }

    func testPresetIsDetectedPerFileAndCountsAddUp() throws {
        try write("support.csv", "instruction,intent,entity_type,entity_value,start_offset,end_offset,category,response\n"
                  + "cancel purchase 1135,cancel_order,order_id,1135,16,20,ORDER,\"Sure, I can help.\"\n"
                  + "cancel purchase 00042,cancel_order,order_id,42,16,21,ORDER,Done.\n")
        try write("chat.jsonl", #"{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}"# + "\n")
        let result = try curate(["ingest", "support.csv", "chat.jsonl"])
        XCTAssertEqual(result.status, 3, result.err)
        XCTAssertTrue(result.out.contains("ingest (bitext, openai-chat, train)"), result.out)
        XCTAssertTrue(result.out.contains("support.csv     2       1           0         1"), result.out)
        XCTAssertTrue(result.err.contains("support.csv:3: the order_id span 16..<21 of 'instruction' is '00042' but the entity is '42'"), result.err)
        let formats = try curate(["formats"])
        for preset in ["samsum", "samsum-csv", "openai-chat", "sharegpt", "sgd", "yelp", "bitext", "twcs", "nps-chat"] {
            XCTAssertTrue(formats.out.contains("\n\(preset)  ("), "formats lists \(preset)")
        }
        let delimiter = try curate(["ingest", "chat.jsonl", "--delimiter", ";"])
        XCTAssertTrue(delimiter.err.contains("--delimiter needs --preset naming a CSV preset"), delimiter.err)
    }

    func testBadArgumentsExplainThemselves() throws {
        let preset = try curate(["ingest", "x.jsonl", "--preset", "nope"])
        XCTAssertNotEqual(preset.status, 0)
        XCTAssertTrue(preset.err.contains("unknown preset 'nope'"), preset.err)
        let missing = try curate(["ingest", "missing.jsonl", "--preset", "dialogsum"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.err.contains("missing.jsonl: no such file"), missing.err)
        let mixture = try curate(["shard", "--mix", "none", "--out", "o"])
        XCTAssertTrue(mixture.err.contains("no mixture named 'none'"), mixture.err)
    }

    func testEveryCommandHasHelpWithAnExampleAndAStoreOption() throws {
        for command in ["ingest", "render", "mix", "shard", "stats"] {
            let help = try curate([command, "--help"])
            XCTAssertEqual(help.status, 0)
            XCTAssertTrue(help.out.contains("Example"), "\(command) --help has examples")
            XCTAssertTrue(help.out.contains("--store"), "\(command) takes --store")
        }
        XCTAssertTrue(try curate(["run", "--help"]).out.contains("--store"))
    }

    func testDryRunPrintsThePlanAndWritesNoMixture() throws {
        try write("d.jsonl", (1...6).map { i in
            "{\"fname\": \"t\(i)\", \"dialogue\": \"#Person1#: Line \(i).\\n#Person2#: Reply \(i).\", \"summary\": \"Summary \(i).\", \"topic\": \"topic \(i % 2)\"}"
        }.joined(separator: "\n"))
        _ = try curate(["ingest", "d.jsonl", "--preset", "dialogsum"])
        XCTAssertEqual(try curate(["render", "--tasks", "summarize,topic", "--templates", repoTemplates]).status, 0)
        let dry = try curate(["mix", "--tasks", "summarize,topic", "--strategy", "weights", "--weights", "summarize=3,topic=1",
                              "--total", "8", "--name", "w", "--dry-run"])
        XCTAssertEqual(dry.status, 0, dry.err)
        let rows = dry.out.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertTrue(rows.contains(["summarize", "6", "75.0%", "75.0%", "6", "1.00", "514", "91", "6", "0", "0"]), dry.out)
        XCTAssertTrue(rows.contains(["dialogsum", "6", "25.0%", "25.0%", "2", "0.33", "212", "43", "2", "0", "0"]), dry.out)
        XCTAssertTrue(dry.out.contains("topic templates (2): "), dry.out)
        XCTAssertTrue(try curate(["stats"]).out.contains("mixtures: none"))
    }

    /// A recipe's mix step (here the demo's: three tasks, few-shot and options ratios) can be
    /// previewed against a store without running the recipe.
    func testMixTakesARecipesMixStepForADryRun() throws {
        let repo = URL(fileURLWithPath: repoTemplates).deletingLastPathComponent()
        _ = try curate(["ingest", repo.appendingPathComponent("recipes/sample/support-chats.jsonl").path, "--dataset", "northwind"])
        XCTAssertEqual(try curate(["render", "--tasks", "summarize,topic,rating", "--templates", repoTemplates]).status, 0)
        let dry = try curate(["mix", "--recipe", repo.appendingPathComponent("recipes/demo.yaml").path, "--store", "curate.db", "--dry-run"])
        XCTAssertEqual(dry.status, 0, dry.err)
        XCTAssertTrue(dry.out.hasPrefix("mixture 'demo' (dry run: nothing written): 300 examples"), dry.out)
        let rows = dry.out.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        let rating = try XCTUnwrap(rows.first { $0.first == "rating" })
        XCTAssertEqual(rating[4], "100")
        XCTAssertEqual(Array(rating.suffix(3)), ["75", "25", "50"], "zero-shot, few-shot, options")
        XCTAssertTrue(try curate(["stats"]).out.contains("mixtures: none"))
        let both = try curate(["mix", "--recipe", "r.yaml", "--tasks", "summarize", "--total", "5"])
        XCTAssertEqual(both.status, 64)
        XCTAssertTrue(both.err.contains("--recipe brings its own mix step — leave out --tasks, --total"), both.err)
    }

    func testNonFiniteWeightsAndTinyTemperaturesAreRefused() throws {
        let inf = try curate(["mix", "--tasks", "a,b", "--strategy", "weights", "--weights", "a=inf,b=1"])
        XCTAssertEqual(inf.status, 1)
        XCTAssertTrue(inf.err.contains("bad weight 'a=inf' — write TASK=NUMBER (finite, 0 or more)"), inf.err)
        let cold = try curate(["mix", "--tasks", "a,b", "--strategy", "temperature", "--temperature", "0.001"])
        XCTAssertEqual(cold.status, 1)
        XCTAssertTrue(cold.err.contains("needs --temperature T between 0.1 and any finite value"), cold.err)
    }
}
