/// Token embedding: x[r] = E[token[r]], E [V, D]. In llama models with a tied head the same
/// matrix is also the output projection (see `CrossEntropyHead`).
enum Embedding {
    /// x [R, D] ← rows of E for tokens [R]
    static func forward(_ x: UnsafeMutablePointer<Float>, tokens: UnsafePointer<Int32>, table e: UnsafePointer<Float>, rows: Int, width D: Int) {
        Parallel.chunks(rows, grain: 256) { range in
            for r in range { (x + r * D).update(from: e + Int(tokens[r]) * D, count: D) }
        }
    }

    /// dE[token[r]] += dx[r], row by row in order (a token can repeat, so rows are not split
    /// across threads: the sum order stays fixed).
    static func backward(dTable: UnsafeMutablePointer<Float>, dx: UnsafePointer<Float>, tokens: UnsafePointer<Int32>, rows: Int, width D: Int) {
        for r in 0 ..< rows {
            let d = dTable + Int(tokens[r]) * D, g = dx + r * D
            for i in 0 ..< D { d[i] += g[i] }
        }
    }
}
