/// All parameters of a llama model in fp32, in one flat buffer (as llm.c keeps them), dequantized
/// once at load so that every matmul is a plain sgemm/sgemv.
///
/// Layout, in order (matrices row-major [out, in], as GGUF stores them):
///
///     tokenEmbedding   [V, D]
///     per layer l:     attnNorm [D], wq [D, D], wk [KV, D], wv [KV, D], wo [D, D],
///                      ffnNorm [D], wGate [F, D], wUp [F, D], wDown [D, F]
///     outputNorm       [D]
///     output           [V, D]   (absent when tied: `output` then aliases tokenEmbedding)
///
/// with V vocab, D width, KV = kvHeads·headDim, F feed-forward width. GGUF llama files store
/// wq and wk rows permuted so that RoPE rotates adjacent pairs (llama.cpp's "normal" mode);
/// `LlamaModel` applies RoPE that way, so no un-permuting is needed.
public final class LlamaWeights: @unchecked Sendable {
    public let config: LlamaConfig
    public let buffer: UnsafeMutableBufferPointer<Float>
    public let tiedOutput: Bool

    /// Offsets into `buffer` of one layer's tensors.
    public struct Layer {
        public let attnNorm, wq, wk, wv, wo, ffnNorm, wGate, wUp, wDown: Int
    }

    public let tokenEmbedding: Int
    public let layers: [Layer]
    public let outputNorm: Int
    public let output: Int

    public init(config c: LlamaConfig, tiedOutput: Bool) {
        config = c
        self.tiedOutput = tiedOutput
        var next = 0
        func take(_ n: Int) -> Int { defer { next += n }; return next }
        tokenEmbedding = take(c.vocabSize * c.dim)
        layers = (0 ..< c.layers).map { _ in
            Layer(attnNorm: take(c.dim), wq: take(c.dim * c.dim), wk: take(c.kvDim * c.dim), wv: take(c.kvDim * c.dim),
                  wo: take(c.dim * c.dim), ffnNorm: take(c.dim), wGate: take(c.ffnDim * c.dim),
                  wUp: take(c.ffnDim * c.dim), wDown: take(c.dim * c.ffnDim))
        }
        outputNorm = take(c.dim)
        output = tiedOutput ? tokenEmbedding : take(c.vocabSize * c.dim)
        buffer = .allocate(capacity: next)
        buffer.initialize(repeating: 0)
    }

    deinit { buffer.deallocate() }

    public var parameterCount: Int { buffer.count }

    public func pointer(_ offset: Int) -> UnsafeMutablePointer<Float> { buffer.baseAddress! + offset }

    /// Loads and dequantizes every tensor of a GGUF llama model.
    public convenience init(gguf: GGUFFile) throws {
        let c = try LlamaConfig(gguf: gguf)
        self.init(config: c, tiedOutput: !gguf.hasTensor(named: "output.weight"))
        func load(_ name: String, _ offset: Int, _ shape: [Int]) throws {
            let info = try gguf.tensor(named: name)
            guard info.shape == shape else { throw ModelError.wrongShape(tensor: name, expected: shape, found: info.shape) }
            let raw = try gguf.tensorBytes(info)
            Dequantize.run(info.type, raw, into: UnsafeMutableBufferPointer(start: pointer(offset), count: info.elementCount))
        }
        // ggml shapes list the contiguous dimension first: [in, out].
        try load("token_embd.weight", tokenEmbedding, [c.dim, c.vocabSize])
        for (i, l) in layers.enumerated() {
            let p = "blk.\(i)."
            try load(p + "attn_norm.weight", l.attnNorm, [c.dim])
            try load(p + "attn_q.weight", l.wq, [c.dim, c.dim])
            try load(p + "attn_k.weight", l.wk, [c.dim, c.kvDim])
            try load(p + "attn_v.weight", l.wv, [c.dim, c.kvDim])
            try load(p + "attn_output.weight", l.wo, [c.dim, c.dim])
            try load(p + "ffn_norm.weight", l.ffnNorm, [c.dim])
            try load(p + "ffn_gate.weight", l.wGate, [c.dim, c.ffnDim])
            try load(p + "ffn_up.weight", l.wUp, [c.dim, c.ffnDim])
            try load(p + "ffn_down.weight", l.wDown, [c.ffnDim, c.dim])
        }
        try load("output_norm.weight", outputNorm, [c.dim])
        if !tiedOutput { try load("output.weight", output, [c.dim, c.vocabSize]) }
    }
}
