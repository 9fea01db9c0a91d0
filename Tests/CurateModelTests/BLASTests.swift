import CurateCore
import XCTest
@testable import CurateModel

final class BLASTests: XCTestCase {
    func testSgemmAndSgemvMatchNaiveProducts() throws {
        let blas = try BLAS.shared.get()
        let (m, n, k) = (5, 7, 3)
        var rng = SeededRandom(seed: 1)
        let a = (0 ..< m * k).map { _ in Float(rng.nextDouble() - 0.5) }
        let b = (0 ..< n * k).map { _ in Float(rng.nextDouble() - 0.5) } // stored n×k, used transposed
        var c = [Float](repeating: 0, count: m * n)
        blas.sgemm(transB: true, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: k, c: &c, ldc: n)
        for i in 0 ..< m {
            for j in 0 ..< n {
                let want = (0 ..< k).reduce(Float(0)) { $0 + a[i * k + $1] * b[j * k + $1] }
                XCTAssertEqual(c[i * n + j], want, accuracy: 1e-5)
            }
        }
        var y = [Float](repeating: 0, count: n)
        blas.sgemv(m: n, n: k, a: b, lda: k, x: Array(a[0 ..< k]), y: &y)
        for j in 0 ..< n { XCTAssertEqual(y[j], c[j], accuracy: 1e-5) }
    }

    func testCoreTypeIsReported() throws {
        let blas = try BLAS.shared.get()
        XCTAssertFalse(blas.coreName.isEmpty)
        XCTAssertNotEqual(blas.coreName, "unknown")
        if case .selected = blas.choice {
            XCTAssertEqual(blas.coreName.lowercased(), BLAS.avx512CoreType.lowercased())
        }
        print("OpenBLAS core: \(blas.coreName) (\(blas.choice))")
    }

    func testCoreTypePolicy() {
        XCTAssertEqual(BLAS.coreType(userValue: "Haswell", avx512f: true), .user("Haswell"))
        XCTAssertEqual(BLAS.coreType(userValue: nil, avx512f: true), .selected("SkylakeX"))
        XCTAssertEqual(BLAS.coreType(userValue: "", avx512f: true), .selected("SkylakeX"))
        XCTAssertEqual(BLAS.coreType(userValue: nil, avx512f: false), .autodetected)
    }

    func testCPUFlagsParse() {
        let f = CPUFeatures(cpuinfo: "processor\t: 0\nflags\t\t: fpu sse avx512f avx2\nbugs\t: x\n")
        XCTAssertTrue(f.avx512f)
        XCTAssertFalse(CPUFeatures(cpuinfo: "flags\t: fpu avx512fx\n").avx512f)
    }
}
