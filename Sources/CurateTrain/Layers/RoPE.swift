import CurateModel

/// Rotary position embedding, rotating adjacent pairs (x[2i], x[2i+1]) of every head by
/// position·θᵢ — llama.cpp's "normal" mode, which is what GGUF's permuted q/k rows expect.
///
///     forward  (a, b) → (a·cos − b·sin,  a·sin + b·cos)
///     backward (da, db) → (da·cos + db·sin, −da·sin + db·cos)     (the inverse rotation)
enum RoPE {
    /// x [R, stride] holds `heads` heads of `headDim` per row, rotated in place; positions [R].
    static func forward(_ x: UnsafeMutablePointer<Float>, stride: Int, positions: UnsafePointer<Int32>, rows: Int,
                        heads: Int, headDim: Int, table: RoPETable) {
        rotate(x, stride: stride, positions: positions, rows: rows, heads: heads, headDim: headDim, table: table, inverse: false)
    }

    /// dx [R, stride]: the gradient with respect to the rotated values, turned into the
    /// gradient with respect to the values before rotation, in place.
    static func backward(_ dx: UnsafeMutablePointer<Float>, stride: Int, positions: UnsafePointer<Int32>, rows: Int,
                         heads: Int, headDim: Int, table: RoPETable) {
        rotate(dx, stride: stride, positions: positions, rows: rows, heads: heads, headDim: headDim, table: table, inverse: true)
    }

    private static func rotate(_ x: UnsafeMutablePointer<Float>, stride: Int, positions: UnsafePointer<Int32>, rows: Int,
                               heads: Int, headDim: Int, table: RoPETable, inverse: Bool) {
        let half = headDim / 2
        let sign: Float = inverse ? -1 : 1
        Parallel.chunks(rows, grain: 64) { range in
            for r in range {
                let cs = table.cos(Int(positions[r])), sn = table.sin(Int(positions[r]))
                for h in 0 ..< heads {
                    let v = x + r * stride + h * headDim
                    for i in 0 ..< half {
                        let (a, b, s) = (v[2 * i], v[2 * i + 1], sign * sn[i])
                        v[2 * i] = a * cs[i] - b * s
                        v[2 * i + 1] = a * s + b * cs[i]
                    }
                }
            }
        }
    }
}
