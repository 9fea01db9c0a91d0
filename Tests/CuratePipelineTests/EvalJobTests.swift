@testable import CuratePipeline
import CurateCore
import CurateShard
import Foundation
import XCTest

/// Reading shards back for evaluation, without a model.
final class EvalJobTests: XCTestCase {
    func shardFolder(format: ShardFormat, system: String? = nil, compression: ShardCompression = .none) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curate-eval-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        func example(_ id: Int64, _ task: String, _ prompt: String, _ refs: [String]) -> StoredExample {
            StoredExample(id: id, example: Example(conversationID: id * 10, task: task, templateID: "\(task).01", variant: .zeroShot,
                                                   split: .test, prompt: prompt, target: refs[0], references: refs))
        }
        let test = [example(1, "summarize", "Summarize: A", ["A sums.", "A, briefly."]), example(2, "topic", "Topic of B?", ["b"]),
                    example(3, "summarize", "Summarize: C", ["C sums."])]
        try ShardWriter(configuration: .init(format: format, shardSize: 2, systemPrompt: system, compression: compression)).write(
            splits: [(.test, test.map { ShardWriter.Reference(example: $0.id, conversation: $0.example.conversationID) })],
            fetch: { ids in ids.map { id in test.first { $0.id == id }! } },
            context: .init(mixture: "m", mixtureSpec: .raw("{}"), seed: 0, recipeSHA256: ""), to: folder)
        return folder
    }

    func job(_ folder: URL, tasks: [String]? = nil, limit: Int? = nil, limitPerTask: Int? = nil) -> EvalJob {
        EvalJob(model: .gguf(URL(fileURLWithPath: "/unused")), shards: folder, split: .test, tasks: tasks, limit: limit,
                limitPerTask: limitPerTask, batchSize: 2, maxNewTokens: 8, output: folder)
    }

    func testPromptsAndReferencesComeBackFromBothFormatsAcrossShards() throws {
        for format in ShardFormat.allCases {
            let items = try job(try shardFolder(format: format, system: format == .openaiChat ? "Be brief." : nil)).loadItems()
            XCTAssertEqual(items.map(\.prompt), ["Summarize: A", "Topic of B?", "Summarize: C"], "\(format)")
            XCTAssertEqual(items.map(\.task), ["summarize", "topic", "summarize"])
            XCTAssertEqual(items[0].references, ["A sums.", "A, briefly."])
            XCTAssertEqual(items[0].system, format == .openaiChat ? "Be brief." : nil)
            XCTAssertEqual(Set(items.map { $0.meta["task"]?.stringValue ?? "" }), ["summarize", "topic"], "sidecars read from meta/")
        }
    }

    func testSystemPromptsAndCompressedShardsReadBackInEveryFormat() throws {
        for format in ShardFormat.allCases where format != .promptCompletion {
            for compression in ShardCompression.allCases {
                let items = try job(try shardFolder(format: format, system: "Be brief.", compression: compression)).loadItems()
                XCTAssertEqual(items.map(\.prompt), ["Summarize: A", "Topic of B?", "Summarize: C"], "\(format) \(compression)")
                XCTAssertEqual(items.map(\.system), Array(repeating: "Be brief.", count: 3), "\(format) \(compression)")
            }
        }
    }

    func testTasksAndLimitFilter() throws {
        let folder = try shardFolder(format: .promptCompletion)
        XCTAssertEqual(try job(folder, tasks: ["summarize"]).loadItems().map(\.prompt), ["Summarize: A", "Summarize: C"])
        XCTAssertEqual(try job(folder, limit: 1).loadItems().count, 1)
        XCTAssertEqual(try job(folder, limitPerTask: 1).loadItems().map(\.prompt), ["Summarize: A", "Topic of B?"], "the first of each task")
    }

    func testMissingManifestSaysWhatTheFolderMustBe() {
        XCTAssertThrowsError(try job(URL(fileURLWithPath: "/nonexistent")).loadItems()) {
            XCTAssertTrue("\($0)".contains("must be a folder written by `curate shard`"), "\($0)")
        }
    }
}
