/// Text generation on top of `LlamaModel`: prefill each prompt, then decode the unfinished
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

    /// New tokens for each prompt. At most `slots` sequences decode together (all of them
    /// when nil); when one finishes, the next prompt is prefilled and takes its slot at once, so
    /// short answers never leave the batch half empty. A sequence's tokens do not depend on the
    /// others decoded beside it. Sequence b samples with `samplers[b]` when given (so each can
    /// have its own seed), else with a copy of `sampler`; `finished(b)` is called as each ends.
    public func generate(_ prompts: [[Int]], maxNewTokens: Int, slots: Int? = nil, sampler: Sampler = .greedy,
                         samplers: [Sampler]? = nil, finished: (Int) -> Void = { _ in }) throws -> [[Int]] {
        let V = model.config.vocabSize
        guard maxNewTokens > 0 else { return prompts.map { _ in [] } }
        if let empty = prompts.firstIndex(where: \.isEmpty) { throw ModelError.emptyPrompt(index: empty) }
        var samplers = samplers ?? Array(repeating: sampler, count: prompts.count)
        var outputs = [[Int]](repeating: [], count: prompts.count)
        /// A decoding sequence: its prompt's index, cache, and the token to feed next.
        var active: [(index: Int, cache: KVCache, last: Int)] = []
        var waiting = prompts.indices.makeIterator()
        let slots = max(1, slots ?? prompts.count)

        /// Appends a sampled token; false when the sequence has ended (a stop token, or the budget).
        func accept(_ b: Int, _ token: Int) -> Bool {
            if !stopTokens.contains(token) {
                outputs[b].append(token)
                if outputs[b].count < maxNewTokens { return true }
            }
            finished(b)
            return false
        }
        func fillSlots() throws {
            while active.count < slots, let b = waiting.next() {
                let cache = model.makeCache(capacity: prompts[b].count + maxNewTokens)
                let token = samplers[b].next(try model.prefill(prompts[b], cache: cache)[0 ..< V])
                if accept(b, token) { active.append((b, cache, token)) }
            }
        }
        try fillSlots()
        while !active.isEmpty {
            let logits = try model.decode(active.map(\.last), caches: active.map(\.cache))
            active = active.enumerated().compactMap { j, sequence in
                let token = samplers[sequence.index].next(logits[j * V ..< (j + 1) * V])
                return accept(sequence.index, token) ? (sequence.index, sequence.cache, token) : nil
            }
            try fillSlots()
        }
        return outputs
    }
}
