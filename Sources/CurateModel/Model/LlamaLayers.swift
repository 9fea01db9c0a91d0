import Foundation

/// The element-wise layers of the llama forward pass, one function each, on row-major [R, N]
/// buffers. The matmuls live in `LlamaModel`; everything here is O(R·N).
enum LlamaLayers {
    /// out[r] = x[r] / sqrt(mean(x[r]²) + eps) ⊙ weight, for R rows of width N (HF LlamaRMSNorm,
    /// fp32 throughout).
    static func rmsNorm(_ out: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
                        rows: Int, width n: Int, eps: Float) {
        for r in 0 ..< rows {
            let xr = x + r * n, o = out + r * n
            var ss: Float = 0
            for i in 0 ..< n { ss += xr[i] * xr[i] }
            let scale = 1 / (ss / Float(n) + eps).squareRoot()
            for i in 0 ..< n { o[i] = weight[i] * (xr[i] * scale) }
        }
    }

    /// Rotates adjacent pairs (x[2i], x[2i+1]) of every head by angle position·θᵢ, in place.
    /// `x` is [R, heads·headDim] with row stride `stride`; `rope` holds cos/sin per position.
    static func rope(_ x: UnsafeMutablePointer<Float>, stride: Int, positions: [Int], heads: Int, headDim: Int, table: RoPETable) {
        let half = headDim / 2
        for (r, pos) in positions.enumerated() {
            let cs = table.cos(pos), sn = table.sin(pos)
            for h in 0 ..< heads {
                let v = x + r * stride + h * headDim
                for i in 0 ..< half {
                    let (a, b) = (v[2 * i], v[2 * i + 1])
                    v[2 * i] = a * cs[i] - b * sn[i]
                    v[2 * i + 1] = a * sn[i] + b * cs[i]
                }
            }
        }
    }

    /// gate ← silu(gate) ⊙ up, over `count` elements (SwiGLU).
    static func swiglu(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        for i in 0 ..< count {
            let g = gate[i]
            gate[i] = g / (1 + expf(-g)) * up[i]
        }
    }

    /// x ← x + y.
    static func add(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>, count: Int) {
        for i in 0 ..< count { x[i] += y[i] }
    }

    /// Softmax over the first `valid` entries of a row, zeroing the `count - valid` after them
    /// (the causal mask).
    static func maskedSoftmax(_ row: UnsafeMutablePointer<Float>, valid: Int, count: Int) {
        var m = -Float.infinity
        for j in 0 ..< valid { m = max(m, row[j]) }
        var sum: Float = 0
        for j in 0 ..< valid {
            row[j] = expf(row[j] - m)
            sum += row[j]
        }
        let inv = 1 / sum
        for j in 0 ..< valid { row[j] *= inv }
        for j in valid ..< count { row[j] = 0 }
    }
}

/// cos/sin of position·θᵢ with θᵢ = base^(-2i/headDim), computed like HF's LlamaRotaryEmbedding
/// (fp32 inverse frequencies and fp32 angles) for every position below `positions`.
public final class RoPETable: @unchecked Sendable {
    public let half: Int
    public let positions: Int
    /// [positions, half] each.
    private let cosines: UnsafeMutableBufferPointer<Float>
    private let sines: UnsafeMutableBufferPointer<Float>

    public init(headDim: Int, base: Float, positions: Int) {
        half = headDim / 2
        self.positions = positions
        cosines = .allocate(capacity: positions * half)
        sines = .allocate(capacity: positions * half)
        let inv = (0 ..< half).map { i in 1 / powf(base, Float(2 * i) / Float(headDim)) }
        for p in 0 ..< positions {
            for i in 0 ..< half {
                let angle = Float(p) * inv[i]
                cosines[p * half + i] = cosf(angle)
                sines[p * half + i] = sinf(angle)
            }
        }
    }

    deinit {
        cosines.deallocate()
        sines.deallocate()
    }

    @inline(__always) public func cos(_ p: Int) -> UnsafePointer<Float> { UnsafePointer(cosines.baseAddress! + p * half) }
    @inline(__always) public func sin(_ p: Int) -> UnsafePointer<Float> { UnsafePointer(sines.baseAddress! + p * half) }
}
