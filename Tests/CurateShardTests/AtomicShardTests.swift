import CurateCore
import CurateShard
import Foundation
import XCTest

/// A shard folder with a manifest.json is always exactly what the manifest says: a write that
/// dies part way leaves the previous output untouched (issue 13: re-sharding over an earlier
/// output used to leave a manifest listing missing or changed files).
final class AtomicShardTests: XCTestCase {
    private let records: [(Split, [StoredExample])] = [(.train, (1...6).map { record($0, conversation: $0) })]
    private struct Killed: Error {}

    func testAWriteThatFailsPartWayLeavesTheEarlierOutputAsItWas() throws {
        let dir = makeTemporaryDirectory(self)
        try ShardWriter(configuration: .init(format: .promptCompletion, shardSize: 4)).write(splits: records, context: testContext, to: dir)
        let before = try snapshot(dir)
        var fetched = 0
        XCTAssertThrowsError(try ShardWriter(configuration: .init(format: .openaiChat, shardSize: 1)).write(
            splits: records.map { split, rs in (split, rs.map { ShardWriter.Reference(example: $0.id, conversation: $0.example.conversationID) }) },
            fetch: { ids in
                fetched += 1
                if fetched == 3 { throw Killed() }
                return ids.map { id in record(id, conversation: id) }
            }, context: testContext, to: dir))
        XCTAssertEqual(try snapshot(dir), before, "the old files, byte for byte, and nothing else")
        try assertConsistent(dir)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.deletingLastPathComponent().path)
            .filter { $0.hasPrefix(".\(dir.lastPathComponent).partial-") }, [], "no staging folder is left behind")
    }

    func testStagingLeftByAKilledProcessIsRemovedAndOtherFilesAreKept() throws {
        let dir = makeTemporaryDirectory(self)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: dir.appendingPathComponent("notes.txt"))
        // pid 2^22 + 1 is above Linux's pid_max default, so no process has it.
        let abandoned = dir.deletingLastPathComponent().appendingPathComponent(".\(dir.lastPathComponent).partial-4194305-deadbeef")
        try FileManager.default.createDirectory(at: abandoned, withIntermediateDirectories: true)
        try ShardWriter(configuration: .init(format: .openaiChat, shardSize: 4)).write(splits: records, context: testContext, to: dir)
        XCTAssertFalse(FileManager.default.fileExists(atPath: abandoned.path))
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("notes.txt"), encoding: .utf8), "mine")
        try assertConsistent(dir)
    }

    func testAFolderOfOtherThingsIsNotReplaced() throws {
        let dir = makeTemporaryDirectory(self)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("src"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try ShardWriter(configuration: .init(format: .openaiChat)).write(splits: records, context: testContext, to: dir)) { error in
            XCTAssertTrue("\(error)".contains("the folder holds folders (src/) but no manifest.json, so it is not a shard folder curate wrote"), "\(error)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("src").path))
    }

    /// Every file the manifest lists exists with its size and sha256, and no other shard file is there.
    private func assertConsistent(_ dir: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let manifest = try readManifest(dir)
        let shards = try XCTUnwrap(manifest["shards"] as? [[String: Any]])
        for shard in shards {
            let data = try Data(contentsOf: dir.appendingPathComponent(shard["file"] as! String))
            XCTAssertEqual(data.count, shard["bytes"] as? Int, file: file, line: line)
            XCTAssertEqual(SHA256.hex(of: data), shard["sha256"] as? String, file: file, line: line)
        }
        let listed = Set(shards.map { $0["file"] as! String })
        XCTAssertEqual(Set(try filesBelow(dir).filter { $0.hasSuffix(".jsonl") }), listed, file: file, line: line)
    }

    private func snapshot(_ dir: URL) throws -> [String: Data] {
        try Dictionary(uniqueKeysWithValues: filesBelow(dir).map { ($0, try Data(contentsOf: dir.appendingPathComponent($0))) })
    }
}
