import Dispatch

/// Element-wise work spread over the cores, deterministically.
///
/// Work is cut into chunks whose boundaries depend only on the problem size and the grain —
/// never on how many threads run them — and every chunk writes its own output. Reductions go
/// through per-chunk partial results summed in chunk order. So a run gives bit-identical
/// results on any number of cores, which `--resume` and the determinism tests rely on.
enum Parallel {
    /// Calls `body` once per chunk of `0 ..< count`, each chunk `grain` long (the last shorter).
    static func chunks(_ count: Int, grain: Int, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let n = (count + grain - 1) / grain
        if n == 1 { return body(0 ..< count) }
        DispatchQueue.concurrentPerform(iterations: n) { i in
            body(i * grain ..< min(count, (i + 1) * grain))
        }
    }

    /// Calls `body(i)` for every i in `0 ..< count` (independent items such as attention heads).
    static func each(_ count: Int, _ body: (Int) -> Void) {
        guard count > 0 else { return }
        if count == 1 { return body(0) }
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }

    /// Sums `width`-wide row contributions over `rows` into `out` (out += Σ_r row(r)), in
    /// fixed chunks of `grain` rows whose partial sums are added in order.
    static func sumRows(_ rows: Int, width: Int, grain: Int, into out: UnsafeMutablePointer<Float>,
                        _ accumulate: (Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
        let n = (rows + grain - 1) / grain
        guard n > 0 else { return }
        let partial = UnsafeMutablePointer<Float>.allocate(capacity: n * width)
        defer { partial.deallocate() }
        partial.initialize(repeating: 0, count: n * width)
        chunks(rows, grain: grain) { range in accumulate(range, partial + (range.lowerBound / grain) * width) }
        for c in 0 ..< n {
            let p = partial + c * width
            for i in 0 ..< width { out[i] += p[i] }
        }
    }
}
