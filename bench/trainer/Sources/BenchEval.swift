import CurateEval
import CurateModel
import Foundation

/// curate-train-bench eval-dialogsum: the summarization eval end to end — ChatML prompt,
/// greedy generation with `batch` slots, ROUGE against the three DialogSum references — and
/// its speed in examples per minute, with fp32 or quantized decoding.
func benchEvalDialogSum(path: String, examples: Int, batch: Int, precision: DecodingPrecision) throws {
    let model = try ChatModel(path: try benchModel(), precision: precision)
    let rows = try dialogSumRows(path, count: examples)
    var rouge = RougeAccumulator()
    var generated = 0
    let t = try seconds {
        let replies = try model.reply(to: rows.map { (nil, summarizePrompt($0)) }, maxNewTokens: 64, slots: batch)
        for (row, reply) in zip(rows, replies) {
            rouge.add(references: ["summary1", "summary2", "summary3", "summary"].compactMap { row[$0] as? String }, prediction: reply.text)
            generated += reply.tokens
        }
    }
    print(String(format: "%d examples in %.1f s: %.1f examples/min, %.1f generated tok/s (%d slots, %@ decoding)",
                 rows.count, t, Double(rows.count) / t * 60, Double(generated) / t, batch, precision.rawValue))
    for type in RougeType.standard {
        let m = rouge.mean(type)
        let name = type.description.padding(toLength: 10, withPad: " ", startingAt: 0)
        print(name + String(format: "P %.4f R %.4f F %.4f", m.precision, m.recall, m.fmeasure))
    }
}

/// curate-train-bench parity-quantized: how far quantized decoding strays from fp32 on DialogSum
/// prompts — the next-token probabilities at the first decode step (max |Δp|; prefill is fp32
/// in both, so that is the first step where they can differ) and whether the greedy
/// continuations of `steps` tokens are identical.
func benchQuantizedParity(path: String, examples: Int, steps: Int) throws {
    let file = try GGUFFile(path: try benchModel().path)
    let weights = try LlamaWeights(gguf: file)
    let fp32 = try LlamaModel(weights: weights, maxPositions: 2048)
    let quantized = try LlamaModel(weights: weights, maxPositions: 2048, quantized: try QuantizedWeights(weights: weights, file: file))
    let tokenizer = try BPETokenizer(gguf: file)
    let template = try ChatTemplate(gguf: file)
    let V = weights.config.vocabSize
    var identical = 0
    var worst: Float = 0
    for row in try dialogSumRows(path, count: examples) {
        let prompt = tokenizer.encode(template.prompt(system: nil, user: summarizePrompt(row)))
        let (exact, fast) = (fp32.makeCache(), quantized.makeCache())
        let first = Sampler.argmax(try fp32.prefill(prompt, cache: exact)[0 ..< V])
        _ = try quantized.prefill(prompt, cache: fast)
        let (p, q) = (softmax(try fp32.decode([first], caches: [exact])), softmax(try quantized.decode([first], caches: [fast])))
        worst = max(worst, zip(p, q).map { abs($0 - $1) }.max()!)
        let outputs = try [fp32, quantized].map { try Generator(model: $0, tokenizer: tokenizer).generate([prompt], maxNewTokens: steps)[0] }
        if outputs[0] == outputs[1] { identical += 1 }
    }
    print(String(format: "quantized vs fp32 decoding on %d DialogSum prompts: greedy %d-token continuations identical %d/%d; max |Δp| at the first decode step %.2e",
                 examples, steps, identical, examples, worst))
}

private func dialogSumRows(_ path: String, count: Int) throws -> [[String: Any]] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").prefix(count).map { line in
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
    }
}

private func summarizePrompt(_ row: [String: Any]) -> String { "Summarize the following dialogue.\n\n" + (row["dialogue"] as! String) }

private func softmax(_ logits: [Float]) -> [Float] {
    let m = logits.max()!
    let e = logits.map { expf($0 - m) }
    let s = e.reduce(0, +)
    return e.map { $0 / s }
}
