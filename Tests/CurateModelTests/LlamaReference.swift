import Foundation
@testable import CurateModel

/// The llama forward pass written as plainly as possible — scalar loops, no BLAS, no cache,
/// the whole sequence at once — to check `LlamaModel` against. Returns logits [T, V].
enum LlamaReference {
    static func logits(gguf: GGUFFile, tokens: [Int]) throws -> [[Float]] {
        let c = try LlamaConfig(gguf: gguf)
        let (D, hd, T) = (c.dim, c.headDim, tokens.count)
        func matrix(_ name: String) throws -> [[Float]] { // [out][in]
            let info = try gguf.tensor(named: name), flat = try gguf.floats(name)
            return (0 ..< info.shape[1]).map { Array(flat[$0 * info.shape[0] ..< ($0 + 1) * info.shape[0]]) }
        }
        func matvec(_ w: [[Float]], _ x: [Float]) -> [Float] { w.map { row in zip(row, x).reduce(0) { $0 + $1.0 * $1.1 } } }
        func rms(_ x: [Float], _ w: [Float]) -> [Float] {
            let s = 1 / (x.reduce(0) { $0 + $1 * $1 } / Float(x.count) + c.rmsEpsilon).squareRoot()
            return zip(x, w).map { $0 * s * $1 }
        }
        func rope(_ v: [Float], _ pos: Int) -> [Float] {
            var out = v
            for h in 0 ..< v.count / hd {
                for i in 0 ..< hd / 2 {
                    let theta = Float(pos) * (1 / powf(c.ropeBase, Float(2 * i) / Float(hd)))
                    let (a, b) = (v[h * hd + 2 * i], v[h * hd + 2 * i + 1])
                    out[h * hd + 2 * i] = a * cosf(theta) - b * sinf(theta)
                    out[h * hd + 2 * i + 1] = a * sinf(theta) + b * cosf(theta)
                }
            }
            return out
        }
        let embedding = try matrix("token_embd.weight")
        var x = tokens.map { embedding[$0] }
        for l in 0 ..< c.layers {
            let p = "blk.\(l)."
            let (wq, wk, wv, wo) = (try matrix(p + "attn_q.weight"), try matrix(p + "attn_k.weight"), try matrix(p + "attn_v.weight"), try matrix(p + "attn_output.weight"))
            let (an, fn) = (try gguf.floats(p + "attn_norm.weight"), try gguf.floats(p + "ffn_norm.weight"))
            let xn = x.map { rms($0, an) }
            let q = xn.enumerated().map { rope(matvec(wq, $1), $0) }
            let k = xn.enumerated().map { rope(matvec(wk, $1), $0) }
            let v = xn.map { matvec(wv, $0) }
            for t in 0 ..< T {
                var att = [Float](repeating: 0, count: D)
                for h in 0 ..< c.heads {
                    let g = h / (c.heads / c.kvHeads)
                    var scores = (0 ... t).map { s in
                        (0 ..< hd).reduce(Float(0)) { $0 + q[t][h * hd + $1] * k[s][g * hd + $1] } / Float(hd).squareRoot()
                    }
                    let m = scores.max()!
                    scores = scores.map { expf($0 - m) }
                    let z = scores.reduce(0, +)
                    for s in 0 ... t { for i in 0 ..< hd { att[h * hd + i] += scores[s] / z * v[s][g * hd + i] } }
                }
                x[t] = zip(x[t], matvec(wo, att)).map { $0 + $1 }
            }
            let (wg, wu, wd) = (try matrix(p + "ffn_gate.weight"), try matrix(p + "ffn_up.weight"), try matrix(p + "ffn_down.weight"))
            for t in 0 ..< T {
                let h = rms(x[t], fn)
                let act = zip(matvec(wg, h), matvec(wu, h)).map { g, u in g / (1 + expf(-g)) * u }
                x[t] = zip(x[t], matvec(wd, act)).map { $0 + $1 }
            }
        }
        let on = try gguf.floats("output_norm.weight")
        let out = gguf.hasTensor(named: "output.weight") ? try matrix("output.weight") : embedding
        return x.map { matvec(out, rms($0, on)) }
    }
}
