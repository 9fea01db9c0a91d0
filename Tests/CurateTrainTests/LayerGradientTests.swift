import CurateCore
import CurateModel
import XCTest
@testable import CurateTrain

/// Each layer's backward pass against central finite differences, alone.
///
/// Every check takes a scalar L = Σ out ⊙ R for a fixed random R, summed in Double, so
/// ∂L/∂out = R. With inputs O(1) and h = 1e-2, the central difference's truncation error is
/// O(h²) ≈ 1e-4·|f'''| and fp32 rounding of the outputs adds ~1e-7·√N/h ≈ 1e-4; a tolerance of
/// 2e-3 + 1e-2·|g| is a hundred times smaller than a wrong term would be.
final class LayerGradientTests: XCTestCase {
    var rng = SeededRandom(seed: 99)

    func random(_ n: Int, scale: Float = 1) -> [Float] { (0 ..< n).map { _ in Float(rng.nextDouble() * 2 - 1) * scale } }

    /// Compares `analytic` (∂L/∂input) with finite differences of `loss` over `input`.
    func check(_ name: String, input: inout [Float], analytic: [Float], loss: ([Float]) -> Double, samples: Int = 24,
               file: StaticString = #filePath, line: UInt = #line) {
        let h: Float = 1e-2
        for _ in 0 ..< samples {
            let i = rng.nextIndex(below: input.count)
            let saved = input[i]
            input[i] = saved + h
            let up = loss(input)
            input[i] = saved - h
            let down = loss(input)
            input[i] = saved
            let numeric = (up - down) / Double(2 * h)
            XCTAssertEqual(Double(analytic[i]), numeric, accuracy: 2e-3 + 1e-2 * abs(numeric), "\(name)[\(i)]", file: file, line: line)
        }
    }

    func dot(_ a: [Float], _ b: [Float]) -> Double { zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) } }

    func testRMSNorm() {
        let (R, D) = (3, 16)
        var x = random(R * D), w = random(D)
        let r = random(R * D)
        func forward(_ x: [Float], _ w: [Float]) -> [Float] {
            var out = [Float](repeating: 0, count: R * D), rstd = [Float](repeating: 0, count: R)
            RMSNorm.forward(&out, rstd: &rstd, x, weight: w, rows: R, width: D, eps: 1e-5)
            return out
        }
        var rstd = [Float](repeating: 0, count: R), out = [Float](repeating: 0, count: R * D)
        RMSNorm.forward(&out, rstd: &rstd, x, weight: w, rows: R, width: D, eps: 1e-5)
        var dx = [Float](repeating: 0, count: R * D), dw = [Float](repeating: 0, count: D)
        RMSNorm.backward(dx: &dx, dWeight: &dw, dout: r, x, rstd: rstd, weight: w, rows: R, width: D)
        check("dx", input: &x, analytic: dx) { self.dot(forward($0, w), r) }
        check("dw", input: &w, analytic: dw) { self.dot(forward(x, $0), r) }
    }

    func testRoPE() {
        let (R, heads, hd) = (5, 2, 8)
        let table = RoPETable(headDim: hd, base: 10000, positions: 16)
        var x = random(R * heads * hd)
        let r = random(R * heads * hd)
        let positions: [Int32] = [0, 1, 2, 7, 11]
        func forward(_ x: [Float]) -> [Float] {
            var y = x
            RoPE.forward(&y, stride: heads * hd, positions: positions, rows: R, heads: heads, headDim: hd, table: table)
            return y
        }
        var dx = r
        RoPE.backward(&dx, stride: heads * hd, positions: positions, rows: R, heads: heads, headDim: hd, table: table)
        check("dx", input: &x, analytic: dx) { self.dot(forward($0), r) }
    }

    func testSwiGLU() {
        let n = 40
        var gate = random(n, scale: 3), up = random(n)
        let r = random(n)
        func forward(_ g: [Float], _ u: [Float]) -> [Float] {
            var h = [Float](repeating: 0, count: n)
            SwiGLU.forward(&h, gate: g, up: u, count: n)
            return h
        }
        var dg = [Float](repeating: 0, count: n), du = dg
        SwiGLU.backward(dGate: &dg, dUp: &du, dh: r, gate: gate, up: up, count: n)
        check("dgate", input: &gate, analytic: dg) { self.dot(forward($0, up), r) }
        check("dup", input: &up, analytic: du) { self.dot(forward(gate, $0), r) }
    }

    /// Two packed sequences (lengths 5 and 3), 4 heads over 2 kv heads.
    func testAttention() throws {
        let attention = Attention(heads: 4, kvHeads: 2, headDim: 4, blas: try BLAS.shared.get())
        let (R, D, KV) = (8, 16, 8)
        let sequences = [0 ..< 5, 5 ..< 8]
        var q = random(R * D), k = random(R * KV), v = random(R * KV)
        let r = random(R * D)
        func forward(_ q: [Float], _ k: [Float], _ v: [Float]) -> [Float] {
            var out = [Float](repeating: 0, count: R * D), scores = [Float](repeating: 0, count: 25)
            attention.forward(&out, q: q, k: k, v: v, sequences: sequences, scores: &scores)
            return out
        }
        var dq = [Float](repeating: 0, count: R * D), dk = [Float](repeating: 0, count: R * KV), dv = dk
        var s1 = [Float](repeating: 0, count: 25), s2 = s1
        attention.backward(dq: &dq, dk: &dk, dv: &dv, dOut: r, q: q, k: k, v: v, sequences: sequences, scores: &s1, dScores: &s2)
        check("dq", input: &q, analytic: dq) { self.dot(forward($0, k, v), r) }
        check("dk", input: &k, analytic: dk) { self.dot(forward(q, $0, v), r) }
        check("dv", input: &v, analytic: dv) { self.dot(forward(q, k, $0), r) }
        // The second sequence never sees the first: its outputs ignore the first's keys.
        var k2 = k
        for i in 0 ..< 5 * KV { k2[i] += 1 }
        XCTAssertEqual(Array(forward(q, k, v).suffix(3 * D)), Array(forward(q, k2, v).suffix(3 * D)))
    }

    /// Sequences longer than one causal block (64 rows): the blocked products against a plain
    /// causal softmax written out, and the gradients against finite differences.
    func testAttentionAcrossCausalBlocks() throws {
        let attention = Attention(heads: 2, kvHeads: 1, headDim: 4, blas: try BLAS.shared.get())
        let (R, D, KV) = (200, 8, 4)
        let sequences = [0 ..< 130, 130 ..< 200]
        var q = random(R * D), k = random(R * KV), v = random(R * KV)
        let r = random(R * D)
        func forward(_ q: [Float], _ k: [Float], _ v: [Float]) -> [Float] {
            var out = [Float](repeating: 0, count: R * D), scores = [Float](repeating: 0, count: 130 * 130)
            attention.forward(&out, q: q, k: k, v: v, sequences: sequences, scores: &scores)
            return out
        }
        let out = forward(q, k, v)
        for seq in sequences {
            for h in 0 ..< 2 {
                for i in [0, 63, 64, 100, seq.count - 1] where i < seq.count {
                    let qi = (seq.lowerBound + i) * D + h * 4
                    let logits = (0 ... i).map { j in (0 ..< 4).reduce(Float(0)) { $0 + q[qi + $1] * k[(seq.lowerBound + j) * KV + $1] } / 2 }
                    let m = logits.max()!, e = logits.map { expf($0 - m) }, z = e.reduce(0, +)
                    for c in 0 ..< 4 {
                        let expected = (0 ... i).reduce(Float(0)) { $0 + e[$1] / z * v[(seq.lowerBound + $1) * KV + c] }
                        XCTAssertEqual(out[qi + c], expected, accuracy: 1e-5, "row \(i) of a sequence at \(seq.lowerBound), head \(h)")
                    }
                }
            }
        }
        var dq = [Float](repeating: 0, count: R * D), dk = [Float](repeating: 0, count: R * KV), dv = dk
        var s1 = [Float](repeating: 0, count: 130 * 130), s2 = s1
        attention.backward(dq: &dq, dk: &dk, dv: &dv, dOut: r, q: q, k: k, v: v, sequences: sequences, scores: &s1, dScores: &s2)
        check("dq", input: &q, analytic: dq) { self.dot(forward($0, k, v), r) }
        check("dk", input: &k, analytic: dk) { self.dot(forward(q, $0, v), r) }
        check("dv", input: &v, analytic: dv) { self.dot(forward(q, k, $0), r) }
    }

    func testCrossEntropyHead() throws {
        let (R, D, V) = (4, 8, 30)
        let head = CrossEntropyHead(blas: try BLAS.shared.get(), vocabulary: V, width: D)
        let scratch = CrossEntropyHead.Scratch(vocabulary: V, width: D)
        var x = random(R * D), w = random(V * D)
        let targets = [LossTarget(row: 0, label: 3), LossTarget(row: 2, label: 29), LossTarget(row: 3, label: 0)]
        func loss(_ x: [Float], _ w: [Float]) -> Double {
            head.run(x: x, weight: w, targets: targets, lossScale: 0, dx: nil, dWeight: nil, scratch: scratch).reduce(0) { $0 + Double($1) }
        }
        var dx = [Float](repeating: 0, count: R * D), dw = [Float](repeating: 0, count: V * D)
        _ = head.run(x: x, weight: w, targets: targets, lossScale: 1, dx: &dx, dWeight: &dw, scratch: scratch)
        XCTAssertEqual(Array(dx[D ..< 2 * D]), [Float](repeating: 0, count: D), "a row without a target gets no gradient")
        check("dx", input: &x, analytic: dx) { loss($0, w) }
        check("dw", input: &w, analytic: dw) { loss(x, $0) }
    }

    /// The adapter with dropout: the mask is drawn once (fixed key), so L is a smooth function
    /// of x, A and B.
    func testLoRAWithDropout() throws {
        let blas = try BLAS.shared.get()
        let (R, n, o, r) = (6, 12, 10, 3)
        let lora = LoRA(blas: blas, rank: r, inputs: n, outputs: o, scale: 2)
        var mask = [UInt8](repeating: 0, count: R * n)
        Dropout.draw(&mask, probability: 0.25, key: 5, rows: R, width: n)
        XCTAssertTrue(mask.contains(0) && mask.contains(1))
        var x = random(R * n), a = random(r * n), b = random(o * r)
        let target = random(R * o)
        func forward(_ x: [Float], _ a: [Float], _ b: [Float]) -> [Float] {
            var y = [Float](repeating: 0, count: R * o), u = [Float](repeating: 0, count: R * r), xd = [Float](repeating: 0, count: R * n)
            mask.withUnsafeMutableBufferPointer { m in
                lora.forward(&y, u: &u, x: x, a: a, b: b, dropout: Dropout(mask: m.baseAddress!, probability: 0.25), xd: &xd, rows: R)
            }
            return y
        }
        var y = [Float](repeating: 0, count: R * o), u = [Float](repeating: 0, count: R * r), xd = [Float](repeating: 0, count: R * n)
        var dx = [Float](repeating: 0, count: R * n), da = [Float](repeating: 0, count: r * n), db = [Float](repeating: 0, count: o * r)
        var du = [Float](repeating: 0, count: R * r), tmp = xd
        mask.withUnsafeMutableBufferPointer { m in
            let dropout = Dropout(mask: m.baseAddress!, probability: 0.25)
            lora.forward(&y, u: &u, x: x, a: a, b: b, dropout: dropout, xd: &xd, rows: R)
            lora.backward(dx: &dx, dA: &da, dB: &db, dy: target, u: u, x: x, a: a, b: b, dropout: dropout, du: &du, xd: &xd, tmp: &tmp, rows: R)
        }
        check("dx", input: &x, analytic: dx) { self.dot(forward($0, a, b), target) }
        check("dA", input: &a, analytic: da) { self.dot(forward(x, $0, b), target) }
        check("dB", input: &b, analytic: db) { self.dot(forward(x, a, $0), target) }
    }

    func testDropoutDropsItsShareAndDependsOnlyOnTheKey() {
        var a = [UInt8](repeating: 0, count: 64 * 1000), b = a, c = a
        Dropout.draw(&a, probability: 0.05, key: 1, rows: 64, width: 1000)
        Dropout.draw(&b, probability: 0.05, key: 1, rows: 64, width: 1000)
        Dropout.draw(&c, probability: 0.05, key: 2, rows: 64, width: 1000)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        let dropped = Double(a.filter { $0 == 0 }.count) / Double(a.count)
        XCTAssertEqual(dropped, 0.05, accuracy: 0.003)
    }

    func testEmbeddingBackwardAddsEveryOccurrence() {
        var table = [Float](repeating: 0, count: 4 * 2)
        let tokens: [Int32] = [1, 3, 1]
        Embedding.backward(dTable: &table, dx: [1, 2, 10, 20, 100, 200], tokens: tokens, rows: 3, width: 2)
        XCTAssertEqual(table, [0, 0, 101, 202, 0, 0, 10, 20])
    }
}
