import CurateModel
import Foundation

/// The output head and the loss together: logits = x · Wᵀ (W [V, D], the tied embedding),
/// cross-entropy against the next token, on the rows that have a target only.
///
/// Only assistant tokens carry loss, so only their rows need logits: for a summary of 40
/// tokens after a 220-token prompt that skips 85% of the largest matmul. Rows go through in
/// chunks of `chunkRows`, so the [chunk, V] logits buffer is all the vocabulary-wide memory a
/// step needs.
struct CrossEntropyHead {
    let blas: BLAS
    let vocabulary: Int
    let width: Int
    static let chunkRows = 128

    /// Scratch for one chunk: gathered inputs [C, D], logits [C, V], input gradients [C, D].
    final class Scratch {
        let x, logits, dx: UnsafeMutablePointer<Float>
        init(vocabulary V: Int, width D: Int) {
            let C = CrossEntropyHead.chunkRows
            x = .allocate(capacity: C * D)
            logits = .allocate(capacity: C * V)
            dx = .allocate(capacity: C * D)
        }
        deinit { x.deallocate(); logits.deallocate(); dx.deallocate() }
    }

    /// Returns each target's loss −log p(label) (in target order). With `dx`, also writes
    /// dx[row] = lossScale · (p − onehot(label)) · W for target rows (other rows untouched),
    /// and with `dWeight`, dW += lossScale · (p − onehot)ᵀ · x.
    ///
    /// x [R, D] (the final-normed hidden states)   W, dW [V, D]   dx [R, D]
    func run(x: UnsafePointer<Float>, weight w: UnsafePointer<Float>, targets: [LossTarget], lossScale: Float,
             dx: UnsafeMutablePointer<Float>?, dWeight: UnsafeMutablePointer<Float>?, scratch s: Scratch) -> [Float] {
        let (V, D) = (vocabulary, width)
        var losses = [Float](repeating: 0, count: targets.count)
        for start in stride(from: 0, to: targets.count, by: Self.chunkRows) {
            let chunk = targets[start ..< min(start + Self.chunkRows, targets.count)]
            let C = chunk.count
            for (i, t) in chunk.enumerated() { (s.x + i * D).update(from: x + t.row * D, count: D) }
            blas.sgemm(transB: true, m: C, n: V, k: D, a: s.x, lda: D, b: w, ldb: D, c: s.logits, ldc: V)
            losses.withUnsafeMutableBufferPointer { out in
                Parallel.chunks(C, grain: 8) { rows in
                    for i in rows {
                        let row = s.logits + i * V, label = Int(chunk[chunk.startIndex + i].label)
                        var m = -Float.infinity
                        for j in 0 ..< V { m = max(m, row[j]) }
                        var sum: Float = 0
                        for j in 0 ..< V { sum += expf(row[j] - m) }
                        let logSum = m + logf(sum)
                        out[start + i] = logSum - row[label]
                        guard dx != nil || dWeight != nil else { continue }
                        // row ← lossScale · (softmax − onehot): the gradient of the logits.
                        for j in 0 ..< V { row[j] = expf(row[j] - logSum) * lossScale }
                        row[label] -= lossScale
                    }
                }
            }
            if let dx {
                blas.sgemm(m: C, n: D, k: V, a: s.logits, lda: V, b: w, ldb: D, c: s.dx, ldc: D)
                for (i, t) in chunk.enumerated() { (dx + t.row * D).update(from: s.dx + i * D, count: D) }
            }
            if let dWeight {
                blas.sgemm(transA: true, m: V, n: D, k: C, a: s.logits, lda: V, b: s.x, ldb: D, beta: 1, c: dWeight, ldc: D)
            }
        }
        return losses
    }
}
