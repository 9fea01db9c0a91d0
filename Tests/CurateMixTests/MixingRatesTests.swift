import CurateCore
import CurateMix
import XCTest

/// Shares are checked against seqio's rate functions worked out by hand for the pools
/// summarize = 12000, topic = 3000, ner = 500.
final class MixingRatesTests: XCTestCase {
    private let tasks = ["summarize", "topic", "ner"]
    private let sizes = [12000, 3000, 500]

    private func assertShares(_ actual: [Double], _ expected: [Double], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, file: file, line: line)
        for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, accuracy: 1e-12, file: file, line: line) }
        XCTAssertEqual(actual.reduce(0, +), 1, accuracy: 1e-12, file: file, line: line)
    }

    /// seqio examples-proportional with cap: min(n, 5000) → 5000 : 3000 : 500, sum 8500,
    /// i.e. 10/17 : 6/17 : 1/17 ≈ 0.5882 : 0.3529 : 0.0588.
    func testProportionalWithCap() {
        let shares = mixingRates(names: tasks, sizes: sizes, strategy: .proportional(cap: 5000))
        assertShares(shares, [10.0 / 17, 6.0 / 17, 1.0 / 17])
    }

    /// Uncapped: 12000 : 3000 : 500, sum 15500 → 24/31 : 6/31 : 1/31.
    func testProportionalUncapped() {
        let shares = mixingRates(names: tasks, sizes: sizes, strategy: .proportional(cap: nil))
        assertShares(shares, [24.0 / 31, 6.0 / 31, 1.0 / 31])
    }

    /// seqio temperature: min(n, cap)^(1/T). T = 2, cap 5000 → √5000 : √3000 : √500
    /// = 50√2 : 10√30 : 10√5 ≈ 70.7107 : 54.7723 : 22.3607 (sum ≈ 147.8436)
    /// → ≈ 0.478280 : 0.370474 : 0.151245.
    func testTemperatureTwoWithCap() {
        let shares = mixingRates(names: tasks, sizes: sizes, strategy: .temperature(2, cap: 5000))
        let raw = [50 * 2.0.squareRoot(), 10 * 30.0.squareRoot(), 10 * 5.0.squareRoot()]
        let sum = raw.reduce(0, +)
        assertShares(shares, raw.map { $0 / sum })
        XCTAssertEqual(shares[0], 0.478280, accuracy: 1e-6)
        XCTAssertEqual(shares[1], 0.370474, accuracy: 1e-6)
        XCTAssertEqual(shares[2], 0.151245, accuracy: 1e-6)
    }

    /// T = 1 is examples-proportional.
    func testTemperatureOneIsProportional() {
        let shares = mixingRates(names: tasks, sizes: sizes, strategy: .temperature(1, cap: 5000))
        assertShares(shares, [10.0 / 17, 6.0 / 17, 1.0 / 17])
    }

    /// Weights 3 : 1 : 1 → 0.6 : 0.2 : 0.2, whatever the pool sizes.
    func testWeights() {
        let shares = mixingRates(names: tasks, sizes: sizes, strategy: .weights(["summarize": 3, "topic": 1, "ner": 1]))
        assertShares(shares, [0.6, 0.2, 0.2])
    }

    func testEqual() {
        let shares = mixingRates(names: tasks, sizes: sizes, strategy: .equal)
        assertShares(shares, [1.0 / 3, 1.0 / 3, 1.0 / 3])
    }

    func testSharesFollowTaskOrder() {
        let shares = mixingRates(names: ["ner", "summarize"], sizes: [500, 12000], strategy: .proportional(cap: nil))
        assertShares(shares, [500.0 / 12500, 12000.0 / 12500])
    }

    // MARK: - apportion

    /// Exact products: 10 × (0.5, 0.3, 0.2) = 5, 3, 2 — nothing left to hand out.
    func testApportionExact() {
        XCTAssertEqual(apportion(total: 10, shares: [0.5, 0.3, 0.2]), [5, 3, 2])
    }

    /// 10 × (0.14, 0.16, 0.70) = 1.4, 1.6, 7.0 → floors 1, 1, 7 (sum 9); the one left goes to
    /// the largest remainder (0.6, topic) → 1, 2, 7.
    func testApportionLargestRemainder() {
        XCTAssertEqual(apportion(total: 10, shares: [0.14, 0.16, 0.70]), [1, 2, 7])
    }

    /// 4 × (1/8, 3/8, 1/2) = 0.5, 1.5, 2 → floors 0, 1, 2; remainders 0.5 and 0.5 tie and the
    /// earlier task wins → 1, 1, 2.  (Binary fractions, so the tie is exact.)
    func testApportionTieGoesToEarlierTask() {
        XCTAssertEqual(apportion(total: 4, shares: [0.125, 0.375, 0.5]), [1, 1, 2])
        // 10 × 1/3 each = 3.33…: one extra, to the first task.
        XCTAssertEqual(apportion(total: 10, shares: [1.0 / 3, 1.0 / 3, 1.0 / 3]), [4, 3, 3])
        // 7 × 1/4 = 1.75 each → floors sum 4, three extras to the first three.
        XCTAssertEqual(apportion(total: 7, shares: [0.25, 0.25, 0.25, 0.25]), [2, 2, 2, 1])
    }

    /// 8500 × (10/17, 6/17, 1/17) is 5000, 3000, 500 up to rounding error; the counts must still
    /// come out exact.
    func testApportionSurvivesFloatingPointError() {
        XCTAssertEqual(apportion(total: 8500, shares: [10.0 / 17, 6.0 / 17, 1.0 / 17]), [5000, 3000, 500])
    }

    func testApportionZeroTotal() {
        XCTAssertEqual(apportion(total: 0, shares: [0.5, 0.5]), [0, 0])
    }

    func testApportionAlwaysSumsToTotal() {
        var g = SeededRandom(seed: 5)
        for _ in 0..<500 {
            let n = 1 + g.nextIndex(below: 8)
            let raw = (0..<n).map { _ in Double(1 + g.nextIndex(below: 1000)) }
            let sum = raw.reduce(0, +)
            let shares = raw.map { $0 / sum }
            let total = g.nextIndex(below: 100_000)
            let counts = apportion(total: total, shares: shares)
            XCTAssertEqual(counts.reduce(0, +), total)
            for (c, s) in zip(counts, shares) {
                // Largest remainder never moves a count more than one away from its exact quota.
                XCTAssertLessThanOrEqual(abs(Double(c) - s * Double(total)), 1.0)
            }
        }
    }
}
