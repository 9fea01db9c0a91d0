import CurateCore
import CurateShard
import Foundation
import XCTest

/// Exact line bytes. Expected strings were produced with Python:
/// `json.dumps(obj, ensure_ascii=False, separators=(",", ":"))` for the same objects.
final class ShardFormatTests: XCTestCase {
    private let prompt = "Summarize:\n#Person1#: \"Hi\" \\o/\tcafé 😀"
    private let target = "They greet.\u{01}"

    private func firstLine(format: ShardFormat, system: String?, prompt: String, target: String) throws -> (String, [UInt8]) {
        let dir = makeTemporaryDirectory(self)
        let writer = ShardWriter(configuration: .init(format: format, shardSize: 10, systemPrompt: system))
        try writer.write(splits: [(.train, [record(1, conversation: 1, prompt: prompt, target: target)])], context: testContext, to: dir)
        let bytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent("train-00000-of-00001.jsonl")))
        return (String(decoding: bytes, as: UTF8.self), bytes)
    }

    func testOpenAIChatLineWithoutSystemPrompt() throws {
        let (text, bytes) = try firstLine(format: .openaiChat, system: nil, prompt: prompt, target: target)
        let expected = #"{"messages":[{"role":"user","content":"Summarize:\n#Person1#: \"Hi\" \\o/\tcafé 😀"},{"role":"assistant","content":"They greet.\u0001"}]}"# + "\n"
        XCTAssertEqual(text, expected)
        XCTAssertEqual(bytes, Array(expected.utf8))
    }

    func testOpenAIChatLineWithSystemPrompt() throws {
        let (text, _) = try firstLine(format: .openaiChat, system: "Be brief.", prompt: prompt, target: target)
        let expected = #"{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Summarize:\n#Person1#: \"Hi\" \\o/\tcafé 😀"},{"role":"assistant","content":"They greet.\u0001"}]}"# + "\n"
        XCTAssertEqual(text, expected)
    }

    func testPromptCompletionLine() throws {
        let (_, bytes) = try firstLine(format: .promptCompletion, system: "ignored here", prompt: "Topic?\r\nA: hi", target: "greeting")
        XCTAssertEqual(bytes, Array((#"{"prompt":"Topic?\r\nA: hi\n","completion":"greeting"}"# + "\n").utf8),
                       "the prompt ends with the default separator, so TRL's concatenation does not run the answer on")
    }

    func testMetaSidecarLine() throws {
        let dir = makeTemporaryDirectory(self)
        let writer = ShardWriter(configuration: .init(format: .promptCompletion))
        let r = StoredExample(id: 12, example: Example(conversationID: 3, task: "topic", templateID: "topic-2", variant: .zeroShot,
                                                       split: .validation, prompt: "p", target: "greeting",
                                                       references: ["greeting", "say \"hi\""]))
        try writer.write(splits: [(.validation, [r])], context: testContext, to: dir)
        let lines = try readLines(dir.appendingPathComponent("meta/00000.jsonl"))
        XCTAssertEqual(lines, [#"{"example":12,"conversation":3,"task":"topic","template":"topic-2","variant":"zero-shot","references":["greeting","say \"hi\""]}"#])
    }

    func testFormatNames() {
        XCTAssertEqual(ShardFormat(rawValue: "openai-chat"), .openaiChat)
        XCTAssertEqual(ShardFormat(rawValue: "prompt-completion"), .promptCompletion)
    }
}
