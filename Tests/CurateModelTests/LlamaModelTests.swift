import XCTest
@testable import CurateModel

final class LlamaModelTests: XCTestCase {
    static let gguf = try! GGUFFile(path: TinyLlama.path)
    static let model = try! LlamaModel(gguf: gguf)
    let tokens = [1, 72 + 3, 101 + 3, 108 + 3, 259, 2, 50, 7, 261]
    var V: Int { TinyLlama.config.vocabSize }

    func testConfigAndWeightsLoad() throws {
        XCTAssertEqual(try LlamaConfig(gguf: Self.gguf), TinyLlama.config)
        XCTAssertTrue(Self.model.weights.tiedOutput)
        XCTAssertEqual(Self.model.weights.output, Self.model.weights.tokenEmbedding)
    }

    func testForwardMatchesPlainReference() throws {
        let want = try LlamaReference.logits(gguf: Self.gguf, tokens: tokens)
        let got = try Self.model.prefill(tokens, cache: Self.model.makeCache(), allLogits: true)
        for t in tokens.indices {
            for j in 0 ..< V { XCTAssertEqual(got[t * V + j], want[t][j], accuracy: 2e-4, "t=\(t) j=\(j)") }
        }
    }

    func testIncrementalDecodingMatchesOnePrefill() throws {
        let m = Self.model
        let all = try m.prefill(tokens, cache: m.makeCache(), allLogits: true)
        let cache = m.makeCache()
        var steps = try m.prefill(Array(tokens[0 ..< 3]), cache: cache, allLogits: true)
        for t in tokens[3...] { steps += try m.decode([t], caches: [cache]) }
        XCTAssertEqual(cache.count, tokens.count)
        for i in all.indices { XCTAssertEqual(steps[i], all[i], accuracy: 1e-4) }
    }

    func testBatchedDecodingMatchesSeparateSequences() throws {
        let m = Self.model
        let prompts = [[1, 80, 81], [1, 90], [1, 100, 101, 102, 103]]
        let caches = try prompts.map { p -> KVCache in let c = m.makeCache(); _ = try m.prefill(p, cache: c); return c }
        let batched = try m.decode([5, 6, 7], caches: caches)
        for (b, p) in prompts.enumerated() {
            let alone = try m.prefill(p + [[5, 6, 7][b]], cache: m.makeCache())
            for j in 0 ..< V { XCTAssertEqual(batched[b * V + j], alone[j], accuracy: 1e-4) }
        }
    }

    func testGreedyGenerationIsArgmaxAndBatchIndependent() throws {
        let m = Self.model
        let gen = Generator(model: m, stopTokens: [2])
        let prompts = [[1, 75, 76], [1, 90, 91, 92, 93]]
        let batch = try gen.generate(prompts, maxNewTokens: 6)
        for (b, p) in prompts.enumerated() {
            XCTAssertEqual(try gen.generate([p], maxNewTokens: 6)[0], batch[b])
            // Manual greedy loop on the full sequence each step.
            var seq = p, manual: [Int] = []
            while manual.count < 6 {
                let next = Sampler.argmax(try m.prefill(seq, cache: m.makeCache())[0 ..< V])
                if next == 2 { break }
                manual.append(next)
                seq.append(next)
            }
            XCTAssertEqual(manual, batch[b])
        }
    }

    /// With fewer slots than prompts, a finished sequence's slot takes the next prompt at once:
    /// every answer is the one it gets alone, and each prompt is reported finished once.
    func testSlotsRefillAsSequencesFinish() throws {
        let gen = Generator(model: Self.model, stopTokens: [2])
        let prompts = [[1, 75, 76], [1, 90], [1, 100, 101, 102], [1, 7], [1, 8, 9]]
        var finished: [Int] = []
        let slotted = try gen.generate(prompts, maxNewTokens: 5, slots: 2) { finished.append($0) }
        XCTAssertEqual(finished.sorted(), Array(prompts.indices))
        for (b, p) in prompts.enumerated() { XCTAssertEqual(slotted[b], try gen.generate([p], maxNewTokens: 5)[0], "prompt \(b)") }
        // Budgets of a few tokens end sequences at different steps, so slots refill mid-batch.
        XCTAssertEqual(try gen.generate(prompts, maxNewTokens: 1, slots: 2).map(\.count).max(), 1)
    }

    func testSeededSamplingIsReproducible() throws {
        let gen = Generator(model: Self.model, stopTokens: [])
        let s1 = Sampler(temperature: 1.5, topP: 0.95, seed: 7)
        let a = try gen.generate([[1, 75]], maxNewTokens: 12, sampler: s1)
        XCTAssertEqual(try gen.generate([[1, 75]], maxNewTokens: 12, sampler: s1), a)
        XCTAssertNotEqual(try gen.generate([[1, 75]], maxNewTokens: 12, sampler: Sampler(temperature: 1.5, topP: 0.95, seed: 8)), a)
        XCTAssertEqual(a[0].count, 12)
    }

    func testTopPKeepsTheNucleus() {
        let logits: [Float] = [0, 3, 1, 2.9]
        var tight = Sampler(temperature: 1, topP: 0.01, seed: 1)
        for _ in 0 ..< 20 { XCTAssertEqual(tight.next(logits[...]), 1) }
        var nucleus = Sampler(temperature: 1, topP: 0.7, seed: 2)
        let seen = Set((0 ..< 200).map { _ in nucleus.next(logits[...]) })
        XCTAssertEqual(seen, [1, 3])
    }

    func testErrorsForBadTokensAndFullCache() throws {
        let m = Self.model
        XCTAssertThrowsError(try m.prefill([V], cache: m.makeCache())) { XCTAssertEqual($0 as? ModelError, .badToken(V, vocabSize: V)) }
        let gen = Generator(model: m, stopTokens: [2])
        XCTAssertEqual(try gen.generate([[1, 5]], maxNewTokens: 0), [[]])
        XCTAssertThrowsError(try gen.generate([[1], []], maxNewTokens: 3)) { XCTAssertEqual($0 as? ModelError, .emptyPrompt(index: 1)) }
        let small = m.makeCache(capacity: 2)
        XCTAssertThrowsError(try m.prefill([1, 2, 3], cache: small)) { XCTAssertEqual($0 as? ModelError, .contextFull(capacity: 2)) }
    }

    func testChatMLRenderingFromTheGGUFTemplate() throws {
        let t = try ChatTemplate(gguf: Self.gguf)
        XCTAssertEqual(t.defaultSystemPrompt, "You are a helpful AI assistant named SmolLM, trained by Hugging Face")
        XCTAssertEqual(t.render([.init(role: "user", content: "Hi")]),
                       "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
        XCTAssertEqual(t.render([.init(role: "system", content: "S"), .init(role: "user", content: "U")], addGenerationPrompt: false),
                       "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n")
        let tok = try BPETokenizer(gguf: Self.gguf)
        XCTAssertEqual(tok.encode(t.render([.init(role: "user", content: "hello")])).prefix(1), [1])
        XCTAssertEqual(tok.encode("hello"), [tok.id(of: "hell")!, tok.id(of: "o")!]) // h e → he, l l → ll, he ll → hell
    }
}
