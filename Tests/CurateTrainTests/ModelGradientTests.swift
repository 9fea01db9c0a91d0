import CurateCore
import CurateModel
import XCTest
@testable import CurateTrain

/// The whole model's analytic gradients against central finite differences of its loss, for
/// full fine-tuning and for LoRA.
///
/// Tolerance: the loss is a mean of fp32 cross-entropies (summed here in Double). With
/// h = 1e-2 the central difference's truncation error is about h²/6·|f'''| ≈ 1e-5, and fp32
/// rounding of the forward pass perturbs the loss by ~1e-7 relative, i.e. ~1e-5/h ≈ 1e-5 on
/// the difference quotient. So an agreement of 2e-3 absolute + 1e-2 relative catches any wrong
/// term (a missing factor or a transposed product is off by O(1)) without flaking on rounding.
final class ModelGradientTests: XCTestCase {
    func loss(_ model: TrainableLlama, _ batch: PackedBatch) -> Double {
        let losses = model.forwardBackward(batch, lossScale: 0, backward: false, dropoutKey: nil)
        return losses.reduce(0) { $0 + Double($1) } / Double(losses.count)
    }

    func checkGradients(_ model: TrainableLlama, samples: Int, file: StaticString = #filePath, line: UInt = #line) {
        let batch = TinyModel.batch()
        model.zeroGradients()
        _ = model.forwardBackward(batch, lossScale: 1 / Float(batch.targets.count), backward: true, dropoutKey: nil)
        let analytic = Array(model.gradients)
        var rng = SeededRandom(seed: 3)
        let h: Float = 1e-2
        var checked = 0, nonZero = 0
        for tensor in model.tensors {
            for _ in 0 ..< samples {
                let i = tensor.offset + rng.nextIndex(below: tensor.count)
                let p = model.parameters.baseAddress! + i
                let saved = p.pointee
                p.pointee = saved + h
                let up = loss(model, batch)
                p.pointee = saved - h
                let down = loss(model, batch)
                p.pointee = saved
                let numeric = (up - down) / Double(2 * h)
                XCTAssertEqual(Double(analytic[i]), numeric, accuracy: 2e-3 + 1e-2 * abs(numeric),
                               "\(tensor.name)[\(i - tensor.offset)]", file: file, line: line)
                checked += 1
                if abs(numeric) > 1e-4 { nonZero += 1 }
            }
        }
        XCTAssertGreaterThan(nonZero, checked / 2, "most sampled gradients should be non-trivial", file: file, line: line)
    }

    func testFullFineTuningGradientsMatchFiniteDifferences() throws {
        checkGradients(try TrainableLlama(weights: try TinyModel.weights(), method: .full, seed: 1), samples: 4)
    }

    func testLoRAGradientsMatchFiniteDifferences() throws {
        let lora = LoRAConfig(rank: 4, alpha: 8, dropout: 0, targets: LinearModule.allCases, rsLoRA: false)
        let model = try TrainableLlama(weights: try TinyModel.weights(), method: .lora(lora), seed: 1)
        // B starts at zero, which would make every A gradient zero: give B values first.
        var rng = SeededRandom(seed: 11)
        for t in model.tensors where t.name.hasSuffix("lora_b") { fillRandom(model.parameters.baseAddress! + t.offset, t.count, &rng, scale: 0.3) }
        checkGradients(model, samples: 3)
    }

    func testLoRAStartsAtTheBaseModelAndItsAGradientsAreZero() throws {
        let weights = try TinyModel.weights()
        let lora = LoRAConfig(rank: 4, alpha: 8, dropout: 0, targets: [.q, .v], rsLoRA: false)
        let model = try TrainableLlama(weights: weights, method: .lora(lora), seed: 1)
        let base = try TrainableLlama(weights: weights, method: .full, seed: 1)
        let batch = TinyModel.batch()
        XCTAssertEqual(loss(model, batch), loss(base, batch), "B = 0: the adapted model is the base model")
        model.zeroGradients()
        _ = model.forwardBackward(batch, lossScale: 1, backward: true, dropoutKey: nil)
        for t in model.tensors {
            let norm = (0 ..< t.count).map { abs(model.gradients[t.offset + $0]) }.max()!
            if t.name.hasSuffix("lora_a") { XCTAssertEqual(norm, 0, t.name) } else { XCTAssertGreaterThan(norm, 0, t.name) }
        }
    }
}
