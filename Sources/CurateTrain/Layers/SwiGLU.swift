import Foundation

/// The llama feed-forward gate: h = silu(g) ⊙ u, silu(g) = g·σ(g).
enum SwiGLU {
    /// gate, up, h [N] (N = R·F)
    static func forward(_ h: UnsafeMutablePointer<Float>, gate: UnsafePointer<Float>, up: UnsafePointer<Float>, count: Int) {
        Parallel.chunks(count, grain: 1 << 15) { range in
            for i in range {
                let g = gate[i]
                h[i] = g / (1 + expf(-g)) * up[i]
            }
        }
    }

    /// With s = σ(g):  du = dh · g·s,   dg = dh · u · s·(1 + g·(1 − s)).
    /// dGate and dUp may not alias dh. All [N].
    static func backward(dGate: UnsafeMutablePointer<Float>, dUp: UnsafeMutablePointer<Float>, dh: UnsafePointer<Float>,
                         gate: UnsafePointer<Float>, up: UnsafePointer<Float>, count: Int) {
        Parallel.chunks(count, grain: 1 << 15) { range in
            for i in range {
                let g = gate[i]
                let s = 1 / (1 + expf(-g))
                dUp[i] = dh[i] * g * s
                dGate[i] = dh[i] * up[i] * s * (1 + g * (1 - s))
            }
        }
    }
}
