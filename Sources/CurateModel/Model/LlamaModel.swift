/// The llama forward pass, llm.c style: each step is one call whose buffer shapes are spelled
/// out. Matmuls go to OpenBLAS in fp32 — or, for calls of a few rows (decoding) when the model
/// has `quantized` weights, to kernels that read the weights in their block formats, since
/// such a call is bound by the bytes of weights it reads.
///
/// A forward call runs R "rows"; each row is one token of some sequence at some position. Prefill
/// is R tokens of one sequence; batched decoding is one token of each of R sequences. Rows of the
/// same sequence at consecutive positions form a segment whose attention is two sgemms per head.
public final class LlamaModel: @unchecked Sendable {
    public let config: LlamaConfig
    public let weights: LlamaWeights
    let blas: BLAS
    let rope: RoPETable
    /// Block-format copies of the matrices for decoding; nil runs everything in fp32.
    public let quantized: QuantizedWeights?

    /// Calls with at most this many rows use the quantized weights. Prefill (hundreds of rows)
    /// is compute-bound, and fp32 sgemm is faster and exact there.
    static let quantizedRowLimit = 16

    struct Row {
        let cache: Int
        let position: Int
        let token: Int
    }

    public init(weights: LlamaWeights, maxPositions: Int? = nil, quantized: QuantizedWeights? = nil) throws {
        config = weights.config
        self.weights = weights
        self.quantized = quantized
        blas = try BLAS.shared.get()
        rope = RoPETable(headDim: config.headDim, base: config.ropeBase, positions: maxPositions ?? config.contextLength)
    }

    public convenience init(gguf: GGUFFile, maxPositions: Int? = nil) throws {
        try self.init(weights: try LlamaWeights(gguf: gguf), maxPositions: maxPositions)
    }

    /// A KV cache for one sequence of up to `capacity` positions (default: the RoPE table size).
    public func makeCache(capacity: Int? = nil) -> KVCache {
        KVCache(config: config, capacity: min(capacity ?? rope.positions, rope.positions))
    }

    /// Runs `tokens` of one sequence, continuing at `cache.count`. Returns the logits [V] of the
    /// last token, or [T, V] of all of them when `allLogits`.
    public func prefill(_ tokens: [Int], cache: KVCache, allLogits: Bool = false) throws -> [Float] {
        guard !tokens.isEmpty else { return [] }
        let rows = tokens.enumerated().map { Row(cache: 0, position: cache.count + $0.offset, token: $0.element) }
        return try forward(rows, caches: [cache], logitRows: allLogits ? Array(rows.indices) : [rows.count - 1])
    }

    /// One token for each cache (batched decoding). Returns logits [B, V], row b for caches[b].
    public func decode(_ tokens: [Int], caches: [KVCache]) throws -> [Float] {
        precondition(tokens.count == caches.count, "one token per cache")
        let rows = tokens.enumerated().map { Row(cache: $0.offset, position: caches[$0.offset].count, token: $0.element) }
        return try forward(rows, caches: caches, logitRows: Array(rows.indices))
    }

    func forward(_ rows: [Row], caches: [KVCache], logitRows: [Int]) throws -> [Float] {
        let c = config
        let (R, D, KV, F, V, hd) = (rows.count, c.dim, c.kvDim, c.ffnDim, c.vocabSize, c.headDim)
        for r in rows {
            guard (0 ..< V).contains(r.token) else { throw ModelError.badToken(r.token, vocabSize: V) }
            guard r.position < caches[r.cache].capacity else { throw ModelError.contextFull(capacity: caches[r.cache].capacity) }
        }
        let segments = Self.segments(rows)
        let maxScores = segments.map { $0.rows.count * ($0.firstPosition + $0.rows.count) }.max() ?? 0
        let s = Scratch(rows: R, dim: D, kvDim: KV, ffnDim: F, scores: maxScores)
        let w = weights
        let q = R <= Self.quantizedRowLimit ? quantized : nil

        // x [R, D] ← token embeddings
        for (i, r) in rows.enumerated() {
            (s.x + i * D).update(from: w.pointer(w.tokenEmbedding + r.token * D), count: D)
        }
        let positions = rows.map(\.position)
        for (l, lw) in w.layers.enumerated() {
            // Attention block: xb [R, D] = norm(x); q [R, D], k/v [R, KV]
            let ql = q?.layers[l]
            LlamaLayers.rmsNorm(s.xb, s.x, weight: w.pointer(lw.attnNorm), rows: R, width: D, eps: c.rmsEpsilon)
            linear(s.q, s.xb, w.pointer(lw.wq), ql?.wq, rows: R, in: D, out: D)
            linear(s.k, s.xb, w.pointer(lw.wk), ql?.wk, rows: R, in: D, out: KV)
            linear(s.v, s.xb, w.pointer(lw.wv), ql?.wv, rows: R, in: D, out: KV)
            LlamaLayers.rope(s.q, stride: D, positions: positions, heads: c.heads, headDim: hd, table: rope)
            LlamaLayers.rope(s.k, stride: KV, positions: positions, heads: c.kvHeads, headDim: hd, table: rope)
            for (i, r) in rows.enumerated() {
                caches[r.cache].keys(layer: l, position: r.position).update(from: s.k + i * KV, count: KV)
                caches[r.cache].values(layer: l, position: r.position).update(from: s.v + i * KV, count: KV)
            }
            for seg in segments { attention(seg, layer: l, cache: caches[seg.cache], s) }
            // x += att [R, D] · Woᵀ
            linear(s.xb, s.att, w.pointer(lw.wo), ql?.wo, rows: R, in: D, out: D)
            LlamaLayers.add(s.x, s.xb, count: R * D)

            // Feed-forward block: gate, up [R, F]; x += (silu(gate) ⊙ up) · Wdownᵀ
            LlamaLayers.rmsNorm(s.xb, s.x, weight: w.pointer(lw.ffnNorm), rows: R, width: D, eps: c.rmsEpsilon)
            linear(s.gate, s.xb, w.pointer(lw.wGate), ql?.wGate, rows: R, in: D, out: F)
            linear(s.up, s.xb, w.pointer(lw.wUp), ql?.wUp, rows: R, in: D, out: F)
            LlamaLayers.swiglu(s.gate, s.up, count: R * F)
            linear(s.xb, s.gate, w.pointer(lw.wDown), ql?.wDown, rows: R, in: F, out: D)
            LlamaLayers.add(s.x, s.xb, count: R * D)
        }
        for r in rows { caches[r.cache].count = max(caches[r.cache].count, r.position + 1) }

        // logits [L, V] = norm(x[logitRows]) · outputᵀ
        let L = logitRows.count
        for (j, i) in logitRows.enumerated() { (s.att + j * D).update(from: s.x + i * D, count: D) }
        LlamaLayers.rmsNorm(s.xb, s.att, weight: w.pointer(w.outputNorm), rows: L, width: D, eps: c.rmsEpsilon)
        var logits = [Float](repeating: 0, count: L * V)
        logits.withUnsafeMutableBufferPointer { out in
            linear(out.baseAddress!, s.xb, w.pointer(w.output), q?.output, rows: L, in: D, out: V)
        }
        return logits
    }

    /// out [rows, out] = x [rows, in] · W[out, in]ᵀ: from the block-format matrix `q` when
    /// given, else from the fp32 weights, where one row is a matrix-vector product.
    private func linear(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ q: QuantizedMatrix?,
                        rows: Int, in n: Int, out m: Int) {
        if let q {
            q.multiply(y, x, rows: rows)
        } else if rows == 1 {
            blas.sgemv(m: m, n: n, a: w, lda: n, x: x, y: y)
        } else {
            blas.sgemm(transB: true, m: rows, n: m, k: n, a: x, lda: n, b: w, ldb: n, c: y, ldc: m)
        }
    }

    /// Rows of one sequence at consecutive positions, run through attention together.
    struct Segment {
        let cache: Int
        let rows: Range<Int>
        let firstPosition: Int
    }

    static func segments(_ rows: [Row]) -> [Segment] {
        var out: [Segment] = []
        var start = 0
        for i in rows.indices where i + 1 == rows.count || rows[i + 1].cache != rows[i].cache || rows[i + 1].position != rows[i].position + 1 {
            out.append(Segment(cache: rows[start].cache, rows: start ..< i + 1, firstPosition: rows[start].position))
            start = i + 1
        }
        return out
    }

    /// Causal grouped-query attention of one segment (n rows at positions p0 ..< p0+n), every
    /// head h reading kv head h / (heads / kvHeads) over cache positions 0 ..< P, P = p0 + n:
    ///
    ///     scores [n, P] = q_h [n, hd] · K_g[P, hd]ᵀ / √hd, masked softmax per row
    ///     att_h  [n, hd] = scores · V_g [P, hd]
    private func attention(_ seg: Segment, layer: Int, cache: KVCache, _ s: Scratch) {
        let c = config
        let (D, KV, hd) = (c.dim, c.kvDim, c.headDim)
        let n = seg.rows.count, P = seg.firstPosition + n
        let group = c.heads / c.kvHeads
        let scale = 1 / Float(hd).squareRoot()
        let keys = cache.keys(layer: layer), values = cache.values(layer: layer)
        for h in 0 ..< c.heads {
            let g = h / group
            let q = s.q + seg.rows.lowerBound * D + h * hd
            blas.sgemm(transB: true, m: n, n: P, k: hd, alpha: scale, a: q, lda: D, b: keys + g * hd, ldb: KV,
                       c: s.scores, ldc: P)
            for r in 0 ..< n { LlamaLayers.maskedSoftmax(s.scores + r * P, valid: seg.firstPosition + r + 1, count: P) }
            blas.sgemm(m: n, n: hd, k: P, a: s.scores, lda: P, b: values + g * hd, ldb: KV,
                       c: s.att + seg.rows.lowerBound * D + h * hd, ldc: D)
        }
    }
}

/// Activations of one forward call, in one allocation:
///
///     x, xb, q, att [R, D]   k, v [R, KV]   gate, up [R, F]   scores [max n·P over segments]
final class Scratch {
    private let storage: UnsafeMutableBufferPointer<Float>
    let x, xb, q, att, k, v, gate, up, scores: UnsafeMutablePointer<Float>

    init(rows R: Int, dim D: Int, kvDim KV: Int, ffnDim F: Int, scores scoreCount: Int) {
        let sizes = [R * D, R * D, R * D, R * D, R * KV, R * KV, R * F, R * F, max(scoreCount, 1)]
        storage = .allocate(capacity: sizes.reduce(0, +))
        storage.initialize(repeating: 0)
        var p = storage.baseAddress!
        var ptrs: [UnsafeMutablePointer<Float>] = []
        for n in sizes { ptrs.append(p); p += n }
        (x, xb, q, att, k, v, gate, up, scores) = (ptrs[0], ptrs[1], ptrs[2], ptrs[3], ptrs[4], ptrs[5], ptrs[6], ptrs[7], ptrs[8])
    }

    deinit { storage.deallocate() }
}
