import CurateModel

/// A bias-free linear layer, y = x · Wᵀ, with W [out, in] row-major as GGUF stores it.
/// All three products are sgemms.
struct Linear {
    let blas: BLAS
    let inputs: Int
    let outputs: Int

    /// y [R, out] = x [R, in] · Wᵀ
    func forward(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, weight w: UnsafePointer<Float>, rows: Int) {
        blas.sgemm(transB: true, m: rows, n: outputs, k: inputs, a: x, lda: inputs, b: w, ldb: inputs, c: y, ldc: outputs)
    }

    /// dx [R, in] = dy [R, out] · W, added to dx when `accumulate`.
    func backwardInput(_ dx: UnsafeMutablePointer<Float>, dy: UnsafePointer<Float>, weight w: UnsafePointer<Float>,
                       rows: Int, accumulate: Bool) {
        blas.sgemm(m: rows, n: inputs, k: outputs, a: dy, lda: outputs, b: w, ldb: inputs,
                   beta: accumulate ? 1 : 0, c: dx, ldc: inputs)
    }

    /// dW [out, in] += dyᵀ · x
    func backwardWeight(_ dw: UnsafeMutablePointer<Float>, dy: UnsafePointer<Float>, x: UnsafePointer<Float>, rows: Int) {
        blas.sgemm(transA: true, m: outputs, n: inputs, k: rows, a: dy, lda: outputs, b: x, ldb: inputs,
                   beta: 1, c: dw, ldc: inputs)
    }
}
