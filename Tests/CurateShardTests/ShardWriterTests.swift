import CurateCore
import CurateShard
import Foundation
import XCTest

final class ShardWriterTests: XCTestCase {
    /// 5 train records over conversations 1,1,2,3,3 (3 summarize, 2 topic), 1 validation record,
    /// an empty test split. With shardSize 3, train is 2 shards (3 + 2), validation 1.
    private var splits: [(Split, [StoredExample])] {
        [(.train, [record(1, conversation: 1), record(2, conversation: 1, task: "topic"), record(3, conversation: 2),
                   record(4, conversation: 3), record(5, conversation: 3, task: "topic")]),
         (.validation, [record(6, conversation: 9)]),
         (.test, [])]
    }

    private let writer = ShardWriter(configuration: .init(format: .openaiChat, shardSize: 3))

    func testShardFilesAndSidecars() throws {
        let dir = makeTemporaryDirectory(self)
        try writer.write(splits: splits, context: testContext, to: dir)
        XCTAssertEqual(try listing(dir), [
            "README.md", "manifest.json", "meta",
            "train-00000-of-00002.jsonl", "train-00001-of-00002.jsonl", "validation-00000-of-00001.jsonl",
        ])
        XCTAssertEqual(try listing(dir.appendingPathComponent("meta")), ["00000.jsonl", "00001.jsonl", "00002.jsonl"],
                       "sidecars numbered in manifest order, no split name a loader could mistake for data")
        // Records keep their order and are split 3 + 2; data and sidecar lines correspond.
        let metaIDs = try ["meta/00000.jsonl", "meta/00001.jsonl"].map { file in
            try readLines(dir.appendingPathComponent(file)).map { line -> Int in
                let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                return try XCTUnwrap(object["example"] as? Int)
            }
        }
        XCTAssertEqual(metaIDs, [[1, 2, 3], [4, 5]])
        let data = try readLines(dir.appendingPathComponent("train-00001-of-00002.jsonl"))
        XCTAssertEqual(data.count, 2)
        XCTAssertTrue(data[0].contains("Summarize dialogue 3 (#4)"), data[0])
    }

    func testManifestCountsAndContext() throws {
        let dir = makeTemporaryDirectory(self)
        let returned = try writer.write(splits: splits, context: testContext, to: dir)
        let text = try String(contentsOf: dir.appendingPathComponent("manifest.json"), encoding: .utf8)
        XCTAssertEqual(text, returned.prettyText(), "the returned manifest is the one written")

        let manifest = try readManifest(dir)
        XCTAssertEqual(manifest["tool"] as? String, "curate")
        XCTAssertEqual(manifest["version"] as? String, CurateVersion.current)
        XCTAssertEqual(manifest["format"] as? String, "openai-chat")
        XCTAssertTrue(manifest["system_prompt"] is NSNull)
        XCTAssertEqual(manifest["mixture"] as? String, "m1")
        XCTAssertEqual(manifest["seed"] as? Int, 7)
        XCTAssertEqual(manifest["recipe_sha256"] as? String, String(repeating: "ab", count: 32))
        XCTAssertTrue(text.contains(#""mixture_spec": {"tasks":["summarize"],"seed":7},"#), "raw spec embedded verbatim")

        let splitInfo = try XCTUnwrap(manifest["splits"] as? [String: Any])
        XCTAssertEqual(splitInfo.keys.sorted(), ["train", "validation"], "empty splits are left out")
        let train = try XCTUnwrap(splitInfo["train"] as? [String: Any])
        XCTAssertEqual(train["examples"] as? Int, 5)
        XCTAssertEqual(train["conversations"] as? Int, 3)
        XCTAssertEqual(train["tasks"] as? [String: Int], ["summarize": 3, "topic": 2])
        let validation = try XCTUnwrap(splitInfo["validation"] as? [String: Any])
        XCTAssertEqual(validation["examples"] as? Int, 1)
        XCTAssertEqual(validation["conversations"] as? Int, 1)
        XCTAssertEqual(validation["tasks"] as? [String: Int], ["summarize": 1])

        let shards = try XCTUnwrap(manifest["shards"] as? [[String: Any]])
        XCTAssertEqual(shards.map { $0["file"] as? String }, [
            "train-00000-of-00002.jsonl", "meta/00000.jsonl",
            "train-00001-of-00002.jsonl", "meta/00001.jsonl",
            "validation-00000-of-00001.jsonl", "meta/00002.jsonl",
        ])
        XCTAssertEqual(shards.filter { $0["kind"] as? String == "data" }.map { $0["meta"] as? String },
                       ["meta/00000.jsonl", "meta/00001.jsonl", "meta/00002.jsonl"], "each data file names its sidecar")
        XCTAssertEqual(shards.map { $0["kind"] as? String }, ["data", "meta", "data", "meta", "data", "meta"])
        XCTAssertEqual(shards.map { $0["split"] as? String }, ["train", "train", "train", "train", "validation", "validation"])
        XCTAssertEqual(shards.map { $0["examples"] as? Int }, [3, 3, 2, 2, 1, 1])
    }

    func testChecksumsAndSizesMatchFiles() throws {
        let dir = makeTemporaryDirectory(self)
        try writer.write(splits: splits, context: testContext, to: dir)
        let shards = try XCTUnwrap(try readManifest(dir)["shards"] as? [[String: Any]])
        XCTAssertEqual(shards.count, 6)
        for shard in shards {
            let file = try XCTUnwrap(shard["file"] as? String)
            let bytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent(file)))
            var hasher = SHA256()
            hasher.update(bytes)
            XCTAssertEqual(shard["sha256"] as? String, hasher.hexDigest(), file)
            XCTAssertEqual(shard["bytes"] as? Int, bytes.count, file)
        }
    }

    func testSameInputGivesByteIdenticalOutput() throws {
        let first = makeTemporaryDirectory(self), second = makeTemporaryDirectory(self)
        try writer.write(splits: splits, context: testContext, to: first)
        try writer.write(splits: splits, context: testContext, to: second)
        let files = try listing(first).filter { $0 != "meta" } + (try listing(first.appendingPathComponent("meta")).map { "meta/\($0)" })
        XCTAssertEqual(try listing(first), try listing(second))
        for file in files {
            XCTAssertEqual(try Data(contentsOf: first.appendingPathComponent(file)),
                           try Data(contentsOf: second.appendingPathComponent(file)), file)
        }
    }

    func testRewriteWithFewerShardsRemovesPreviousFiles() throws {
        let dir = makeTemporaryDirectory(self)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: dir.appendingPathComponent("notes.txt"))

        let small = ShardWriter(configuration: .init(format: .promptCompletion, shardSize: 2))
        try small.write(splits: splits, context: testContext, to: dir)
        XCTAssertEqual(try listing(dir).filter { $0.hasPrefix("train-") }.count, 3, "3 train shards")
        XCTAssertEqual(try listing(dir.appendingPathComponent("meta")).count, 4, "their sidecars and validation's")

        try small.write(splits: [(.train, [record(1, conversation: 1), record(2, conversation: 2)])], context: testContext, to: dir)
        XCTAssertEqual(try listing(dir), ["README.md", "manifest.json", "meta", "notes.txt", "train-00000-of-00001.jsonl"])
        XCTAssertEqual(try listing(dir.appendingPathComponent("meta")), ["00000.jsonl"])
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("notes.txt"), encoding: .utf8), "keep me")
    }

    func testConversationInTwoSplitsIsRejectedBeforeWriting() throws {
        let dir = makeTemporaryDirectory(self)
        let bad: [(Split, [StoredExample])] = [(.train, [record(1, conversation: 7), record(2, conversation: 8)]),
                                            (.test, [record(3, conversation: 7)])]
        XCTAssertThrowsError(try writer.write(splits: bad, context: testContext, to: dir)) { error in
            XCTAssertTrue(error is CurateError, "\(type(of: error))")
            XCTAssertTrue("\(error)".contains("conversation 7 would appear in both train and test"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path), "nothing may be written")

        // An existing output is left as it was.
        try writer.write(splits: splits, context: testContext, to: dir)
        let before = try listing(dir)
        let manifestBefore = try Data(contentsOf: dir.appendingPathComponent("manifest.json"))
        XCTAssertThrowsError(try writer.write(splits: bad, context: testContext, to: dir))
        XCTAssertEqual(try listing(dir), before)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("manifest.json")), manifestBefore)
    }

    func testSameConversationTwiceInOneSplitIsFine() throws {
        let dir = makeTemporaryDirectory(self)
        try writer.write(splits: [(.train, [record(1, conversation: 4), record(2, conversation: 4, task: "topic")])],
                         context: testContext, to: dir)
        let train = try XCTUnwrap((try readManifest(dir)["splits"] as? [String: Any])?["train"] as? [String: Any])
        XCTAssertEqual(train["examples"] as? Int, 2)
        XCTAssertEqual(train["conversations"] as? Int, 1)
    }
}
