import XCTest
@testable import CurateTrain

/// AdamW, the schedule and clipping against values computed by hand from their definitions.
final class OptimizerTests: XCTestCase {
    /// Two steps on a 2×1 matrix (decayed) and a vector of 1 (not decayed), lr 0.1, λ 0.5.
    /// Step 1, g = 0.5 for every entry: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25, so each
    /// parameter moves by 0.1·0.5/(0.5 + 1e-8) ≈ 0.1; the matrix is first shrunk by 1 − 0.1·0.5.
    /// Step 2, g = −1: m = 0.045 − 0.1 = −0.055, v = 0.00024975 + 0.001 = 0.00124975,
    /// m̂ = −0.055/0.19 = −0.2894737, v̂ = 0.00124975/0.001999 = 0.6251876, step = 0.1·m̂/√v̂.
    func testAdamWStepsAsTorchDefinesThem() {
        let tensors = [ParameterTensor(name: "w", offset: 0, shape: [2, 1]), ParameterTensor(name: "n", offset: 2, shape: [1])]
        let adam = AdamW(count: 3, tensors: tensors, settings: .init(weightDecay: 0.5))
        var p: [Float] = [1, -2, 3]
        p.withUnsafeMutableBufferPointer { params in
            [Float](repeating: 0.5, count: 3).withUnsafeBufferPointer { adam.step(parameters: params, gradients: $0, lr: 0.1) }
        }
        let first: [Double] = [1 * 0.95 - 0.1, -2 * 0.95 - 0.1, 3 - 0.1]
        for i in 0 ..< 3 { XCTAssertEqual(Double(p[i]), first[i], accuracy: 1e-6) }
        p.withUnsafeMutableBufferPointer { params in
            [Float](repeating: -1, count: 3).withUnsafeBufferPointer { adam.step(parameters: params, gradients: $0, lr: 0.1) }
        }
        let move = 0.1 * (-0.055 / 0.19) / (0.00124975 / 0.001999).squareRoot()
        let second = [first[0] * 0.95 - move, first[1] * 0.95 - move, first[2] - move]
        for i in 0 ..< 3 { XCTAssertEqual(Double(p[i]), second[i], accuracy: 1e-6, "parameter \(i)") }
        XCTAssertEqual(adam.steps, 2)
    }

    func testWarmUpIsLinearFromTheFirstStepThenCosineDecays() {
        let s = LearningRateSchedule(peak: 1, warmupSteps: 4, totalSteps: 14)
        XCTAssertEqual((1 ... 4).map { s.rate(at: $0) }, [0.25, 0.5, 0.75, 1])
        XCTAssertEqual(s.rate(at: 5), 1, "the first step after warm-up is at the peak")
        XCTAssertEqual(s.rate(at: 10), Float(0.5 * (1 + cos(Double.pi * 5 / 10))), accuracy: 1e-6)
        XCTAssertEqual(s.rate(at: 14), Float(0.5 * (1 + cos(Double.pi * 9 / 10))), accuracy: 1e-6)
        XCTAssertGreaterThan(s.rate(at: 14), 0, "the last update still moves")
        XCTAssertEqual(LearningRateSchedule(peak: 2, warmupSteps: 0, totalSteps: 3).rate(at: 1), 2)
    }

    func testClippingScalesToTheMaximumNormOnlyAboveIt() {
        var g: [Float] = [3, 4]
        let norm = g.withUnsafeMutableBufferPointer { GradientClipping.clip($0, maxNorm: 1) }
        XCTAssertEqual(norm, 5)
        XCTAssertEqual(g[0], 3 / (5 + 1e-6), accuracy: 1e-7)
        XCTAssertEqual(g[1], 4 / (5 + 1e-6), accuracy: 1e-7)
        var small: [Float] = [0.3, 0.4]
        _ = small.withUnsafeMutableBufferPointer { GradientClipping.clip($0, maxNorm: 1) }
        XCTAssertEqual(small, [0.3, 0.4])
    }
}
