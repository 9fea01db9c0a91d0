import CurateCore
import CurateTemplates
import Foundation
import XCTest

/// Token-aware lengths with a counter passed in (the pipeline passes a GGUF tokenizer's), and
/// the templates built into the binary.
final class TokenBudgetTests: XCTestCase {
    let yaml = """
        task: summarize
        templates:
          - id: s.1
            prompt: "Summarize:\\n{{dialogue}}"
            target: "{{summary}}"
        """

    func conversation(_ id: Int64) -> StoredConversation {
        StoredConversation(id: id, contentHash: "h\(id)", split: .train, dataset: "d",
                           turns: [Turn(speaker: "A", role: .user, text: "Can you help me \(id)?"), Turn(speaker: "B", role: .assistant, text: "Sure.")],
                           annotations: Annotations(summaries: ["A asks B."]))
    }

    /// A stand-in tokenizer: two tokens per whitespace word.
    let counter = TokenCounter(name: "words×2") { 2 * whitespaceTokenCount($0) }

    func fewShot(maxPromptTokens: Int?) throws -> Example? {
        let set = try TemplateSet(yaml: yaml, file: "t.yaml")
        var pool = ExemplarPool(seed: 3)
        for id: Int64 in 1...4 { pool.offer(conversation(id), sets: [set]) }
        pool.finish()
        let renderer = Renderer(sets: [set], configuration: .init(seed: 3, shots: 2, tokenCounter: counter, maxPromptTokens: maxPromptTokens),
                                exemplars: pool)
        return renderer.render(conversation(9)).examples.first { $0.variant.fewShot }
    }

    func testFewShotPromptsArePrunedToTheTokenBudget() throws {
        // Question: 8 words; each exemplar block (prompt + answer): 11 words. Two shots = 30
        // words = 60 tokens; one = 19 words = 38 tokens (+2 words of block separators count 0).
        let unbounded = try XCTUnwrap(try fewShot(maxPromptTokens: nil))
        XCTAssertEqual(unbounded.exemplars.count, 2)
        let pruned = try XCTUnwrap(try fewShot(maxPromptTokens: 50))
        XCTAssertEqual(pruned.exemplars.count, 1, "the second exemplar would pass 50 tokens")
        XCTAssertLessThanOrEqual(counter.count(pruned.prompt), 50)
        XCTAssertEqual(pruned.tokens, counter.count(pruned.prompt) + counter.count(pruned.target), "its length is recorded")
        XCTAssertNil(try fewShot(maxPromptTokens: 20), "not even one exemplar fits: no few-shot form")
    }

    func testEveryExampleRecordsItsTokensWhenACounterIsGiven() throws {
        let set = try TemplateSet(yaml: yaml, file: "t.yaml")
        let examples = Renderer(sets: [set], configuration: .init(shots: 0, tokenCounter: counter)).render(conversation(1)).examples
        XCTAssertEqual(examples.map(\.tokens), [2 * (whitespaceTokenCount(examples[0].prompt) + whitespaceTokenCount(examples[0].target))])
        XCTAssertEqual(Renderer(sets: [set], configuration: .init(shots: 0)).render(conversation(1)).examples.map(\.tokens), [nil])
    }

    func testBuiltInTemplatesAreTheRepositorysTemplateFiles() throws {
        let builtin = try TemplateLibrary.builtin()
        let folder = try TemplateLibrary(directory: repoTemplates)
        XCTAssertEqual(builtin.sets.keys.sorted(), folder.sets.keys.sorted())
        for task in folder.sets.keys {
            XCTAssertEqual(builtin.sources[task].map { $0 + "\n" }, folder.sources[task],
                           "templates/\(task).yaml changed: run scripts/embed-templates.py")
        }
        XCTAssertEqual(builtin.origin, "built-in")
    }
}
