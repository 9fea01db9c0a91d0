import CurateModel

/// Every buffer one forward and backward pass over a packed micro-batch of R rows needs, in
/// one allocation sized for `rows` rows and sequences up to `longest` tokens. With D width,
/// KV = kvHeads·headDim, F feed-forward width, r the LoRA rank:
///
///     kept per layer (read by the backward pass):
///       xIn, q, att, xMid [R, D]   k, v [R, KV]   gate, up [R, F]   rstd1, rstd2 [R]
///       u[m] [R, r] per LoRA target, dropout mask[m] [R, in_m] bytes when dropout > 0
///     kept once:   xOut, xNorm [R, D] (last block's output, final norm)   rstdF [R]
///     scratch:     xb, dx, dxb, datt, dq [R, D]   dk, dv [R, KV]   h, dh, dGate, dUp [R, F]
///                  scores, dScores [longest²]   du [R, r]   xd, tmp [R, max(D, F)]
///
/// Nothing else grows with the batch: q, k and v are kept post-RoPE, the attention
/// probabilities and the normed block inputs are recomputed when the backward pass needs them.
final class Activations {
    struct Layer {
        let xIn, rstd1, q, k, v, att, xMid, rstd2, gate, up: UnsafeMutablePointer<Float>
        let u: [LinearModule: UnsafeMutablePointer<Float>]
        let mask: [LinearModule: UnsafeMutablePointer<UInt8>]
    }

    let rows: Int
    let longest: Int
    let layers: [Layer]
    let xOut, xNorm, rstdF: UnsafeMutablePointer<Float>
    let xb, dx, dxb, datt, dq, dk, dv, h, dh, dGate, dUp, scores, dScores, du, xd, tmp: UnsafeMutablePointer<Float>
    private let floats: UnsafeMutableBufferPointer<Float>
    private let bytes: UnsafeMutableBufferPointer<UInt8>

    /// Bytes this layout takes for `rows` rows (for memory planning and the report).
    static func byteCount(_ c: LlamaConfig, lora: LoRAConfig?, rows R: Int, longest T: Int) -> Int {
        let sizes = plan(c, lora: lora, rows: R, longest: T)
        return sizes.floats * MemoryLayout<Float>.size + sizes.bytes
    }

    private static func plan(_ c: LlamaConfig, lora: LoRAConfig?, rows R: Int, longest T: Int) -> (floats: Int, bytes: Int) {
        let (D, KV, F) = (c.dim, c.kvDim, c.ffnDim)
        let targets = lora?.targets ?? []
        let perLayer = 4 * R * D + 2 * R * KV + 2 * R * F + 2 * R + targets.count * R * (lora?.rank ?? 0)
        let maskBytes = (lora?.dropout ?? 0) > 0 ? targets.map { R * $0.shape(c).inputs }.reduce(0, +) : 0
        let once = 2 * R * D + R
        let scratch = 5 * R * D + 2 * R * KV + 4 * R * F + 2 * T * T + R * (lora?.rank ?? 0) + 2 * R * max(D, F)
        return (c.layers * perLayer + once + scratch, c.layers * maskBytes)
    }

    init(_ c: LlamaConfig, lora: LoRAConfig?, rows R: Int, longest T: Int) {
        rows = R
        longest = T
        let (D, KV, F) = (c.dim, c.kvDim, c.ffnDim)
        let (floatCount, byteCount) = Self.plan(c, lora: lora, rows: R, longest: T)
        // Not zero-filled: every buffer is written before it is read (see the passes), and
        // filling gigabytes would cost a second per allocation.
        floats = .allocate(capacity: floatCount)
        bytes = .allocate(capacity: max(byteCount, 1))
        var p = floats.baseAddress!, b = bytes.baseAddress!
        func take(_ n: Int) -> UnsafeMutablePointer<Float> { defer { p += n }; return p }
        func takeBytes(_ n: Int) -> UnsafeMutablePointer<UInt8> { defer { b += n }; return b }
        let targets = lora?.targets ?? []
        let dropout = (lora?.dropout ?? 0) > 0
        layers = (0 ..< c.layers).map { _ in
            Layer(xIn: take(R * D), rstd1: take(R), q: take(R * D), k: take(R * KV), v: take(R * KV), att: take(R * D),
                  xMid: take(R * D), rstd2: take(R), gate: take(R * F), up: take(R * F),
                  u: Dictionary(uniqueKeysWithValues: targets.map { ($0, take(R * lora!.rank)) }),
                  mask: dropout ? Dictionary(uniqueKeysWithValues: targets.map { ($0, takeBytes(R * $0.shape(c).inputs)) }) : [:])
        }
        (xOut, xNorm, rstdF) = (take(R * D), take(R * D), take(R))
        (xb, dx, dxb, datt, dq) = (take(R * D), take(R * D), take(R * D), take(R * D), take(R * D))
        (dk, dv) = (take(R * KV), take(R * KV))
        (h, dh, dGate, dUp) = (take(R * F), take(R * F), take(R * F), take(R * F))
        (scores, dScores) = (take(T * T), take(T * T))
        du = take(R * (lora?.rank ?? 0))
        (xd, tmp) = (take(R * max(D, F)), take(R * max(D, F)))
    }

    deinit {
        floats.deallocate()
        bytes.deallocate()
    }
}
