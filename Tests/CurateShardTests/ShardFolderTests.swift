import CurateCore
import CurateShard
import Foundation
import XCTest

/// The trainer formats, compression and the folder layout (card, meta/) on hand-made records.
final class ShardFolderTests: XCTestCase {
    private func firstLine(_ format: ShardFormat, system: String? = nil) throws -> String {
        let dir = makeTemporaryDirectory(self)
        try ShardWriter(configuration: .init(format: format, systemPrompt: system))
            .write(splits: [(.train, [record(1, conversation: 1, prompt: "Summarize:\nA: hi", target: "A greets.")])], context: testContext, to: dir)
        return try readLines(dir.appendingPathComponent("train-00000-of-00001.jsonl"))[0]
    }

    /// Expected lines written with Python's `json.dumps(obj, ensure_ascii=False, separators=(",", ":"))`.
    func testTrainerFormatsAreExactlyWhatTRLAxolotlAndLLaMAFactoryRead() throws {
        XCTAssertEqual(try firstLine(.conversationalPromptCompletion, system: "Be brief."),
                       #"{"prompt":[{"role":"system","content":"Be brief."},{"role":"user","content":"Summarize:\nA: hi"}],"completion":[{"role":"assistant","content":"A greets."}]}"#)
        XCTAssertEqual(try firstLine(.alpaca), #"{"instruction":"Summarize:\nA: hi","input":"","output":"A greets."}"#)
        XCTAssertEqual(try firstLine(.alpaca, system: "Be brief."),
                       #"{"instruction":"Summarize:\nA: hi","input":"","output":"A greets.","system":"Be brief."}"#)
        XCTAssertEqual(try firstLine(.sharegpt, system: "Be brief."),
                       #"{"conversations":[{"from":"system","value":"Be brief."},{"from":"human","value":"Summarize:\nA: hi"},{"from":"gpt","value":"A greets."}]}"#)
    }

    func testCompressedShardsAreDeterministicDecompressAndReadBack() throws {
        for compression in [ShardCompression.gzip, .zstd] {
            let first = makeTemporaryDirectory(self), second = makeTemporaryDirectory(self)
            let writer = ShardWriter(configuration: .init(format: .openaiChat, shardSize: 2, compression: compression))
            let records = (1...5).map { record(Int64($0), conversation: Int64($0)) }
            try writer.write(splits: [(.train, records)], context: testContext, to: first)
            try writer.write(splits: [(.train, records)], context: testContext, to: second)
            let name = "train-00000-of-00003.jsonl\(compression.fileExtension)"
            let bytes = try Data(contentsOf: first.appendingPathComponent(name))
            XCTAssertEqual(bytes, try Data(contentsOf: second.appendingPathComponent(name)), "\(compression) output is byte-stable")
            XCTAssertEqual(Array(bytes.prefix(2)), compression == .gzip ? [0x1F, 0x8B] : [0x28, 0xB5], "\(compression) magic")
            let folder = try ShardFolder(directory: first)
            XCTAssertEqual(folder.shards(split: "train").map(\.dataFile), (0..<3).map { "train-0000\($0)-of-00003.jsonl\(compression.fileExtension)" })
            var prompts: [String] = []
            try folder.records(split: "train") { record, meta in
                prompts.append(folder.prompt(of: record)?.prompt ?? "")
                XCTAssertEqual(meta["task"]?.stringValue, "summarize")
                return true
            }
            XCTAssertEqual(prompts, records.map(\.example.prompt), "\(compression) round trip")
        }
    }

    func testACorruptCompressedShardIsAnErrorThatSaysWhatToDo() throws {
        let dir = makeTemporaryDirectory(self)
        try ShardWriter(configuration: .init(format: .openaiChat, compression: .gzip))
            .write(splits: [(.train, [record(1, conversation: 1)])], context: testContext, to: dir)
        let file = dir.appendingPathComponent("train-00000-of-00001.jsonl.gz")
        try Data(try Data(contentsOf: file).prefix(12)).write(to: file)
        XCTAssertThrowsError(try ShardFolder(directory: dir).lines(of: "train-00000-of-00001.jsonl.gz")) {
            XCTAssertTrue("\($0)".contains("not a complete gzip file") && "\($0)".contains("rewrite the shards"), "\($0)")
        }
    }

    func testTheCardMapsSplitsToFilesAndFlagsNonCommercialSources() throws {
        let dir = makeTemporaryDirectory(self)
        let source = { (dataset: String, license: String) in
            JSONValue.object([("path", .string("\(dataset).jsonl")), ("dataset", .string(dataset)), ("split", .string("train")),
                              ("license", .string(license)), ("non_commercial", .bool(DataLicense(license).isNonCommercial)),
                              ("read", .int(10)), ("stored", .int(7)), ("duplicates", .object([("conversation", .int(2))])),
                              ("rejected", .object([("empty-turn", .int(1))])), ("filtered", .object([]))])
        }
        var context = testContext
        context.sources = [source("dialogsum", "CC-BY-NC-SA-4.0"), source("sgd", "CC-BY-SA-4.0")]
        let writer = ShardWriter(configuration: .init(format: .openaiChat, shardSize: 2))
        let manifest = try writer.write(splits: [(.train, (1...3).map { record(Int64($0), conversation: Int64($0)) }),
                                                 (.test, [record(9, conversation: 9)])], context: context, to: dir)
        let card = try String(contentsOf: dir.appendingPathComponent("README.md"), encoding: .utf8)
        XCTAssertTrue(card.hasPrefix("""
            ---
            license:
            - cc-by-nc-sa-4.0
            - cc-by-sa-4.0
            pretty_name: "curate mixture m1"
            tags:
            - curate
            - instruction-tuning
            configs:
            - config_name: default
              data_files:
              - split: train
                path:
                - train-00000-of-00002.jsonl
                - train-00001-of-00002.jsonl
              - split: test
                path:
                - test-00000-of-00001.jsonl
            ---
            """), card)
        XCTAssertTrue(card.contains("> **Licence restrictions.** dialogsum: CC-BY-NC-SA-4.0 (non-commercial)"), card)
        XCTAssertFalse(card.contains("sgd: CC-BY-SA-4.0 ("), "share-alike alone is no restriction on use")
        XCTAssertTrue(card.contains("| dialogsum.jsonl | dialogsum | train | CC-BY-NC-SA-4.0 (NC) | 10 | 7 | 2 conversation | 1 empty-turn | 0 |"), card)
        XCTAssertTrue(card.contains("| duplicates | conversation | 4 |"), card)
        XCTAssertTrue(card.contains("| filtered | none | 0 |"), card)
        let licenses = manifest["licenses"]?.arrayValue ?? []
        XCTAssertEqual(licenses.map { $0["license"]?.stringValue }, ["CC-BY-NC-SA-4.0", "CC-BY-SA-4.0"])
        XCTAssertEqual(licenses.map { $0["non_commercial"] }, [.bool(true), .bool(false)])
    }

    /// Folders written before meta/ (sidecars beside the shards, no `meta` key) still read.
    func testAFolderOfTheEarlierLayoutStillReads() throws {
        let dir = makeTemporaryDirectory(self)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(#"{"format":"openai-chat","splits":{"test":{}},"shards":[{"file":"test-00000-of-00001.jsonl","kind":"data","split":"test","examples":1},{"file":"test-00000-of-00001.meta.jsonl","kind":"meta","split":"test","examples":1}]}"#.utf8)
            .write(to: dir.appendingPathComponent("manifest.json"))
        try Data(#"{"messages":[{"role":"user","content":"Q?"},{"role":"assistant","content":"A."}]}"#.utf8).write(to: dir.appendingPathComponent("test-00000-of-00001.jsonl"))
        try Data(#"{"example":4,"task":"topic","references":["A."]}"#.utf8).write(to: dir.appendingPathComponent("test-00000-of-00001.meta.jsonl"))
        var seen: [(String?, String?)] = []
        let folder = try ShardFolder(directory: dir)
        try folder.records(split: "test") { record, meta in
            seen.append((folder.prompt(of: record)?.prompt, meta["task"]?.stringValue))
            return true
        }
        XCTAssertEqual(seen.map(\.0), ["Q?"])
        XCTAssertEqual(seen.map(\.1), ["topic"])
    }

    func testLicenceFlagsAreReadFromTheIdentifier() {
        XCTAssertTrue(DataLicense("CC-BY-NC-ND-4.0").isNonCommercial)
        XCTAssertTrue(DataLicense("CC-BY-NC-ND-4.0").forbidsDerivatives)
        XCTAssertTrue(DataLicense("Yelp-Dataset-Terms").isNonCommercial)
        XCTAssertTrue(DataLicense("research only, non-commercial").isNonCommercial)
        XCTAssertFalse(DataLicense("CC-BY-SA-4.0").isNonCommercial)
        XCTAssertFalse(DataLicense("CDLA-Sharing-1.0").isNonCommercial)
        XCTAssertFalse(DataLicense("Apache-2.0").forbidsDerivatives)
    }

    func testTokenStatsAreNearestRankPercentiles() throws {
        let stats = try XCTUnwrap(TokenStats(Array(1...100)))
        XCTAssertEqual([stats.p50, stats.p95, stats.max, stats.count], [50, 95, 100, 100])
        XCTAssertEqual(TokenStats([7]).map { [$0.p50, $0.p95, $0.max] }, [7, 7, 7])
        XCTAssertNil(TokenStats([]))
    }
}
