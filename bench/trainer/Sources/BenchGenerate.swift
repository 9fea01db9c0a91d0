import CurateModel
import Foundation

/// curate-train-bench generate: SmolLM2 load time, prefill tok/s, and greedy decode tok/s at
/// batch 1 and 8 (decode steps forced to run the full budget: no stop tokens), with fp32 and
/// with quantized decoding. Each figure is
/// the best of three runs, since the 2-core machines are shared and single runs are noisy.
func benchGenerate(promptTokens: Int, steps: Int, precisions: [String]) throws {
    let path = try benchModel()
    var fp32: LlamaModel!
    var file: GGUFFile!
    let load = try seconds {
        file = try GGUFFile(path: path.path)
        fp32 = try LlamaModel(weights: try LlamaWeights(gguf: file), maxPositions: promptTokens + steps + 8)
    }
    let blas = try BLAS.shared.get()
    print("OpenBLAS core: \(blas.coreName) (\(blas.choice)); load + dequantize: \(String(format: "%.2f", load)) s")
    let blocks = try QuantizedWeights(weights: fp32.weights, file: file)
    let quantized = try LlamaModel(weights: fp32.weights, maxPositions: promptTokens + steps + 8, quantized: blocks)
    for (name, model) in [("fp32", fp32!), ("quantized", quantized)] where precisions.contains(name) {
        print("== \(name)\(model.quantized == nil ? "" : String(format: " (the file's Q4_1/Q8_0 blocks, %.0f MB)", Double(blocks.byteCount) / 1e6))")
        try benchModel(model, promptTokens: promptTokens, steps: steps)
    }
}

private func benchModel(_ model: LlamaModel, promptTokens: Int, steps: Int) throws {
    // A fixed pseudo-prompt: the ids cycle through ordinary word tokens.
    let prompt = (0 ..< promptTokens).map { 1000 + ($0 * 7919) % 20000 }
    _ = try model.prefill(Array(prompt.prefix(16)), cache: model.makeCache()) // warm-up
    let prefill = try best { _ = try model.prefill(prompt, cache: model.makeCache()) }
    print(String(format: "prefill %d tokens: %.1f tok/s", promptTokens, Double(promptTokens) / prefill))
    for batch in [1, 8] {
        let prompts = (0 ..< batch).map { b in Array(prompt.prefix(64)).map { $0 + b } }
        let t = try best {
            let caches = prompts.map { _ in model.makeCache(capacity: 64 + steps) }
            for (p, c) in zip(prompts, caches) { _ = try model.prefill(p, cache: c) }
            var next = prompts.map { $0.last! }
            let t0 = DispatchTime.now().uptimeNanoseconds
            for _ in 0 ..< steps {
                let logits = try model.decode(next, caches: caches)
                next = (0 ..< batch).map { Sampler.argmax(logits[$0 * model.config.vocabSize ..< ($0 + 1) * model.config.vocabSize]) }
            }
            return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        }
        print(String(format: "decode batch %d: %.1f tok/s (%d steps after a 64-token prompt)", batch, Double(batch * steps) / t, steps))
    }
}

/// The GGUF to measure: `CURATE_BENCH_MODEL` when set (a llama.cpp requantization, say), else
/// SmolLM2-135M-Instruct as `curate model fetch` gets it.
func benchModel() throws -> URL {
    if let path = ProcessInfo.processInfo.environment["CURATE_BENCH_MODEL"] { return URL(fileURLWithPath: path) }
    return try ModelCache().fetch("smollm2-135m")
}

/// The smallest of `runs` timings, where `body` times itself (returning seconds) or is timed
/// whole.
func best(runs: Int = 3, _ body: () throws -> Double) rethrows -> Double {
    var fastest = Double.infinity
    for _ in 0 ..< runs { fastest = min(fastest, try body()) }
    return fastest
}

func best(runs: Int = 3, _ body: () throws -> Void) rethrows -> Double {
    try best(runs: runs) { () throws -> Double in try seconds(body) }
}

/// Wall-clock seconds `body` takes.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
}
