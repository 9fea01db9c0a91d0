import CurateCore
import CurateModel

/// The low-rank update added to a frozen linear layer, as PEFT computes it:
///
///     y += scale · (drop(x) · Aᵀ) · Bᵀ        A [r, in], B [out, r], drop = inverted dropout
///
/// u = drop(x)·Aᵀ [R, r] is kept for the backward pass; the dropped input is not (it is
/// rebuilt from x and the kept mask).
struct LoRA {
    let blas: BLAS
    let rank: Int
    let inputs: Int
    let outputs: Int
    let scale: Float

    /// y [R, out] += scale · u · Bᵀ with u [R, r] = xd · Aᵀ (saved); xd [R, in] is scratch
    /// that receives drop(x) when `dropout` is given, else x is used as it is.
    func forward(_ y: UnsafeMutablePointer<Float>, u: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>,
                 a: UnsafePointer<Float>, b: UnsafePointer<Float>, dropout: Dropout?, xd: UnsafeMutablePointer<Float>, rows: Int) {
        let input = dropped(x, dropout, into: xd, count: rows * inputs)
        blas.sgemm(transB: true, m: rows, n: rank, k: inputs, a: input, lda: inputs, b: a, ldb: inputs, c: u, ldc: rank)
        blas.sgemm(transB: true, m: rows, n: outputs, k: rank, alpha: scale, a: u, lda: rank, b: b, ldb: rank, beta: 1, c: y, ldc: outputs)
    }

    /// Given dy [R, out]:
    ///
    ///     dB += scale · dyᵀ · u      du = scale · dy · B  [R, r]
    ///     dA += duᵀ · xd             dx += drop'(du · A)   (skipped when dx is nil)
    ///
    /// `du` [R, r] and `xd` [R, in] are scratch; `tmp` [R, in] too when there is dropout.
    func backward(dx: UnsafeMutablePointer<Float>?, dA: UnsafeMutablePointer<Float>, dB: UnsafeMutablePointer<Float>,
                  dy: UnsafePointer<Float>, u: UnsafePointer<Float>, x: UnsafePointer<Float>, a: UnsafePointer<Float>,
                  b: UnsafePointer<Float>, dropout: Dropout?, du: UnsafeMutablePointer<Float>, xd: UnsafeMutablePointer<Float>,
                  tmp: UnsafeMutablePointer<Float>, rows: Int) {
        blas.sgemm(transA: true, m: outputs, n: rank, k: rows, alpha: scale, a: dy, lda: outputs, b: u, ldb: rank, beta: 1, c: dB, ldc: rank)
        blas.sgemm(m: rows, n: rank, k: outputs, alpha: scale, a: dy, lda: outputs, b: b, ldb: rank, c: du, ldc: rank)
        let input = dropped(x, dropout, into: xd, count: rows * inputs)
        blas.sgemm(transA: true, m: rank, n: inputs, k: rows, a: du, lda: rank, b: input, ldb: inputs, beta: 1, c: dA, ldc: inputs)
        guard let dx else { return }
        guard let dropout else {
            blas.sgemm(m: rows, n: inputs, k: rank, a: du, lda: rank, b: a, ldb: inputs, beta: 1, c: dx, ldc: inputs)
            return
        }
        blas.sgemm(m: rows, n: inputs, k: rank, a: du, lda: rank, b: a, ldb: inputs, c: tmp, ldc: inputs)
        dropout.accumulate(into: dx, tmp, count: rows * inputs)
    }

    private func dropped(_ x: UnsafePointer<Float>, _ dropout: Dropout?, into xd: UnsafeMutablePointer<Float>, count: Int) -> UnsafePointer<Float> {
        guard let dropout else { return x }
        dropout.apply(xd, x, count: count)
        return UnsafePointer(xd)
    }
}

/// Inverted dropout with a kept mask: element i survives with probability 1 − p and is then
/// scaled by 1/(1 − p). The mask (one byte per element) is drawn once in the forward pass
/// from a seeded stream per (step, micro-batch, layer, module) and reused by the backward pass.
///
/// Each element draws 16 random bits and is dropped when they fall below round(p·65536), so
/// the drop rate is p to within 1/65536 (0.05 → 0.050003).
struct Dropout {
    let mask: UnsafeMutablePointer<UInt8>
    let keepScale: Float

    init(mask: UnsafeMutablePointer<UInt8>, probability p: Float) {
        self.mask = mask
        keepScale = 1 / (1 - p)
    }

    /// Fills the mask for `rows` rows of `width`; rows draw from their own streams so the
    /// work splits over threads with the same result.
    static func draw(_ mask: UnsafeMutablePointer<UInt8>, probability p: Float, key: UInt64, rows: Int, width: Int) {
        let threshold = UInt64((p * 65536).rounded())
        Parallel.chunks(rows, grain: 64) { range in
            for r in range {
                var rng = SeededRandom(seed: key &+ UInt64(r) &* 0xD1B5_4A32_D192_ED03)
                let row = mask + r * width
                var i = 0
                while i < width {
                    var bits = rng.next()
                    for _ in 0 ..< 4 where i < width {
                        row[i] = (bits & 0xFFFF) >= threshold ? 1 : 0
                        bits >>= 16
                        i += 1
                    }
                }
            }
        }
    }

    /// out = x ⊙ mask / (1 − p)   (the mask is 0 or 1: a multiply, which vectorizes)
    func apply(_ out: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, count: Int) {
        let (mask, s) = (mask, keepScale)
        Parallel.chunks(count, grain: 1 << 15) { range in
            for i in range { out[i] = x[i] * (Float(mask[i]) * s) }
        }
    }

    /// dx += g ⊙ mask / (1 − p)
    func accumulate(into dx: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, count: Int) {
        let (mask, s) = (mask, keepScale)
        Parallel.chunks(count, grain: 1 << 15) { range in
            for i in range { dx[i] += g[i] * (Float(mask[i]) * s) }
        }
    }
}
