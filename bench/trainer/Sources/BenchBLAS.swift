import CurateModel
import Foundation

/// curate-train-bench sgemm: GFLOP/s of cblas_sgemm/sgemv at SmolLM2's shapes, through the same
/// BLAS loader the model uses. Compare kernel families by running it under different
/// OPENBLAS_CORETYPE values (bench/trainer/bench_blas.sh does).
func benchSGEMM() throws {
    let blas = try BLAS.shared.get()
    print("OpenBLAS core: \(blas.coreName) (\(blas.choice))")
    // (m, n, k): prefill of 128 tokens through q/o (576×576), up/gate (1536×576), lm head.
    let shapes = [(128, 576, 576), (128, 1536, 576), (128, 576, 1536), (128, 49152, 576), (1024, 1024, 1024)]
    for (m, n, k) in shapes {
        let a = [Float](repeating: 0.5, count: m * k), b = [Float](repeating: 0.25, count: n * k)
        var c = [Float](repeating: 0, count: m * n)
        let flops = 2.0 * Double(m * n * k)
        let reps = max(3, Int(2e10 / flops))
        blas.sgemm(transB: true, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: k, c: &c, ldc: n) // warm-up
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0 ..< reps { blas.sgemm(transB: true, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: k, c: &c, ldc: n) }
        let s = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        print(String(format: "sgemm m=%5d n=%5d k=%5d  %7.1f GFLOP/s", m, n, k, flops * Double(reps) / s / 1e9))
    }
    // Decode: one token through the lm head (49152×576) and an up projection (1536×576).
    for (m, n) in [(49152, 576), (1536, 576)] {
        let a = [Float](repeating: 0.5, count: m * n), x = [Float](repeating: 1, count: n)
        var y = [Float](repeating: 0, count: m)
        let reps = max(3, Int(4e9 / Double(2 * m * n)))
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0 ..< reps { blas.sgemv(m: m, n: n, a: a, lda: n, x: x, y: &y) }
        let s = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        print(String(format: "sgemv m=%5d n=%5d          %7.1f GFLOP/s", m, n, 2.0 * Double(m * n * reps) / s / 1e9))
    }
}
