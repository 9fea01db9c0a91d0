import CurateModel

/// The training pass over one packed micro-batch: forward through every block, the loss on
/// the answer rows, and — when asked — the backward pass, accumulating into `gradients`.
/// Each step below is one layer function from Layers/; buffer shapes are in `Activations`.
extension TrainableLlama {
    /// Returns each target's loss (in `batch.targets` order). With `backward`, gradients of
    /// lossScale · Σ losses are added to `gradients`. `dropoutKey` seeds the LoRA dropout masks
    /// of this micro-batch; nil runs without dropout (evaluation).
    public func forwardBackward(_ batch: PackedBatch, lossScale: Float, backward: Bool, dropoutKey: UInt64?) -> [Float] {
        guard batch.rows > 0, !batch.targets.isEmpty else { return [] }
        let a = activations(rows: batch.rows, longest: batch.longest)
        let R = batch.rows
        return batch.tokens.withUnsafeBufferPointer { tokens in
            batch.positions.withUnsafeBufferPointer { positions in
                forward(batch, a, tokens.baseAddress!, positions.baseAddress!, dropoutKey: dropoutKey)
                let w = weights
                let dNorm: UnsafeMutablePointer<Float>? = backward ? a.dxb : nil
                dNorm?.initialize(repeating: 0, count: R * config.dim)
                let losses = head.run(x: a.xNorm, weight: w.pointer(w.output), targets: batch.targets, lossScale: lossScale,
                                      dx: dNorm, dWeight: backward ? baseGradient(w.output) : nil, scratch: headScratch)
                if backward { self.backward(batch, a, tokens.baseAddress!, positions.baseAddress!, dropoutKey: dropoutKey) }
                return losses
            }
        }
    }

    // MARK: forward

    private func forward(_ batch: PackedBatch, _ a: Activations, _ tokens: UnsafePointer<Int32>, _ positions: UnsafePointer<Int32>,
                         dropoutKey: UInt64?) {
        let (c, w, R) = (config, weights, batch.rows)
        // x [R, D] ← token embeddings
        Embedding.forward(a.layers[0].xIn, tokens: tokens, table: w.pointer(w.tokenEmbedding), rows: R, width: c.dim)
        for l in 0 ..< c.layers {
            let s = a.layers[l], lw = w.layers[l]
            let out = l + 1 < c.layers ? a.layers[l + 1].xIn : a.xOut
            // Attention block: xb = norm(xIn); q, k, v = projections, rotated; att = attention
            RMSNorm.forward(a.xb, rstd: s.rstd1, s.xIn, weight: w.pointer(lw.attnNorm), rows: R, width: c.dim, eps: c.rmsEpsilon)
            project(.q, layer: l, s.q, a.xb, a, rows: R, dropoutKey: dropoutKey)
            project(.k, layer: l, s.k, a.xb, a, rows: R, dropoutKey: dropoutKey)
            project(.v, layer: l, s.v, a.xb, a, rows: R, dropoutKey: dropoutKey)
            RoPE.forward(s.q, stride: c.dim, positions: positions, rows: R, heads: c.heads, headDim: c.headDim, table: rope)
            RoPE.forward(s.k, stride: c.kvDim, positions: positions, rows: R, heads: c.kvHeads, headDim: c.headDim, table: rope)
            attention.forward(s.att, q: s.q, k: s.k, v: s.v, sequences: batch.sequences, scores: a.scores)
            // xMid = xIn + att · Woᵀ
            project(.o, layer: l, s.xMid, s.att, a, rows: R, dropoutKey: dropoutKey)
            add(s.xMid, s.xIn, count: R * c.dim)
            // Feed-forward block: out = xMid + (silu(gate) ⊙ up) · Wdownᵀ, gate/up from norm(xMid)
            RMSNorm.forward(a.xb, rstd: s.rstd2, s.xMid, weight: w.pointer(lw.ffnNorm), rows: R, width: c.dim, eps: c.rmsEpsilon)
            project(.gate, layer: l, s.gate, a.xb, a, rows: R, dropoutKey: dropoutKey)
            project(.up, layer: l, s.up, a.xb, a, rows: R, dropoutKey: dropoutKey)
            SwiGLU.forward(a.h, gate: s.gate, up: s.up, count: R * c.ffnDim)
            project(.down, layer: l, out, a.h, a, rows: R, dropoutKey: dropoutKey)
            add(out, s.xMid, count: R * c.dim)
        }
        RMSNorm.forward(a.xNorm, rstd: a.rstdF, a.xOut, weight: w.pointer(w.outputNorm), rows: R, width: c.dim, eps: c.rmsEpsilon)
    }

    /// y = x · Wᵀ for module m of layer l, plus its LoRA update when m is a target.
    private func project(_ m: LinearModule, layer l: Int, _ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>,
                         _ a: Activations, rows: Int, dropoutKey: UInt64?) {
        let (n, o) = m.shape(config)
        Linear(blas: blas, inputs: n, outputs: o).forward(y, x, weight: weights.pointer(m.weightOffset(weights.layers[l])), rows: rows)
        guard let lora, let adapter = lora.adapters[l][m] else { return }
        let dropout = dropout(m, layer: l, a, rows: rows, key: dropoutKey, draw: true)
        LoRA(blas: blas, rank: lora.config.rank, inputs: n, outputs: o, scale: lora.config.scale)
            .forward(y, u: a.layers[l].u[m]!, x: x, a: lora.pointer(adapter.a), b: lora.pointer(adapter.b), dropout: dropout, xd: a.xd, rows: rows)
    }

    /// The dropout of module m's adapter input in layer l; the forward pass draws its mask.
    private func dropout(_ m: LinearModule, layer l: Int, _ a: Activations, rows: Int, key: UInt64?, draw: Bool) -> Dropout? {
        guard let key, let p = lora?.config.dropout, p > 0, let mask = a.layers[l].mask[m] else { return nil }
        if draw {
            let moduleKey = key ^ (UInt64(l) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(LinearModule.allCases.firstIndex(of: m)! + 1) &* 0xC2B2_AE3D_27D4_EB4F)
            Dropout.draw(mask, probability: p, key: moduleKey, rows: rows, width: m.shape(config).inputs)
        }
        return Dropout(mask: mask, probability: p)
    }

    // MARK: backward

    private func backward(_ batch: PackedBatch, _ a: Activations, _ tokens: UnsafePointer<Int32>, _ positions: UnsafePointer<Int32>,
                          dropoutKey: UInt64?) {
        let (c, w, R) = (config, weights, batch.rows)
        let full = method == .full
        // dx [R, D] = ∂L/∂xOut, from the head's gradient of the final norm (in a.dxb).
        a.dx.initialize(repeating: 0, count: R * c.dim)
        RMSNorm.backward(dx: a.dx, dWeight: baseGradient(w.outputNorm), dout: a.dxb, a.xOut, rstd: a.rstdF,
                         weight: w.pointer(w.outputNorm), rows: R, width: c.dim)
        for l in stride(from: c.layers - 1, through: 0, by: -1) {
            let s = a.layers[l], lw = w.layers[l]
            // Under LoRA nothing below layer 0's projections trains: skip their input gradients.
            let needsInput = full || l > 0
            // Feed-forward block. Recompute xb = norm(xMid) and h = silu(gate) ⊙ up.
            RMSNorm.recompute(a.xb, rstd: s.rstd2, s.xMid, weight: w.pointer(lw.ffnNorm), rows: R, width: c.dim)
            SwiGLU.forward(a.h, gate: s.gate, up: s.up, count: R * c.ffnDim)
            projectBackward(.down, layer: l, dInput: a.dh, accumulate: false, dy: a.dx, x: a.h, a, rows: R, dropoutKey: dropoutKey)
            SwiGLU.backward(dGate: a.dGate, dUp: a.dUp, dh: a.dh, gate: s.gate, up: s.up, count: R * c.ffnDim)
            projectBackward(.gate, layer: l, dInput: a.dxb, accumulate: false, dy: a.dGate, x: a.xb, a, rows: R, dropoutKey: dropoutKey)
            projectBackward(.up, layer: l, dInput: a.dxb, accumulate: true, dy: a.dUp, x: a.xb, a, rows: R, dropoutKey: dropoutKey)
            // dx += ∂norm: dx becomes ∂L/∂xMid (the residual carries the rest)
            RMSNorm.backward(dx: a.dx, dWeight: baseGradient(lw.ffnNorm), dout: a.dxb, s.xMid, rstd: s.rstd2,
                             weight: w.pointer(lw.ffnNorm), rows: R, width: c.dim)
            // Attention block.
            projectBackward(.o, layer: l, dInput: a.datt, accumulate: false, dy: a.dx, x: s.att, a, rows: R, dropoutKey: dropoutKey)
            attention.backward(dq: a.dq, dk: a.dk, dv: a.dv, dOut: a.datt, q: s.q, k: s.k, v: s.v, sequences: batch.sequences,
                               scores: a.scores, dScores: a.dScores)
            RoPE.backward(a.dq, stride: c.dim, positions: positions, rows: R, heads: c.heads, headDim: c.headDim, table: rope)
            RoPE.backward(a.dk, stride: c.kvDim, positions: positions, rows: R, heads: c.kvHeads, headDim: c.headDim, table: rope)
            RMSNorm.recompute(a.xb, rstd: s.rstd1, s.xIn, weight: w.pointer(lw.attnNorm), rows: R, width: c.dim)
            let dxb = needsInput ? a.dxb : nil
            projectBackward(.q, layer: l, dInput: dxb, accumulate: false, dy: a.dq, x: a.xb, a, rows: R, dropoutKey: dropoutKey)
            projectBackward(.k, layer: l, dInput: dxb, accumulate: true, dy: a.dk, x: a.xb, a, rows: R, dropoutKey: dropoutKey)
            projectBackward(.v, layer: l, dInput: dxb, accumulate: true, dy: a.dv, x: a.xb, a, rows: R, dropoutKey: dropoutKey)
            guard needsInput else { break }
            // dx += ∂norm: dx becomes ∂L/∂xIn, the gradient flowing into the block below
            RMSNorm.backward(dx: a.dx, dWeight: baseGradient(lw.attnNorm), dout: a.dxb, s.xIn, rstd: s.rstd1,
                             weight: w.pointer(lw.attnNorm), rows: R, width: c.dim)
        }
        if full {
            Embedding.backward(dTable: baseGradient(w.tokenEmbedding)!, dx: a.dx, tokens: tokens, rows: R, width: c.dim)
        }
    }

    /// Gradients of module m of layer l given dy: dInput (+)= dy·W (+ the adapter's share),
    /// dW += dyᵀ·x under full fine-tuning, dA and dB under LoRA. dInput nil skips the input gradient.
    private func projectBackward(_ m: LinearModule, layer l: Int, dInput: UnsafeMutablePointer<Float>?, accumulate: Bool,
                                 dy: UnsafePointer<Float>, x: UnsafePointer<Float>, _ a: Activations, rows: Int, dropoutKey: UInt64?) {
        let (n, o) = m.shape(config)
        let offset = m.weightOffset(weights.layers[l])
        let linear = Linear(blas: blas, inputs: n, outputs: o)
        if let dInput { linear.backwardInput(dInput, dy: dy, weight: weights.pointer(offset), rows: rows, accumulate: accumulate) }
        if let dW = baseGradient(offset) { linear.backwardWeight(dW, dy: dy, x: x, rows: rows) }
        guard let lora, let adapter = lora.adapters[l][m] else { return }
        let g = gradients.baseAddress!
        LoRA(blas: blas, rank: lora.config.rank, inputs: n, outputs: o, scale: lora.config.scale)
            .backward(dx: dInput, dA: g + adapter.a, dB: g + adapter.b, dy: dy, u: a.layers[l].u[m]!, x: x,
                      a: lora.pointer(adapter.a), b: lora.pointer(adapter.b),
                      dropout: dropout(m, layer: l, a, rows: rows, key: dropoutKey, draw: false),
                      du: a.du, xd: a.xd, tmp: a.tmp, rows: rows)
    }

    /// The gradient of the base tensor at `offset` — only under full fine-tuning.
    private func baseGradient(_ offset: Int) -> UnsafeMutablePointer<Float>? {
        method == .full ? gradients.baseAddress! + offset : nil
    }

    private func add(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>, count: Int) {
        Parallel.chunks(count, grain: 1 << 15) { range in
            for i in range { x[i] += y[i] }
        }
    }
}
