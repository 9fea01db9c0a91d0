import CurateModel
import XCTest
@testable import CurateTrain

/// Training sequences are eval's prompt plus the answer, and long ones lose dialogue only.
final class ExampleEncoderTests: XCTestCase {
    let gguf = try! GGUFFile(path: TinyModel.path)

    func encoder(_ max: Int) throws -> ExampleEncoder {
        try ExampleEncoder(tokenizer: try BPETokenizer(gguf: gguf), template: try ChatTemplate(gguf: gguf), maxLength: max)
    }

    func testThePromptIsExactlyWhatEvaluationGeneratesFrom() throws {
        let e = try encoder(512)
        let text = TrainingText(system: nil, prompt: "Summarize:\nA: hello\nB: hi", answer: "greetings", task: "summarize", dialogue: 11 ..< 27)
        let encoded = try e.encode(text).get()
        let evalPrompt = e.tokenizer.encode(e.template.prompt(system: nil, user: text.prompt))
        XCTAssertEqual(Array(encoded.tokens[..<encoded.answerStart]), evalPrompt)
        XCTAssertTrue(e.tokenizer.decode(evalPrompt).hasSuffix("<|im_start|>assistant\n"))
        XCTAssertEqual(e.tokenizer.decode(Array(encoded.tokens[encoded.answerStart...])), "greetings<|im_end|>")
        XCTAssertFalse(encoded.truncated)
    }

    func testALongPromptLosesTheEndOfItsDialogueAndKeepsTheInstruction() throws {
        let dialogue = (0 ..< 60).map { "A: line \($0)" }.joined(separator: "\n")
        let prompt = "Summarize this:\n" + dialogue + "\nBe brief."
        let start = "Summarize this:\n".unicodeScalars.count
        let text = TrainingText(system: nil, prompt: prompt, answer: "short", task: "summarize", dialogue: start ..< start + dialogue.unicodeScalars.count)
        let e = try encoder(200)
        let encoded = try e.encode(text).get()
        XCTAssertTrue(encoded.truncated)
        XCTAssertEqual(encoded.tokens.count, 200)
        let decoded = e.tokenizer.decode(encoded.tokens)
        XCTAssertTrue(decoded.contains("Summarize this:\nA: line 0"))
        XCTAssertTrue(decoded.contains("\nBe brief.<|im_end|>\n<|im_start|>assistant\nshort<|im_end|>"), decoded)
        XCTAssertFalse(decoded.contains("line 59"))
    }

    func testWhatCannotBeCutIsSkippedWithItsReason() throws {
        let e = try encoder(120)
        let long = String(repeating: "word ", count: 60)
        XCTAssertEqual(e.encode(TrainingText(system: nil, prompt: "Hi", answer: long, task: "t", dialogue: 0 ..< 2)).failure, .answerTooLong)
        XCTAssertEqual(e.encode(TrainingText(system: nil, prompt: long, answer: "ok", task: "t", dialogue: nil)).failure, .promptTooLong)
        XCTAssertEqual(e.encode(TrainingText(system: nil, prompt: "Hi", answer: "", task: "t", dialogue: nil)).failure, .emptyAnswer)
    }
}

extension Result {
    var failure: Failure? { if case .failure(let f) = self { f } else { nil } }
}
