import CurateCore
import CuratePipeline
import CurateStore
import Foundation
import XCTest

/// The whole pipeline on the shipped demo sample, from a recipe whose paths are relative to it.
final class DemoRecipeTests: XCTestCase {
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("curate-recipe-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(at: folder.appendingPathComponent("recipes"), withIntermediateDirectories: true)
        try fm.copyItem(at: repo.appendingPathComponent("templates"), to: folder.appendingPathComponent("templates"))
        try fm.copyItem(at: repo.appendingPathComponent("recipes/sample"), to: folder.appendingPathComponent("recipes/sample"))
        try fm.copyItem(at: repo.appendingPathComponent("recipes/demo.yaml"), to: folder.appendingPathComponent("recipes/demo.yaml"))
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    /// Runs the copied demo recipe from another working directory with a fresh store, and
    /// returns every output file's bytes by name.
    func runDemo(storeName: String) throws -> (reports: [StageReport], files: [String: Data]) {
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(NSTemporaryDirectory())
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        var recipe = try Recipe(contentsOf: URL(fileURLWithPath: "\(folder.path)/recipes/demo.yaml"))
        XCTAssertNotNil(recipe.train, "the demo ends with a short LoRA run (scripts/demo.sh; not run here, to stay hermetic)")
        recipe.train = nil
        let store = try Store(path: folder.appendingPathComponent(storeName).path)
        let run = try store.beginRun(command: "run", arguments: [], toolVersion: "test")
        var reports: [StageReport] = []
        try recipe.run(store: store, runID: run) { reports.append($0) }
        let out = folder.appendingPathComponent("out/demo")
        var files: [String: Data] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: out.path) where name != "meta" {
            files[name] = try Data(contentsOf: out.appendingPathComponent(name))
        }
        return (reports, files)
    }

    func testDemoRunsEndToEndWithCountsThatAddUp() throws {
        let (reports, files) = try runDemo(storeName: "a.db")
        guard case .ingest(_, let ingest) = reports[0] else { return XCTFail("first stage is ingest") }
        XCTAssertEqual(ingest.total.read, 40)
        XCTAssertEqual(ingest.total.stored, 38)
        XCTAssertEqual(ingest.total.duplicates, 2, "nw-0019 and nw-0031 repeat earlier chats")
        XCTAssertEqual(ingest.total.rejected, 0)
        guard case .mix(_, let mixture) = reports[2] else { return XCTFail("third stage is mix") }
        XCTAssertEqual(mixture.entries.count, 300)
        XCTAssertEqual(mixture.report.lines.filter { $0.dataset == nil }.map(\.task), ["summarize", "topic", "rating"])
        XCTAssertTrue(mixture.report.lines.allSatisfy { $0.epochs > 1 }, "total 300 exceeds every pool, so all are upsampled")
        XCTAssertTrue(mixture.report.lines.allSatisfy { $0.fewShot == 25 }, "a quarter of each task's 100 is few-shot")
        XCTAssertEqual(mixture.report.lines.map(\.withOptions), [0, 0, 0, 0, 50, 50], "half of rating lists its options")
        XCTAssertTrue(mixture.entries.contains { $0.epoch == 1 })
        XCTAssertNotNil(files["manifest.json"])
        XCTAssertNotNil(files["train-00002-of-00003.jsonl"], "300 examples at 100 per shard")
    }

    func testSameRecipeAndSeedGiveByteIdenticalShardsAndManifest() throws {
        let first = try runDemo(storeName: "a.db").files
        try FileManager.default.removeItem(at: folder.appendingPathComponent("out"))
        let second = try runDemo(storeName: "b.db").files
        XCTAssertEqual(first.keys.sorted(), second.keys.sorted())
        for (name, bytes) in first { XCTAssertEqual(bytes, second[name], "\(name) differs between runs") }
    }

    func testNoConversationAppearsInTwoSplits() throws {
        let files = try runDemo(storeName: "a.db").files
        var splitOf: [Int: String] = [:]
        let manifest = try XCTUnwrap(JSONSerialization.jsonObject(with: files["manifest.json"]!) as? [String: Any])
        for shard in try XCTUnwrap(manifest["shards"] as? [[String: Any]]) where shard["kind"] as? String == "meta" {
            let (name, split) = (try XCTUnwrap(shard["file"] as? String), try XCTUnwrap(shard["split"] as? String))
            let data = try XCTUnwrap(files[name], name)
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let meta = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let conversation = try XCTUnwrap(meta["conversation"] as? Int)
                XCTAssertEqual(splitOf[conversation, default: split], split, "conversation \(conversation) is in two splits")
                splitOf[conversation] = split
            }
        }
        XCTAssertEqual(Set(splitOf.values), ["train", "validation"], "holdout 0.2 puts some chats in validation")
    }

    func testManifestChecksumsMatchTheFiles() throws {
        let files = try runDemo(storeName: "a.db").files
        let manifest = try XCTUnwrap(JSONSerialization.jsonObject(with: files["manifest.json"]!) as? [String: Any])
        let shards = try XCTUnwrap(manifest["shards"] as? [[String: Any]])
        XCTAssertEqual(shards.count, files.count - 2, "every file but manifest.json and README.md is listed")
        for shard in shards {
            let name = try XCTUnwrap(shard["file"] as? String)
            var hasher = SHA256()
            hasher.update(try XCTUnwrap(files[name]))
            XCTAssertEqual(shard["sha256"] as? String, hasher.hexDigest(), name)
        }
        XCTAssertEqual(manifest["seed"] as? Int, 42)
        XCTAssertEqual((manifest["recipe_sha256"] as? String)?.count, 64)
        XCTAssertEqual(manifest["version"] as? String, CurateVersion.current)
        let sources = try XCTUnwrap(manifest["sources"] as? [[String: Any]])
        XCTAssertEqual(sources.map { $0["license"] as? String }, ["CC0-1.0"], "the recipe step's license: travels into the manifest")
        XCTAssertEqual(sources.first?["path"] as? String, "support-chats.jsonl", "by file name: no machine's path in the output")
        XCTAssertEqual(sources.first?["read"] as? Int, 40)
        let card = String(decoding: try XCTUnwrap(files["README.md"]), as: UTF8.self)
        XCTAssertTrue(card.hasPrefix("---\nlicense:\n- cc0-1.0\n"), card)
        XCTAssertTrue(card.contains("  - split: train\n    path:\n    - train-00000-of-00003.jsonl\n    - train-00001-of-00003.jsonl\n"), card)
        XCTAssertFalse(card.contains("Licence restrictions"), "CC0 restricts nothing")
    }
}
