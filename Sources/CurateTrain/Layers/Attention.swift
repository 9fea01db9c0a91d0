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
///
/// Causality is used, not just masked: rows go in blocks of `block`, and a block of rows
/// ending at row i only multiplies against keys 0 ..< i. That skips about half of every
/// attention product (the upper triangle), against a few more, smaller sgemm calls.
struct Attention {
    let heads: Int
    let kvHeads: Int
    let headDim: Int
    let blas: BLAS

    var dim: Int { heads * headDim }
    var kvDim: Int { kvHeads * headDim }
    var scale: Float { 1 / Float(headDim).squareRoot() }
    /// Query rows per block of the causal products.
    static let block = 64

    /// Blocks of rows [r0, r1) of a sequence of length T, and how many keys each sees (r1).
    static func blocks(_ T: Int) -> [Range<Int>] {
        stride(from: 0, to: T, by: block).map { $0 ..< min(T, $0 + block) }
    }

    /// q [R, D], k/v [R, KV] (after RoPE) → out [R, D]. `scores` holds maxT² floats.
    func forward(_ out: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                 sequences: [Range<Int>], scores: UnsafeMutablePointer<Float>) {
        let (D, KV, hd) = (dim, kvDim, headDim)
        for seq in sequences {
            let (r0, T) = (seq.lowerBound, seq.count)
            for h in 0 ..< heads {
                let g = h / (heads / kvHeads)
                probabilities(scores, q: q + r0 * D + h * hd, k: k + r0 * KV + g * hd, T: T)
                for rows in Self.blocks(T) {
                    // out[rows] = P[rows, 0 ..< rows.upperBound] · v[0 ..< rows.upperBound]
                    blas.sgemm(m: rows.count, n: hd, k: rows.upperBound, a: scores + rows.lowerBound * T, lda: T,
                               b: v + r0 * KV + g * hd, ldb: KV, c: out + (r0 + rows.lowerBound) * D + h * hd, ldc: D)
                }
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
                for rows in Self.blocks(T) {
                    let (n, keys) = (rows.count, rows.upperBound)
                    let p = scores + rows.lowerBound * T, d = dScores + rows.lowerBound * T
                    let dOb = dOh + rows.lowerBound * D, qb = qh + rows.lowerBound * D
                    // dv[0 ..< keys] += P[rows, 0 ..< keys]ᵀ · dO[rows];  dP[rows, 0 ..< keys] = dO[rows] · vᵀ
                    blas.sgemm(transA: true, m: keys, n: hd, k: n, a: p, lda: T, b: dOb, ldb: D, beta: 1, c: dv + r0 * KV + g * hd, ldc: KV)
                    blas.sgemm(transB: true, m: n, n: keys, k: hd, a: dOb, lda: D, b: vg, ldb: KV, c: d, ldc: T)
                    Parallel.chunks(n, grain: 16) { chunk in
                        for r in chunk {
                            let i = rows.lowerBound + r, pr = p + r * T, dr = d + r * T
                            var dot: Float = 0
                            for j in 0 ... i { dot += pr[j] * dr[j] }
                            for j in 0 ... i { dr[j] = pr[j] * (dr[j] - dot) }
                            for j in (i + 1) ..< keys { dr[j] = 0 }
                        }
                    }
                    // dq[rows] = scale · dS · k[0 ..< keys];  dk[0 ..< keys] += scale · dSᵀ · q[rows]
                    blas.sgemm(m: n, n: hd, k: keys, alpha: scale, a: d, lda: T, b: kg, ldb: KV, c: dq + (r0 + rows.lowerBound) * D + h * hd, ldc: D)
                    blas.sgemm(transA: true, m: keys, n: hd, k: n, alpha: scale, a: d, lda: T, b: qb, ldb: D, beta: 1,
                               c: dk + r0 * KV + g * hd, ldc: KV)
                }
            }
        }
    }

    /// scores [T, T] ← causal softmax(scale · q_h · k_gᵀ), block by block: row i holds its
    /// probabilities in columns 0 ... i and zeros up to the end of its block; columns past
    /// the block are never read.
    private func probabilities(_ scores: UnsafeMutablePointer<Float>, q: UnsafePointer<Float>, k: UnsafePointer<Float>, T: Int) {
        for rows in Self.blocks(T) {
            blas.sgemm(transB: true, m: rows.count, n: rows.upperBound, k: headDim, alpha: scale, a: q + rows.lowerBound * dim, lda: dim,
                       b: k, ldb: kvDim, c: scores + rows.lowerBound * T, ldc: T)
        }
        Parallel.chunks(T, grain: 16) { chunk in
            for i in chunk {
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
                let end = min(T, (i / Self.block + 1) * Self.block)
                for j in (i + 1) ..< end { row[j] = 0 }
            }
        }
    }
}
