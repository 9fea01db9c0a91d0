import CBLAS
import Glibc

/// OpenBLAS, loaded at run time so that its fast kernels can be chosen.
///
/// Debian's OpenBLAS 0.3.21 does not recognise recent AVX-512 Xeons and falls back to its
/// "Prescott" (SSE3) kernels, which run sgemm 5–10× slower than "SkylakeX". OpenBLAS reads
/// OPENBLAS_CORETYPE once, in a constructor that runs when the library is loaded; if curate
/// linked it, that would happen before `main` and no code of ours could set the variable in time.
/// So nothing links libopenblas (see Sources/CBLAS/module.modulemap): this type sets the
/// variable — only when the user has not and the CPU has AVX-512F — and then `dlopen`s the
/// library and resolves the few functions it needs.
public final class BLAS: @unchecked Sendable {
    /// How the kernel family was chosen.
    public enum CoreTypeChoice: Equatable, Sendable {
        /// OPENBLAS_CORETYPE was already set (by the user); left alone.
        case user(String)
        /// Set by curate because the CPU has AVX-512F.
        case selected(String)
        /// Left to OpenBLAS's own detection.
        case autodetected
    }

    /// The process-wide instance. The first use decides OPENBLAS_CORETYPE.
    public static let shared: Result<BLAS, Error> = Result { try BLAS() }

    /// OpenBLAS's name for the kernels in use (`openblas_get_corename`), e.g. "Skylakex".
    public let coreName: String
    public let choice: CoreTypeChoice

    private let gemm: curate_cblas_sgemm_fn
    private let gemv: curate_cblas_sgemv_fn
    private let setThreads: curate_openblas_set_num_threads_fn?

    /// The kernel family picked for AVX-512F CPUs that this OpenBLAS may misdetect.
    public static let avx512CoreType = "SkylakeX"
    static let libraryNames = ["libopenblas.so.0", "libopenblas.so"]

    private init() throws(BLASError) {
        choice = BLAS.coreType(userValue: getenv("OPENBLAS_CORETYPE").map { String(cString: $0) },
                               avx512f: CPUFeatures.current.avx512f)
        if case let .selected(core) = choice { setenv("OPENBLAS_CORETYPE", core, 1) }
        guard let handle = BLAS.libraryNames.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_LOCAL) }).first else {
            throw BLASError.libraryMissing(String(cString: dlerror()))
        }
        func symbol<T>(_ name: String, as _: T.Type) throws(BLASError) -> T {
            guard let p = dlsym(handle, name) else { throw BLASError.symbolMissing(name) }
            return unsafeBitCast(p, to: T.self)
        }
        gemm = try symbol("cblas_sgemm", as: curate_cblas_sgemm_fn.self)
        gemv = try symbol("cblas_sgemv", as: curate_cblas_sgemv_fn.self)
        setThreads = try? symbol("openblas_set_num_threads", as: curate_openblas_set_num_threads_fn.self)
        let corename = try? symbol("openblas_get_corename", as: curate_openblas_get_corename_fn.self)
        coreName = corename.flatMap { $0() }.map { String(cString: $0) } ?? "unknown"
    }

    /// The policy: a non-empty user setting wins; otherwise AVX-512F CPUs get SkylakeX kernels
    /// and the rest OpenBLAS's own detection (which handles pre-AVX-512 CPUs correctly).
    static func coreType(userValue: String?, avx512f: Bool) -> CoreTypeChoice {
        if let user = userValue, !user.isEmpty { return .user(user) }
        return avx512f ? .selected(avx512CoreType) : .autodetected
    }

    /// Sets how many threads OpenBLAS uses (it defaults to one per core).
    public func setThreadCount(_ n: Int) { setThreads?(Int32(n)) }

    /// Row-major C[m×n] = alpha·op(A)[m×k]·op(B)[k×n] + beta·C, op = transpose when asked.
    /// Leading dimensions are the row strides of A, B and C as stored.
    @inline(__always)
    public func sgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        gemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
             Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Row-major y = alpha·op(A)·x + beta·y with A stored m×n.
    @inline(__always)
    public func sgemv(trans: Bool = false, m: Int, n: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                      x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>) {
        gemv(CblasRowMajor, trans ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
    }
}

public enum BLASError: Error, CustomStringConvertible {
    case libraryMissing(String)
    case symbolMissing(String)

    public var description: String {
        switch self {
        case let .libraryMissing(why):
            return "cannot load OpenBLAS (\(why)) — install it with `apt-get install libopenblas0` (or libopenblas-dev)"
        case let .symbolMissing(name):
            return "the loaded OpenBLAS has no \(name) — install Debian's libopenblas0"
        }
    }
}
