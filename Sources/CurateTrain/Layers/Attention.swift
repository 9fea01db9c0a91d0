import CurateModel
import Foundation

/// Causal grouped-query self-attention over packed sequences.
///
/// Rows of several sequences lie back to back (no padding); each sequence attends only to its
/// own rows, positions 0 ..< T. Head h reads kv head g = h / (heads / kvHeads). Per sequence
/// and head, with scale = 1/√hd:
///
///     S [T, T] = scale · q_h [T, hd] · k_gᵀ,   P = causal softmax(S),   out_h [T, hd] = P · v_g
///
/// P is not kept: the backward pass recomputes it from q and k (two small sgemms per head),
/// which costs a few percent of a step and saves heads·T² floats per sequence and layer.
struct Attention {
    let heads: Int
    let kvHeads: Int
    let headDim: Int
    let blas: BLAS

    var dim: Int { heads * headDim }
    var kvDim: Int { kvHeads * headDim }
    var scale: Float { 1 / Float(headDim).squareRoot() }

    /// q [R, D], k/v [R, KV] (after RoPE) → out [R, D]. `scores` holds maxT² floats.
    func forward(_ out: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                 sequences: [Range<Int>], scores: UnsafeMutablePointer<Float>) {
        let (D, KV, hd) = (dim, kvDim, headDim)
        for seq in sequences {
            let (r0, T) = (seq.lowerBound, seq.count)
            for h in 0 ..< heads {
                let g = h / (heads / kvHeads)
                probabilities(scores, q: q + r0 * D + h * hd, k: k + r0 * KV + g * hd, T: T)
                blas.sgemm(m: T, n: hd, k: T, a: scores, lda: T, b: v + r0 * KV + g * hd, ldb: KV,
                           c: out + r0 * D + h * hd, ldc: D)
            }
        }
    }

    /// With Z = q·kᵀ, S = scale·Z, P = softmax(S) and dO the gradient of out_h:
    ///
    ///     dv_g += Pᵀ · dO        dP = dO · v_gᵀ        dS = P ⊙ (dP − rowsum(P ⊙ dP))
    ///     dq_h  = scale · dS · k_g                      dk_g += scale · dSᵀ · q_h
    ///
    /// dOut [R, D] → dq [R, D] (overwritten), dk/dv [R, KV] (overwritten). `scores` and
    /// `dScores` hold maxT² floats each.
    func backward(dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>,
                  dOut: UnsafePointer<Float>, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                  sequences: [Range<Int>], scores: UnsafeMutablePointer<Float>, dScores: UnsafeMutablePointer<Float>) {
        let (D, KV, hd) = (dim, kvDim, headDim)
        for seq in sequences {
            let (r0, T) = (seq.lowerBound, seq.count)
            (dk + r0 * KV).initialize(repeating: 0, count: T * KV)
            (dv + r0 * KV).initialize(repeating: 0, count: T * KV)
            for h in 0 ..< heads {
                let g = h / (heads / kvHeads)
                let (qh, kg, vg, dOh) = (q + r0 * D + h * hd, k + r0 * KV + g * hd, v + r0 * KV + g * hd, dOut + r0 * D + h * hd)
                probabilities(scores, q: qh, k: kg, T: T)
                blas.sgemm(transA: true, m: T, n: hd, k: T, a: scores, lda: T, b: dOh, ldb: D, beta: 1, c: dv + r0 * KV + g * hd, ldc: KV)
                blas.sgemm(transB: true, m: T, n: T, k: hd, a: dOh, lda: D, b: vg, ldb: KV, c: dScores, ldc: T)
                Parallel.chunks(T, grain: 16) { rows in
                    for i in rows {
                        let p = scores + i * T, d = dScores + i * T
                        var dot: Float = 0
                        for j in 0 ... i { dot += p[j] * d[j] }
                        for j in 0 ... i { d[j] = p[j] * (d[j] - dot) }
                        for j in (i + 1) ..< T { d[j] = 0 }
                    }
                }
                blas.sgemm(m: T, n: hd, k: T, alpha: scale, a: dScores, lda: T, b: kg, ldb: KV, c: dq + r0 * D + h * hd, ldc: D)
                blas.sgemm(transA: true, m: T, n: hd, k: T, alpha: scale, a: dScores, lda: T, b: qh, ldb: D, beta: 1,
                           c: dk + r0 * KV + g * hd, ldc: KV)
            }
        }
    }

    /// scores [T, T] ← causal softmax(scale · q_h · k_gᵀ); entries above the diagonal are 0.
    private func probabilities(_ scores: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>, k: UnsafePointer<Float>, T: Int) {
        blas.sgemm(transB: true, m: T, n: T, k: headDim, alpha: scale, a: q, lda: dim, b: k, ldb: kvDim, c: scores, ldc: T)
        Parallel.chunks(T, grain: 16) { rows in
            for i in rows {
                let row = scores + i * T
                var m = -Float.infinity
                for j in 0 ... i { m = max(m, row[j]) }
                var sum: Float = 0
                for j in 0 ... i {
                    row[j] = expf(row[j] - m)
                    sum += row[j]
                }
                let inv = 1 / sum
                for j in 0 ... i { row[j] *= inv }
                for j in (i + 1) ..< T { row[j] = 0 }
            }
        }
    }
}
