import CurateCore
import Foundation

/// Picks the next token from logits: greedy (argmax), or temperature + nucleus (top-p) sampling
/// from a seeded SplitMix64 (CurateCore.SeededRandom) so that a seed reproduces a generation exactly.
public struct Sampler: Sendable {
    public let temperature: Float
    public let topP: Float
    private var rng: SeededRandom

    /// temperature 0 means greedy; topP 1 keeps the whole distribution.
    public init(temperature: Float = 0, topP: Float = 1, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topP = topP
        rng = SeededRandom(seed: seed)
    }

    public static let greedy = Sampler()

    /// The next token id (an index into `logits`, which holds one row of vocabulary logits).
    public mutating func next(_ logits: ArraySlice<Float>) -> Int {
        guard temperature > 0 else { return Self.argmax(logits) }
        let m = logits.max()!
        var probs = logits.map { expf(($0 - m) / temperature) }
        let total = probs.reduce(0, +)
        for i in probs.indices { probs[i] /= total }
        // Nucleus: the most likely tokens whose mass first reaches topP (the one crossing it
        // included), as HF's TopPLogitsWarper keeps them.
        var order = Array(probs.indices)
        if topP < 1 {
            order.sort { probs[$0] != probs[$1] ? probs[$0] > probs[$1] : $0 < $1 }
            var mass: Float = 0
            var keep = 0
            while keep < order.count, mass < topP { mass += probs[order[keep]]; keep += 1 }
            order.removeSubrange(max(keep, 1)...)
        }
        let kept = order.reduce(Float(0)) { $0 + probs[$1] }
        var u = Float(rng.nextDouble()) * kept
        for i in order {
            u -= probs[i]
            if u < 0 { return i }
        }
        return order.last!
    }

    /// Index (relative to the slice start) of the largest logit; the first on ties.
    public static func argmax(_ logits: ArraySlice<Float>) -> Int {
        var best = logits.startIndex
        for i in logits.indices where logits[i] > logits[best] { best = i }
        return best - logits.startIndex
    }
}
