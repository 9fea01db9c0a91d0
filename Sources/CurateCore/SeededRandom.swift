/// SplitMix64 (Steele, Lea & Flood 2014): the one PRNG every seeded decision in curate uses.
///
/// Spelled out here instead of relying on `SystemRandomNumberGenerator` or a platform
/// generator, because shards must be byte-identical across machines and Swift versions for
/// the same seed, and the standard library promises neither.
@frozen
public struct SeededRandom: RandomNumberGenerator, Sendable {
    /// Inlinable so hot loops (the trainer's dropout masks) draw without a call per number.
    @usableFromInline var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator derived from a seed and a label, so that independent decisions (which
    /// template, which shuffle) do not shift each other when one of them changes.
    public init(seed: UInt64, stream label: String) {
        self.init(seed: seed ^ StableHash.fnv1a64(label))
    }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) from the top 53 bits, for sampling.
    public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A uniform integer in `0..<bound` by Lemire's unbiased multiply-shift method, written
    /// out so the result never depends on the standard library's implementation.
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        var product = next().multipliedFullWidth(by: b)
        if product.low < b {
            let threshold = (0 &- b) % b
            while product.low < threshold { product = next().multipliedFullWidth(by: b) }
        }
        return Int(product.high)
    }

    /// Fisher–Yates with `nextIndex`, for the same reason.
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, nextIndex(below: i + 1))
        }
    }
}

/// Fast non-cryptographic hashing with a fixed definition (Swift's `Hasher` is seeded per
/// process, so it cannot be used for anything that must be stable across runs).
public enum StableHash {
    public static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
