import CurateCore
import CurateShard
import Foundation
import XCTest

/// A fresh directory under the system temp dir, removed when the test ends.
func makeTemporaryDirectory(_ test: XCTestCase) -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("curate-shard-tests-\(UUID().uuidString)")
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

func record(_ id: Int64, conversation: Int64, task: String = "summarize", prompt: String? = nil, target: String? = nil) -> StoredExample {
    StoredExample(id: id, example: Example(
        conversationID: conversation, task: task, templateID: "\(task)-1", variant: .zeroShot, split: .train,
        prompt: prompt ?? "Summarize dialogue \(conversation) (#\(id))", target: target ?? "Summary \(id).",
        references: [target ?? "Summary \(id).", "Alt \(id)."]))
}

let testContext = ShardWriter.Context(mixture: "m1", mixtureSpec: .raw(#"{"tasks":["summarize"],"seed":7}"#), seed: 7,
                                      recipeSHA256: String(repeating: "ab", count: 32))

func readLines(_ url: URL) throws -> [String] {
    let text = try String(contentsOf: url, encoding: .utf8)
    XCTAssertTrue(text.hasSuffix("\n"), "\(url.lastPathComponent) must end with a newline")
    return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
}

func readManifest(_ directory: URL) throws -> [String: Any] {
    let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
    return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
}

func listing(_ directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
}

/// Every regular file under `directory`, as paths relative to it (`meta/00000.jsonl`).
func filesBelow(_ directory: URL) throws -> [String] {
    let walk = try XCTUnwrap(FileManager.default.enumerator(atPath: directory.path))
    var files: [String] = []
    while let relative = walk.nextObject() as? String {
        if (walk.fileAttributes?[.type] as? FileAttributeType) == .typeRegular { files.append(relative) }
    }
    return files.sorted()
}

extension ShardWriter {
    /// Writes records held in memory, through the streaming API.
    @discardableResult
    func write(splits: [(Split, [StoredExample])], context: Context, to directory: URL) throws -> JSONValue {
        var byID: [Int64: StoredExample] = [:]
        for (_, records) in splits { for r in records { byID[r.id] = r } }
        return try write(splits: splits.map { split, records in
            (split, records.map { Reference(example: $0.id, conversation: $0.example.conversationID) })
        }, fetch: { ids in ids.map { byID[$0]! } }, context: context, to: directory)
    }
}
