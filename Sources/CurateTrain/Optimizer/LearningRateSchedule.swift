import Foundation

/// Linear warm-up to the peak rate, then cosine decay towards zero — transformers'
/// `get_cosine_schedule_with_warmup`, except that warm-up counts from 1: the first update
/// already uses peak/warmup instead of a wasted update at rate 0. After warm-up, update
/// s uses the rate transformers gives index s − 1, so the peak is used once and the last
/// update is small but not zero.
public struct LearningRateSchedule: Codable, Equatable, Sendable {
    public var peak: Float
    public var warmupSteps: Int
    public var totalSteps: Int

    public init(peak: Float, warmupSteps: Int, totalSteps: Int) {
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    /// The rate of update `step` (1-based).
    public func rate(at step: Int) -> Float {
        if step <= warmupSteps { return peak * Float(step) / Float(max(1, warmupSteps)) }
        let progress = Double(step - 1 - warmupSteps) / Double(max(1, totalSteps - warmupSteps))
        return peak * Float(0.5 * (1 + cos(Double.pi * min(1, progress))))
    }
}
