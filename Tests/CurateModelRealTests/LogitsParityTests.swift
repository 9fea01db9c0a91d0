import Foundation
import XCTest
@testable import CurateModel

/// SmolLM2 through curate vs transformers float32 on the same GGUF
/// (bench/trainer/make_logits_golden.py): the ChatML prompt, its token ids, next-token
/// probabilities within 1e-3, and token-identical greedy continuations. CURATE_LOGITS_GOLDEN
/// points at another golden file, as bench/trainer/check_parity.sh does for DialogSum prompts.
final class LogitsParityTests: XCTestCase {
    struct Golden: Decodable {
        struct Case: Decodable {
            let chat: String
            let prompt_ids: [Int]
            let top_ids: [Int]
            let top_logits: [Double]
            let logsumexp: Double
            let greedy: [Int]
        }
        let max_new_tokens: Int
        let cases: [Case]
    }

    func testMatchesTransformers() throws {
        let env = ProcessInfo.processInfo.environment["CURATE_LOGITS_GOLDEN"]
        let url = env.map { URL(fileURLWithPath: $0) }
            ?? Bundle.module.url(forResource: "Fixtures/logits_golden_handwritten", withExtension: "json")!
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
        let (model, tok, template) = try RealModel.loaded.get()
        let V = model.config.vocabSize

        var worst = 0.0
        for (i, c) in golden.cases.enumerated() {
            let user = String(c.chat.split(separator: "<|im_start|>user\n", maxSplits: 1)[1].dropLast("<|im_end|>\n<|im_start|>assistant\n".count))
            XCTAssertEqual(template.render([.init(role: "user", content: user)]), c.chat, "case \(i) ChatML")
            XCTAssertEqual(tok.encode(c.chat), c.prompt_ids, "case \(i) prompt ids")

            let logits = try model.prefill(c.prompt_ids, cache: model.makeCache(capacity: c.prompt_ids.count))
            let m = Double(logits.max()!)
            let lse = m + log(logits.reduce(0.0) { $0 + exp(Double($1) - m) })
            for (id, hf) in zip(c.top_ids, c.top_logits) {
                let diff = abs(exp(Double(logits[id]) - lse) - exp(hf - c.logsumexp))
                worst = max(worst, diff)
                XCTAssertLessThan(diff, 1e-3, "case \(i) token \(id)")
            }
            XCTAssertEqual(Sampler.argmax(logits[0 ..< V]), c.top_ids[0], "case \(i) top-1")
        }

        let generator = Generator(model: model, tokenizer: tok)
        let outputs = try generator.generate(golden.cases.map(\.prompt_ids), maxNewTokens: golden.max_new_tokens)
        var identical = 0
        for (i, (c, got)) in zip(golden.cases, outputs).enumerated() {
            let want = c.greedy.last.map { generator.stopTokens.contains($0) } == true ? Array(c.greedy.dropLast()) : c.greedy
            if got == want { identical += 1 } else { XCTFail("case \(i) greedy: got \(tok.decode(got).debugDescription), want \(tok.decode(want).debugDescription)") }
        }
        print("logits parity \(url.lastPathComponent): max |Δp| \(worst) over top-\(golden.cases[0].top_ids.count); greedy identical \(identical)/\(golden.cases.count)")
    }
}
