import CurateCore
import CurateMix
import XCTest

final class MixerTests: XCTestCase {
    private let tasks = ["summarize", "topic", "ner"]
    private let poolSizes = ["summarize": 12000, "topic": 3000, "ner": 500]

    private func pool(_ range: Range<Int>) -> [Int64] { range.map(Int64.init) }

    // MARK: - plan

    /// Default total = Σ min(n, cap) = 5000 + 3000 + 500 = 8500; at those shares every task
    /// gets exactly its capped size.
    func testPlanDefaultTotalIsSumOfCappedSizes() throws {
        let plans = try Mixer(spec: MixSpec(tasks: tasks, strategy: .proportional(cap: 5000))).plan(poolSizes: poolSizes)
        XCTAssertEqual(plans.map(\.task), tasks)
        XCTAssertEqual(plans.map(\.poolSize), [12000, 3000, 500])
        XCTAssertEqual(plans.map(\.count), [5000, 3000, 500])
        XCTAssertEqual(plans.map(\.count).reduce(0, +), 8500)
        XCTAssertEqual(plans[0].achievedShare, 5000.0 / 8500, accuracy: 1e-12)
        XCTAssertEqual(plans[0].epochs, 5000.0 / 12000, accuracy: 1e-12)
    }

    /// T = 2, cap 5000, default total 8500: 8500 × (0.478280, 0.370474, 0.151245)
    /// ≈ 4065.38, 3149.03, 1285.59 → floors 4065, 3149, 1285 (8499); the one left goes to the
    /// largest remainder (.59, ner) → 4065, 3149, 1286. ner's 1286 > 500 means ~2.57 epochs.
    func testPlanTemperatureCounts() throws {
        let plans = try Mixer(spec: MixSpec(tasks: tasks, strategy: .temperature(2, cap: 5000))).plan(poolSizes: poolSizes)
        XCTAssertEqual(plans.map(\.count), [4065, 3149, 1286])
        XCTAssertEqual(plans[2].epochs, 1286.0 / 500, accuracy: 1e-12)
    }

    /// Uncapped strategies default to the pools' full sizes: 12000 + 3000 + 500 = 15500.
    /// Equal: 15500 / 3 = 5166.67 each → 5167, 5167, 5166 (remainders tie, earlier tasks first).
    func testPlanEqualDefaultTotal() throws {
        let plans = try Mixer(spec: MixSpec(tasks: tasks, strategy: .equal)).plan(poolSizes: poolSizes)
        XCTAssertEqual(plans.map(\.count), [5167, 5167, 5166])
    }

    /// Weights 2 : 1 : 1 of an explicit total of 100 → 50, 25, 25.
    func testPlanWeightsWithExplicitTotal() throws {
        let spec = MixSpec(tasks: tasks, strategy: .weights(["summarize": 2, "topic": 1, "ner": 1]), total: 100)
        let plans = try Mixer(spec: spec).plan(poolSizes: poolSizes)
        XCTAssertEqual(plans.map(\.count), [50, 25, 25])
        XCTAssertEqual(plans.map(\.requestedShare), [0.5, 0.25, 0.25])
        XCTAssertEqual(plans.map(\.achievedShare), [0.5, 0.25, 0.25])
    }

    // MARK: - mix

    /// A pool of 3 asked for 10: three full passes and one more example, so epochs
    /// 0,0,0,1,1,1,2,2,2,3 — counts per epoch 3,3,3,1 — and each example 3 or 4 times.
    func testUpsamplingRecordsEpochs() throws {
        let mixture = try Mixer(spec: MixSpec(tasks: ["tiny"], strategy: .equal, total: 10, seed: 1)).mix(pools: ["tiny": [7, 8, 9]])
        XCTAssertEqual(mixture.entries.count, 10)
        var perEpoch: [Int: [Int64]] = [:]
        for e in mixture.entries { perEpoch[e.epoch, default: []].append(e.exampleID) }
        XCTAssertEqual(perEpoch.keys.sorted(), [0, 1, 2, 3])
        XCTAssertEqual(perEpoch.keys.sorted().map { perEpoch[$0]!.count }, [3, 3, 3, 1])
        for epoch in 0...2 { XCTAssertEqual(perEpoch[epoch]!.sorted(), [7, 8, 9], "epoch \(epoch) is one full pass") }
        var times: [Int64: Int] = [:]
        for e in mixture.entries { times[e.exampleID, default: 0] += 1 }
        XCTAssertEqual(times.values.sorted(), [3, 3, 4])
        XCTAssertEqual(mixture.plans[0].count, 10)
        XCTAssertEqual(mixture.plans[0].epochs, 10.0 / 3, accuracy: 1e-12)
        XCTAssertTrue(mixture.entries.allSatisfy { $0.task == "tiny" })
    }

    /// Downsampling draws without replacement: 4 distinct examples of 10, all from epoch 0.
    func testDownsamplingIsWithoutReplacement() throws {
        let spec = MixSpec(tasks: ["a", "b"], strategy: .equal, total: 8, seed: 3)
        let mixture = try Mixer(spec: spec).mix(pools: ["a": pool(0..<10), "b": pool(100..<110)])
        let a = mixture.entries.filter { $0.task == "a" }
        XCTAssertEqual(a.count, 4)
        XCTAssertEqual(Set(a.map(\.exampleID)).count, 4)
        XCTAssertTrue(a.allSatisfy { (0..<10).contains($0.exampleID) && $0.epoch == 0 })
        XCTAssertTrue(mixture.entries.filter { $0.task == "b" }.allSatisfy { (100..<110).contains($0.exampleID) })
    }

    func testSameSpecAndSeedGiveIdenticalEntries() throws {
        let pools = ["a": pool(0..<50), "b": pool(100..<130), "c": pool(200..<205)]
        let spec = MixSpec(tasks: ["a", "b", "c"], strategy: .temperature(2, cap: 40), seed: 42)
        let first = try Mixer(spec: spec).mix(pools: pools)
        let second = try Mixer(spec: spec).mix(pools: pools)
        XCTAssertEqual(first.entries, second.entries)
        XCTAssertEqual(first.plans, second.plans)

        var other = spec
        other.seed = 43
        let reseeded = try Mixer(spec: other).mix(pools: pools)
        XCTAssertEqual(reseeded.plans, first.plans, "the seed changes choices and order, not counts")
        XCTAssertNotEqual(reseeded.entries, first.entries)
        XCTAssertNotEqual(reseeded.entries.map(\.task), first.entries.map(\.task), "interleaving order should change too")
    }

    /// Tasks do not interleave in blocks: with two equal tasks, the order mixes them.
    func testEntriesAreInterleaved() throws {
        let spec = MixSpec(tasks: ["a", "b"], strategy: .equal, total: 40, seed: 0)
        let tasksInOrder = try Mixer(spec: spec).mix(pools: ["a": pool(0..<20), "b": pool(20..<40)]).entries.map(\.task)
        XCTAssertNotEqual(tasksInOrder, Array(repeating: "a", count: 20) + Array(repeating: "b", count: 20))
        XCTAssertEqual(tasksInOrder.filter { $0 == "a" }.count, 20)
    }

    /// Each task draws from its own seeded stream, so which examples a task gets does not
    /// depend on another task's pool.
    func testTaskSelectionIndependentOfOtherPools() throws {
        let spec = MixSpec(tasks: ["a", "b"], strategy: .weights(["a": 1, "b": 1]), total: 20, seed: 11)
        let one = try Mixer(spec: spec).mix(pools: ["a": pool(0..<30), "b": pool(100..<130)])
        let two = try Mixer(spec: spec).mix(pools: ["a": pool(0..<30), "b": pool(500..<590)])
        let chosen = { (m: Mixture) in m.entries.filter { $0.task == "a" }.map(\.exampleID).sorted() }
        XCTAssertEqual(chosen(one), chosen(two))
    }

    // MARK: - errors

    func testEmptyPoolNamesTheTask() {
        let mixer = Mixer(spec: MixSpec(tasks: ["summarize", "ner"], strategy: .equal))
        XCTAssertThrowsError(try mixer.mix(pools: ["summarize": [1, 2], "ner": []])) { error in
            XCTAssertTrue("\(error)".contains("task 'ner' has no training examples"), "\(error)")
        }
        XCTAssertThrowsError(try mixer.plan(poolSizes: ["summarize": 2])) { error in
            XCTAssertTrue("\(error)".contains("'ner'"), "a task missing from the pools is empty too: \(error)")
        }
    }

    func testWeightsMissingATaskNamesIt() {
        let spec = MixSpec(tasks: ["summarize", "topic", "ner"], strategy: .weights(["summarize": 1, "ner": 0]))
        XCTAssertThrowsError(try Mixer(spec: spec).plan(poolSizes: poolSizes)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("no positive weight for topic, ner"), message)
            XCTAssertFalse(message.contains("weight for summarize"), message)
        }
    }

    // MARK: - spec JSON

    func testSpecJSONKeyOrderAndValues() {
        let spec = MixSpec(tasks: ["b", "a"], strategy: .temperature(2, cap: 5000), total: nil, seed: 7)
        XCTAssertEqual(spec.json.text(),
                       #"{"tasks":["b","a"],"strategy":{"name":"temperature","temperature":2.0,"cap":5000},"total":null,"seed":7}"#)
        let weighted = MixSpec(tasks: ["b", "a"], strategy: .weights(["a": 0.25, "b": 3]), total: 10)
        XCTAssertEqual(weighted.json.text(),
                       #"{"tasks":["b","a"],"strategy":{"name":"weights","weights":{"b":3.0,"a":0.25}},"total":10,"seed":0}"#)
    }
}
