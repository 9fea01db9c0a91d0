import CKernels
import CurateCore
import XCTest
@testable import CurateModel

/// The int8 kernels and the quantized decoding path (README "The model runtime").
final class QuantizedDecodingTests: XCTestCase {
    override func tearDown() { curate_kernels_force_scalar(0) }

    /// Each output is the dot product of the row's fp32 activations with the dequantized
    /// weights: computed here in Double, the kernels — vector and scalar — must agree to fp32
    /// rounding, for 1 to 9 rows (passes of four rows and the rest).
    func testKernelsComputeTheProductWithTheDequantizedWeights() throws {
        var random = SeededRandom(seed: 11)
        let (outputs, inputs) = (40, 96)
        let weights = (0 ..< outputs * inputs).map { _ in Float(random.nextDouble() * 2 - 1) }
        for type in [GGMLType.q8_0, .q4_1] {
            let encoded = try Quantize.encode(weights, as: type)
            let dequantized = dequantize(encoded, type: type, count: weights.count)
            let matrix = try XCTUnwrap(encoded.withUnsafeBytes { QuantizedMatrix(fileBytes: $0, type: type, outputs: outputs, inputs: inputs) })
            for rows in 1 ... 9 {
                let x = (0 ..< rows * inputs).map { _ in Float(random.nextDouble() * 4 - 2) }
                for scalar in [false, true] {
                    curate_kernels_force_scalar(scalar ? 1 : 0)
                    var y = [Float](repeating: .nan, count: rows * outputs)
                    matrix.multiply(&y, x, rows: rows)
                    for r in 0 ..< rows {
                        for o in 0 ..< outputs {
                            let terms = (0 ..< inputs).map { Double(dequantized[o * inputs + $0]) * Double(x[r * inputs + $0]) }
                            let magnitude = terms.reduce(0) { $0 + abs($1) }
                            XCTAssertEqual(Double(y[r * outputs + o]), terms.reduce(0, +), accuracy: 1e-6 * magnitude,
                                           "\(type) rows \(rows) r \(r) o \(o) scalar \(scalar)")
                        }
                    }
                }
            }
        }
    }

    /// fp32 weights become Q8_0 exactly as the GGUF writer's reference quantizer makes them.
    func testQuantizingWeightsMatchesGGMLsReferenceQ8_0() throws {
        var random = SeededRandom(seed: 5)
        let weights = (0 ..< 4 * 64).map { _ in Float(random.nextDouble() * 6 - 3) }
        let reference = try Quantize.encode(weights, as: .q8_0)
        var blocks = [curate_block_q8_0](repeating: curate_block_q8_0(), count: weights.count / 32)
        curate_quantize_q8_0(weights, &blocks, Int64(weights.count))
        XCTAssertEqual(blocks.withUnsafeBytes { Array($0) }, reference)
    }

    /// Decoding the tiny llama from its block-format matrices follows the fp32 model: the same
    /// greedy tokens and next-token probabilities within 0.03. The file stores some matrices as
    /// F16, BF16 and Q4_0, which decoding requantizes to Q8_0 (its Q4_1 and Q8_0 ones are read as
    /// they are); that moves this random model's probabilities by up to 0.02 (measured), while
    /// a matrix wired to the wrong layer or input moves them by more than 0.5 (measured).
    func testQuantizedDecodingFollowsTheFp32Model() throws {
        let gguf = try GGUFFile(path: TinyLlama.path)
        let weights = try LlamaWeights(gguf: gguf)
        let fp32 = try LlamaModel(weights: weights)
        let quantized = try LlamaModel(weights: weights, quantized: try QuantizedWeights(weights: weights, file: gguf))
        let V = TinyLlama.config.vocabSize
        let prompt = [1, 75, 104, 111, 259, 2, 50]
        let (exact, fast) = (fp32.makeCache(), quantized.makeCache())
        var (a, b) = (Sampler.argmax(try fp32.prefill(prompt, cache: exact)[0 ..< V]), Sampler.argmax(try quantized.prefill(prompt, cache: fast)[0 ..< V]))
        for step in 0 ..< 12 {
            XCTAssertEqual(a, b, "greedy token at step \(step)")
            let (p, q) = (softmax(try fp32.decode([a], caches: [exact])), softmax(try quantized.decode([b], caches: [fast])))
            XCTAssertLessThan(zip(p, q).map { abs($0 - $1) }.max()!, 0.03, "step \(step)")
            (a, b) = (Sampler.argmax(p[0 ..< V]), Sampler.argmax(q[0 ..< V]))
        }
    }

    /// A sequence's logits do not depend on the sequences decoded beside it, bit for bit, so an
    /// evaluation gives the same answers whatever its batch size.
    func testABatchedRowEqualsTheSameRowAlone() throws {
        let gguf = try GGUFFile(path: TinyLlama.path)
        let weights = try LlamaWeights(gguf: gguf)
        let model = try LlamaModel(weights: weights, quantized: try QuantizedWeights(weights: weights, file: nil))
        let V = TinyLlama.config.vocabSize
        let prompts = [[1, 80, 81], [1, 90], [1, 100, 101, 102], [1, 7], [1, 8, 9], [1, 60]]
        let caches = try prompts.map { p -> KVCache in let c = model.makeCache(); _ = try model.prefill(p, cache: c); return c }
        let batched = try model.decode(prompts.indices.map { 5 + $0 }, caches: caches)
        for (i, p) in prompts.enumerated() {
            let cache = model.makeCache()
            _ = try model.prefill(p, cache: cache)
            XCTAssertEqual(Array(batched[i * V ..< (i + 1) * V]), try model.decode([5 + i], caches: [cache]), "sequence \(i)")
        }
    }

    private func dequantize(_ bytes: [UInt8], type: GGMLType, count: Int) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in out.withUnsafeMutableBufferPointer { Dequantize.run(type, raw, into: $0) } }
        return out
    }

    private func softmax(_ logits: [Float]) -> [Float] {
        let m = logits.max()!
        let e = logits.map { expf($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }
}
