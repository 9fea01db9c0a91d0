/// Text generation on top of `LlamaModel`: prefill each prompt, then decode all unfinished
/// sequences together one token per step, stopping a sequence at a stop token or the budget.
public struct Generator {
    public let model: LlamaModel
    /// Tokens that end a sequence (not included in the output): EOS and `<|im_end|>`.
    public let stopTokens: Set<Int>

    public init(model: LlamaModel, stopTokens: Set<Int>) {
        self.model = model
        self.stopTokens = stopTokens
    }

    /// A generator stopping at the tokenizer's EOS and at `<|im_end|>` when it has one.
    public init(model: LlamaModel, tokenizer: BPETokenizer) {
        let stops = [tokenizer.eosID, tokenizer.id(of: "<|im_end|>"), tokenizer.id(of: "<|endoftext|>")].compactMap { $0 }
        self.init(model: model, stopTokens: Set(stops))
    }

    /// New tokens for each prompt. Sequence b samples with `samplers[b]` when given (so each can
    /// have its own seed), else with a copy of `sampler`.
    public func generate(_ prompts: [[Int]], maxNewTokens: Int, sampler: Sampler = .greedy,
                         samplers: [Sampler]? = nil) throws -> [[Int]] {
        let V = model.config.vocabSize
        guard maxNewTokens > 0 else { return prompts.map { _ in [] } }
        if let empty = prompts.firstIndex(where: \.isEmpty) { throw ModelError.emptyPrompt(index: empty) }
        var samplers = samplers ?? Array(repeating: sampler, count: prompts.count)
        var outputs = [[Int]](repeating: [], count: prompts.count)
        var caches: [KVCache] = []
        var next: [Int] = []
        for (b, prompt) in prompts.enumerated() {
            let cache = model.makeCache(capacity: prompt.count + maxNewTokens)
            let logits = try model.prefill(prompt, cache: cache)
            caches.append(cache)
            next.append(samplers[b].next(logits[0 ..< V]))
        }
        var active = Array(prompts.indices)
        while true {
            // Record the sampled tokens; drop finished sequences.
            var still: [Int] = []
            for (j, b) in active.enumerated() where !stopTokens.contains(next[j]) {
                outputs[b].append(next[j])
                if outputs[b].count < maxNewTokens { still.append(j) }
            }
            guard !still.isEmpty else { return outputs }
            active = still.map { active[$0] }
            let tokens = still.map { next[$0] }
            let logits = try model.decode(tokens, caches: active.map { caches[$0] })
            next = active.enumerated().map { j, b in samplers[b].next(logits[j * V ..< (j + 1) * V]) }
        }
    }
}
