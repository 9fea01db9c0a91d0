import CurateCore

/// A small llama GGUF with seeded random weights and the same tensor names, metadata, byte-level
/// tokenizer and ChatML template as SmolLM2. It makes tests hermetic (no download) and lets
/// scripts smoke-test the trainer and the reference checks in milliseconds.
public enum RandomLlama {
    /// How matrices are stored: `mixed` exercises every tensor type the loader reads (Q8_0
    /// embedding, Q4_1/Q4_0/F16/BF16 matrices); `f32` stores every tensor exactly, so a reference
    /// implementation reading the file sees the very weights curate computes with.
    public enum Storage: String, Sendable { case mixed, f32 }

    public static let smolLMTemplate = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"

    /// 2 layers, width 64, 4 heads over 2 kv heads (grouped-query attention), 262 tokens.
    public static let tinyConfig = LlamaConfig(layers: 2, dim: 64, ffnDim: 96, heads: 4, kvHeads: 2, vocabSize: 262,
                                               contextLength: 64, ropeBase: 10000, rmsEpsilon: 1e-5)

    /// The vocabulary: 3 ChatML control tokens, the 256 byte tokens, then 3 merges' results.
    /// `config.vocabSize` must be 262.
    public static func writer(config c: LlamaConfig = tinyConfig, storage: Storage = .mixed, seed: UInt64 = 42) throws -> GGUFWriter {
        var w = GGUFWriter()
        w.set("general.architecture", .string("llama"))
        w.set("general.name", .string("random-llama"))
        w.set("llama.block_count", .uint32(UInt32(c.layers)))
        w.set("llama.context_length", .uint32(UInt32(c.contextLength)))
        w.set("llama.embedding_length", .uint32(UInt32(c.dim)))
        w.set("llama.feed_forward_length", .uint32(UInt32(c.ffnDim)))
        w.set("llama.attention.head_count", .uint32(UInt32(c.heads)))
        w.set("llama.attention.head_count_kv", .uint32(UInt32(c.kvHeads)))
        w.set("llama.rope.freq_base", .float32(c.ropeBase))
        w.set("llama.attention.layer_norm_rms_epsilon", .float32(c.rmsEpsilon))
        w.set("llama.rope.dimension_count", .uint32(UInt32(c.headDim)))
        w.set("llama.vocab_size", .uint32(UInt32(c.vocabSize)))
        let tokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"] + (0 ..< 256).map { String(ByteLevel.scalar[$0]) } + ["he", "ll", "hell"]
        precondition(tokens.count == c.vocabSize, "the random llama's vocabulary has \(tokens.count) tokens")
        w.set("tokenizer.ggml.model", .string("gpt2"))
        w.set("tokenizer.ggml.pre", .string("smollm"))
        w.set("tokenizer.ggml.tokens", .array(.string, tokens.map { .string($0) }))
        w.set("tokenizer.ggml.token_type", .array(.int32, tokens.indices.map { .int32($0 < 3 ? 3 : 1) }))
        w.set("tokenizer.ggml.merges", .array(.string, ["h e", "l l", "he ll"].map { .string($0) }))
        w.set("tokenizer.ggml.bos_token_id", .uint32(1))
        w.set("tokenizer.ggml.eos_token_id", .uint32(2))
        w.set("tokenizer.chat_template", .string(smolLMTemplate))

        var rng = SeededRandom(seed: seed)
        func random(_ n: Int, scale: Float) -> [Float] { (0 ..< n).map { _ in Float(rng.nextDouble() * 2 - 1) * scale } }
        func norm(_ n: Int) -> [Float] { (0 ..< n).map { _ in 1 + Float(rng.nextDouble() - 0.5) * 0.2 } }
        func type(_ mixed: GGMLType) -> GGMLType { storage == .f32 ? .f32 : mixed }
        try w.addTensor("token_embd.weight", shape: [c.dim, c.vocabSize], type: type(.q8_0), values: random(c.dim * c.vocabSize, scale: 1))
        for l in 0 ..< c.layers {
            let p = "blk.\(l)."
            let matrix = type(l == 0 ? .q4_1 : .q4_0)
            try w.addTensor(p + "attn_norm.weight", shape: [c.dim], type: .f32, values: norm(c.dim))
            for (name, out) in [("attn_q", c.dim), ("attn_k", c.kvDim), ("attn_v", c.kvDim), ("attn_output", c.dim)] {
                try w.addTensor(p + name + ".weight", shape: [c.dim, out], type: matrix, values: random(c.dim * out, scale: 0.3))
            }
            try w.addTensor(p + "ffn_norm.weight", shape: [c.dim], type: .f32, values: norm(c.dim))
            try w.addTensor(p + "ffn_gate.weight", shape: [c.dim, c.ffnDim], type: matrix, values: random(c.dim * c.ffnDim, scale: 0.3))
            try w.addTensor(p + "ffn_up.weight", shape: [c.dim, c.ffnDim], type: type(.f16), values: random(c.dim * c.ffnDim, scale: 0.3))
            try w.addTensor(p + "ffn_down.weight", shape: [c.ffnDim, c.dim], type: type(.bf16), values: random(c.ffnDim * c.dim, scale: 0.3))
        }
        try w.addTensor("output_norm.weight", shape: [c.dim], type: .f32, values: norm(c.dim))
        return w
    }
}
