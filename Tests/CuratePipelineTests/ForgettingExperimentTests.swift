import CurateCore
import CurateEval
import CurateModel
@testable import CuratePipeline
import CurateStore
import Foundation
import XCTest

/// The whole experiment on a tiny random llama and hand-written data: every arm trains and is
/// scored on the same examples, and a rerun redoes only arms whose settings changed.
final class ForgettingExperimentTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testEveryArmIsScoredAndARerunKeepsFinishedArms() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curate-forgetting-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        try RandomLlama.writer().write(to: folder.appendingPathComponent("tiny.gguf").path)
        let chat = { (id: String, text: String, summary: String, topic: String, csat: String) in
            ##"{"id": "\##(id)", "turns": [{"speaker": "Ann", "role": "customer", "text": "\##(text)"}, {"speaker": "Bo", "role": "agent", "text": "On it."}], "summary": "\##(summary)", "topic": "\##(topic)", "csat": "\##(csat)"}"##
        }
        try ([chat("t1", "My card was charged twice.", "A double charge.", "billing", "bad"),
              chat("t2", "The router blinks red.", "A router fault.", "internet", "good"),
              chat("t3", "Please close my account.", "A closure.", "account", "good")].joined(separator: "\n") + "\n")
            .write(to: folder.appendingPathComponent("test-chats.jsonl"), atomically: true, encoding: .utf8)
        try """
            instruction,intent,entity_type,entity_value,start_offset,end_offset,category,response
            where is order 123?,track_order,order_id,123,15,18,ORDER,Checking order 123.
            refund $9 please,get_refund,refund_amount,$9,7,9,REFUND,Refunding $9.

            """.write(to: folder.appendingPathComponent("bitext-test.csv"), atomically: true, encoding: .utf8)
        let fixtures = Self.repo.appendingPathComponent("Tests/CuratePipelineTests/Fixtures/multitask").path
        try """
            name: tiny-forgetting
            seed: 3
            templates: \(Self.repo.appendingPathComponent("templates").path)
            ingest:
              - {dataset: support, preset: curate, split: train, holdout: 0.2, files: [\(Self.repo.path)/recipes/sample/support-chats.jsonl]}
              - {dataset: support, preset: curate, split: test, files: [test-chats.jsonl]}
              - {dataset: bitext, preset: bitext, split: train, files: [\(fixtures)/bitext.csv]}
              - {dataset: bitext, preset: bitext, split: test, files: [bitext-test.csv]}
            render: {tasks: [summarize, topic, ner, rating], shots: 0, inverted: false}
            experiment:
              model: tiny.gguf
              quick: {tokens: 600, eval_examples: 2, validation_examples: 2, mixture_examples: 24}
              max_seq_len: 1024
              max_new_tokens: 6
              replay: [0.05, 0.25]

            """.write(to: folder.appendingPathComponent("r.yaml"), atomically: true, encoding: .utf8)
        let recipeURL = folder.appendingPathComponent("r.yaml")
        func experiment(replay: [Double]? = nil) throws -> (ForgettingReport, [String]) {
            var settings = try ForgettingSettings.read(recipe: recipeURL)
            settings.model = folder.appendingPathComponent("tiny.gguf").path
            if let replay { settings.replay = replay }
            let store = try Store(path: folder.appendingPathComponent("s.db").path)
            let lines = SaidLines()
            let report = try ForgettingExperiment(recipe: try Recipe(contentsOf: recipeURL), settings: settings,
                                                  output: folder.appendingPathComponent("out"), quick: true)
                .run(store: store, runID: try store.beginRun(command: "test", arguments: [], toolVersion: "test"), say: { lines.append($0) }) { _ in }
            return (report, lines.all)
        }
        let (first, _) = try experiment()
        XCTAssertEqual(first.arms.map(\.name), ["base", "lora-single", "full-single", "lora-multi", "full-multi", "sequential",
                                                "sequential-lora", "replay-5%", "replay-25%"])
        for arm in first.arms {
            for task in ["summarize", "ner", "rating", "topic"] {
                XCTAssertEqual(arm.scores[task]?.count, 2, "\(arm.name) \(task): the first 2 test examples of each task")
                // Bitext has no validation split here: its held-out loss is absent, not made up.
                XCTAssertEqual(arm.validationLoss[task] == nil, task == "ner", "\(arm.name) \(task)")
            }
            XCTAssertEqual(arm.trainSeconds == nil, arm.name == "base")
        }
        let written = try JSONParser.parse(try String(contentsOf: folder.appendingPathComponent("out/forgetting.json"), encoding: .utf8))
        XCTAssertEqual(written["arms"]?.arrayValue?.count, 9)
        XCTAssertEqual(written["arms"]?.arrayValue?[5]["started_from"], .string("full-multi"))
        let table = try String(contentsOf: folder.appendingPathComponent("out/forgetting.md"), encoding: .utf8)
        for arm in first.arms { XCTAssertTrue(table.contains("| \(arm.name) |"), arm.name) }

        let (again, lines) = try experiment()
        XCTAssertEqual(lines.filter { $0.hasSuffix("finished earlier with the same settings — kept") }.count, 9, lines.joined(separator: "\n"))
        XCTAssertEqual(again.json.text(), first.json.text(), "the same results, read back")

        let (more, moreLines) = try experiment(replay: [0.05, 0.5])
        XCTAssertEqual(more.arms.last?.name, "replay-50%")
        XCTAssertEqual(moreLines.filter { $0.hasPrefix("\n== ") }, ["\n== replay-50% (from full-multi)"], "only the new arm runs")
    }
}

/// What the experiment said, collected from whichever thread said it.
private final class SaidLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var all: [String] { lock.withLock { lines } }
    func append(_ line: String) { lock.withLock { lines.append(line) } }
}
