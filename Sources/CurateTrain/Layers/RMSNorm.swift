import Foundation

/// RMSNorm as HF's LlamaRMSNorm computes it, in fp32:
///
///     out[r] = x[r] · rstd[r] ⊙ w,    rstd[r] = 1 / sqrt(mean(x[r]²) + eps)
enum RMSNorm {
    /// x, out [R, D]   w [D]   rstd [R] (kept for the backward pass)
    static func forward(_ out: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>,
                        weight w: UnsafePointer<Float>, rows: Int, width D: Int, eps: Float) {
        Parallel.chunks(rows, grain: 32) { range in
            for r in range {
                let xr = x + r * D, o = out + r * D
                var ss: Float = 0
                for i in 0 ..< D { ss += xr[i] * xr[i] }
                let s = 1 / (ss / Float(D) + eps).squareRoot()
                rstd[r] = s
                for i in 0 ..< D { o[i] = w[i] * (xr[i] * s) }
            }
        }
    }

    /// Recomputes the forward output from the saved rstd (cheaper to redo than to keep).
    static func recompute(_ out: UnsafeMutablePointer<Float>, rstd: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
                          weight w: UnsafePointer<Float>, rows: Int, width D: Int) {
        Parallel.chunks(rows, grain: 64) { range in
            for r in range {
                let xr = x + r * D, o = out + r * D, s = rstd[r]
                for i in 0 ..< D { o[i] = w[i] * (xr[i] * s) }
            }
        }
    }

    /// With x̂ = x·rstd and g = dout ⊙ w:
    ///
    ///     dx[r] += rstd[r] · (g − x̂ · mean(g ⊙ x̂))      dw += Σ_r dout[r] ⊙ x̂[r]
    ///
    /// dout, x, dx [R, D]   rstd [R]   w, dw [D]; dw is nil when the weight is frozen.
    static func backward(dx: UnsafeMutablePointer<Float>, dWeight dw: UnsafeMutablePointer<Float>?, dout: UnsafePointer<Float>,
                         _ x: UnsafePointer<Float>, rstd: UnsafePointer<Float>, weight w: UnsafePointer<Float>, rows: Int, width D: Int) {
        Parallel.chunks(rows, grain: 32) { range in
            for r in range {
                let xr = x + r * D, g = dout + r * D, d = dx + r * D, s = rstd[r]
                var dot: Float = 0
                for i in 0 ..< D { dot += g[i] * w[i] * xr[i] * s }
                let mean = dot / Float(D)
                for i in 0 ..< D { d[i] += s * (g[i] * w[i] - xr[i] * s * mean) }
            }
        }
        guard let dw else { return }
        Parallel.sumRows(rows, width: D, grain: 64, into: dw) { range, partial in
            for r in range {
                let xr = x + r * D, g = dout + r * D, s = rstd[r]
                for i in 0 ..< D { partial[i] += g[i] * xr[i] * s }
            }
        }
    }
}
