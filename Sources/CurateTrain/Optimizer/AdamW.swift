import Foundation

/// AdamW (Loshchilov & Hutter), step for step as `torch.optim.AdamW` computes it:
///
///     p ← p − lr·λ·p                               (decoupled weight decay; matrices only)
///     m ← β₁m + (1 − β₁)g        v ← β₂v + (1 − β₂)g²
///     p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
///
/// m and v are flat buffers in the parameters' layout; norm weights (vectors) are not decayed,
/// as is usual for transformers.
public final class AdamW: @unchecked Sendable {
    public struct Settings: Codable, Equatable, Sendable {
        public var beta1: Float = 0.9
        public var beta2: Float = 0.999
        public var epsilon: Float = 1e-8
        public var weightDecay: Float = 0.01
        public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
            (self.beta1, self.beta2, self.epsilon, self.weightDecay) = (beta1, beta2, epsilon, weightDecay)
        }
    }

    public let settings: Settings
    /// First and second moments, [parameters].
    public let m: UnsafeMutableBufferPointer<Float>
    public let v: UnsafeMutableBufferPointer<Float>
    /// Updates taken so far (t in the bias corrections).
    public internal(set) var steps = 0
    private let decayed: [Range<Int>]

    public init(count: Int, tensors: [ParameterTensor], settings: Settings) {
        self.settings = settings
        m = .allocate(capacity: count)
        v = .allocate(capacity: count)
        m.initialize(repeating: 0)
        v.initialize(repeating: 0)
        decayed = tensors.filter(\.isMatrix).map { $0.offset ..< $0.offset + $0.count }
    }

    deinit {
        m.deallocate()
        v.deallocate()
    }

    /// One update of `parameters` from `gradients` at learning rate `lr`.
    public func step(parameters p: UnsafeMutableBufferPointer<Float>, gradients g: UnsafeBufferPointer<Float>, lr: Float) {
        steps += 1
        let s = settings
        let t = Float(steps)
        let correction1 = 1 - powf(s.beta1, t), correction2 = 1 - powf(s.beta2, t)
        let stepSize = lr / correction1, root2 = correction2.squareRoot()
        if s.weightDecay > 0 {
            let shrink = 1 - lr * s.weightDecay
            for range in decayed {
                Parallel.chunks(range.count, grain: 1 << 16) { chunk in
                    for i in chunk { p[range.lowerBound + i] *= shrink }
                }
            }
        }
        let (m, v) = (m, v)
        Parallel.chunks(p.count, grain: 1 << 16) { chunk in
            for i in chunk {
                m[i] = s.beta1 * m[i] + (1 - s.beta1) * g[i]
                v[i] = s.beta2 * v[i] + (1 - s.beta2) * g[i] * g[i]
                p[i] -= stepSize * m[i] / (v[i].squareRoot() / root2 + s.epsilon)
            }
        }
    }

    /// Restores the moments and the step count of a checkpoint.
    public func restore(m newM: [Float], v newV: [Float], steps: Int) {
        precondition(newM.count == m.count && newV.count == v.count, "optimizer state of another size")
        _ = m.update(fromContentsOf: newM)
        _ = v.update(fromContentsOf: newV)
        self.steps = steps
    }
}

/// The global L2 norm of the gradients, and clipping to a maximum as
/// `torch.nn.utils.clip_grad_norm_` does: g ← g · max_norm / (norm + 1e-6) when norm > max_norm.
public enum GradientClipping {
    /// Sums squares in Double over fixed chunks added in order, so the norm does not depend on
    /// the thread count.
    public static func norm(_ g: UnsafeBufferPointer<Float>) -> Float {
        let grain = 1 << 16
        let n = (g.count + grain - 1) / grain
        var partial = [Double](repeating: 0, count: n)
        partial.withUnsafeMutableBufferPointer { out in
            Parallel.chunks(g.count, grain: grain) { chunk in
                var sum: Double = 0
                for i in chunk { sum += Double(g[i]) * Double(g[i]) }
                out[chunk.lowerBound / grain] = sum
            }
        }
        return Float(partial.reduce(0, +).squareRoot())
    }

    /// Scales g in place when its norm exceeds `maxNorm`; returns the norm before clipping.
    @discardableResult
    public static func clip(_ g: UnsafeMutableBufferPointer<Float>, maxNorm: Float) -> Float {
        let total = norm(UnsafeBufferPointer(g))
        guard maxNorm > 0, total > maxNorm else { return total }
        let scale = maxNorm / (total + 1e-6)
        Parallel.chunks(g.count, grain: 1 << 16) { chunk in
            for i in chunk { g[i] *= scale }
        }
        return total
    }
}
