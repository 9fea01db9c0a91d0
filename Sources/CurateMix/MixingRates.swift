import Foundation

/// How much each component contributes to a mixture. These follow seqio's rate functions, so
/// a recipe ported from a T5/FLAN setup means the same thing here.
public enum MixingStrategy: Sendable, Equatable {
    /// Examples-proportional: rate = min(n, cap). The cap stops one huge task from drowning
    /// the rest (FLAN used caps of 3k–30k).
    case proportional(cap: Int?)
    /// Temperature-scaled: rate = min(n, cap)^(1/T). T = 1 is proportional, T → ∞ is equal.
    case temperature(Double, cap: Int?)
    /// Explicit weights per component (task or nested mixture), normalized.
    case weights([String: Double])
    /// Every component the same share.
    case equal

    public var name: String {
        switch self {
        case .proportional: "proportional"
        case .temperature: "temperature"
        case .weights: "weights"
        case .equal: "equal"
        }
    }

    /// The examples a component can contribute before capping (`n` for uncapped strategies).
    func cappedSize(_ n: Int) -> Int {
        switch self {
        case .proportional(let cap?), .temperature(_, let cap?): min(n, cap)
        default: n
        }
    }

    /// Unnormalized rate for a component named `name` with `n` examples.
    func rawRate(name: String, n: Int) -> Double {
        switch self {
        case .proportional: Double(cappedSize(n))
        case .temperature(let t, _): pow(Double(cappedSize(n)), 1 / t)
        case .weights(let w): w[name] ?? 0
        case .equal: 1
        }
    }
}

/// Normalized shares per component, in the order given. Pure: the same sizes and strategy
/// always give the same shares.
public func mixingRates(names: [String], sizes: [Int], strategy: MixingStrategy) -> [Double] {
    let raw = zip(names, sizes).map { strategy.rawRate(name: $0, n: $1) }
    let sum = raw.reduce(0, +)
    return sum > 0 ? raw.map { $0 / sum } : raw
}

/// Splits `total` into integer counts proportional to `shares` by the largest-remainder
/// method, ties going to the earlier component, so the counts always add up to `total` exactly.
public func apportion(total: Int, shares: [Double]) -> [Int] {
    let exact = shares.map { $0 * Double(total) }
    var counts = exact.map { Int($0.rounded(.down)) }
    let order = exact.indices.sorted { a, b in
        let ra = exact[a] - Double(counts[a]), rb = exact[b] - Double(counts[b])
        return ra != rb ? ra > rb : a < b
    }
    var left = total - counts.reduce(0, +)
    for index in order where left > 0 {
        counts[index] += 1
        left -= 1
    }
    return counts
}
