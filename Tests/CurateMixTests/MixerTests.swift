import CurateCore
import CurateMix
import XCTest

final class MixerTests: XCTestCase {
    private let tasks = ["summarize", "topic", "ner"]
    private var sized: [String: [String: [PoolItem]]] { pools(["summarize": 0..<12000, "topic": 20000..<23000, "ner": 30000..<30500]) }

    // MARK: - counts

    /// Default total = Σ min(n, cap) = 5000 + 3000 + 500 = 8500; at those shares every task
    /// gets exactly its capped size.
    func testDefaultTotalIsSumOfCappedSizes() throws {
        let mixture = try Mixer(spec: MixSpec(tasks: tasks, strategy: .proportional(cap: 5000))).mix(pools: sized)
        XCTAssertEqual(mixture.counts(tasks), [5000, 3000, 500])
        XCTAssertEqual(mixture.report.total, 8500)
        XCTAssertEqual(mixture.line("summarize")?.poolSize, 12000)
        XCTAssertEqual(try XCTUnwrap(mixture.line("summarize")).achievedShare, 5000.0 / 8500, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(mixture.line("summarize")).epochs, 5000.0 / 12000, accuracy: 1e-12)
    }

    /// T = 2, cap 5000, default total 8500: 8500 × (0.478280, 0.370474, 0.151245)
    /// ≈ 4065.38, 3149.03, 1285.59 → floors 4065, 3149, 1285 (8499); the one left goes to the
    /// largest remainder (.59, ner) → 4065, 3149, 1286. ner's 1286 > 500 means ~2.57 epochs.
    func testTemperatureCountsAndUpsampling() throws {
        let mixture = try Mixer(spec: MixSpec(tasks: tasks, strategy: .temperature(2, cap: 5000))).mix(pools: sized)
        XCTAssertEqual(mixture.counts(tasks), [4065, 3149, 1286])
        XCTAssertEqual(try XCTUnwrap(mixture.line("ner")).epochs, 1286.0 / 500, accuracy: 1e-12)
        XCTAssertEqual(Set(mixture.entries.filter { $0.example.task == "ner" }.map(\.epoch)), [0, 1, 2])
    }

    /// Uncapped strategies default to the pools' full sizes: 12000 + 3000 + 500 = 15500.
    /// Equal: 15500 / 3 = 5166.67 each → 5167, 5167, 5166 (remainders tie, earlier tasks first).
    func testEqualDefaultTotal() throws {
        let mixture = try Mixer(spec: MixSpec(tasks: tasks, strategy: .equal)).mix(pools: sized)
        XCTAssertEqual(mixture.counts(tasks), [5167, 5167, 5166])
    }

    /// Weights 2 : 1 : 1 of an explicit total of 100 → 50, 25, 25.
    func testWeightsWithExplicitTotal() throws {
        let spec = MixSpec(tasks: tasks, strategy: .weights(["summarize": 2, "topic": 1, "ner": 1]), total: 100)
        let mixture = try Mixer(spec: spec).mix(pools: sized)
        XCTAssertEqual(mixture.counts(tasks), [50, 25, 25])
        XCTAssertEqual(tasks.map { mixture.line($0)!.requestedShare }, [0.5, 0.25, 0.25])
        XCTAssertEqual(tasks.map { mixture.line($0)!.achievedShare }, [0.5, 0.25, 0.25])
    }

    // MARK: - datasets within a task

    /// summarize = dialogsum 300 + samsum 100. Without weights the datasets share the task's
    /// count by pool size: 200 × (3/4, 1/4) = 150, 50. With weights dialogsum 1, samsum 3:
    /// 200 × (1/4, 3/4) = 50, 150 — samsum's 100 upsampled to 1.5 epochs.
    func testDatasetsShareATaskByPoolOrByWeights() throws {
        let twoSources = pools(["summarize": ["dialogsum": 0..<300, "samsum": 1000..<1100]])
        let proportional = try Mixer(spec: MixSpec(tasks: ["summarize"], strategy: .equal, total: 200)).mix(pools: twoSources)
        XCTAssertEqual(proportional.line("summarize", "dialogsum")?.count, 150)
        XCTAssertEqual(proportional.line("summarize", "samsum")?.count, 50)
        XCTAssertEqual(proportional.line("summarize")?.poolSize, 400)

        let spec = MixSpec(components: [.task("summarize", datasets: ["dialogsum": 1, "samsum": 3])], strategy: .equal, total: 200)
        let weighted = try Mixer(spec: spec).mix(pools: twoSources)
        let samsum = try XCTUnwrap(weighted.line("summarize", "samsum"))
        XCTAssertEqual(weighted.line("summarize", "dialogsum")?.count, 50)
        XCTAssertEqual(samsum.count, 150)
        XCTAssertEqual(samsum.requestedShare, 0.75, accuracy: 1e-12)
        XCTAssertEqual(samsum.epochs, 1.5, accuracy: 1e-12)
        XCTAssertTrue(weighted.entries.filter { $0.example.dataset == "samsum" }.allSatisfy { (1000..<1100).contains($0.example.conversationID) })
    }

    /// A dataset weighed at 0 is left out, and its pool does not count towards the task's size.
    func testAZeroWeightLeavesADatasetOut() throws {
        let spec = MixSpec(components: [.task("s", datasets: ["a": 1, "b": 0])], strategy: .proportional(cap: nil))
        let mixture = try Mixer(spec: spec).mix(pools: pools(["s": ["a": 0..<30, "b": 100..<200]]))
        XCTAssertEqual(mixture.report.total, 30)
        XCTAssertNil(mixture.line("s", "b"))
    }

    // MARK: - nested mixtures

    /// Root: weights dialogue 3 : ner 1 over a total of 400 → dialogue 300, ner 100. Inside
    /// dialogue, proportional with cap 100 over summarize 500 and topic 50: 100 : 50 →
    /// 300 × (2/3, 1/3) = 200, 100 (topic's 50 upsampled to 2 epochs). Requested shares multiply
    /// down the tree: summarize 3/4 × 2/3 = 1/2, topic 3/4 × 1/3 = 1/4.
    func testNestedMixtureMultipliesShares() throws {
        let spec = MixSpec(components: [
            .mixture(name: "dialogue", strategy: .proportional(cap: 100), components: [.task("summarize", datasets: nil), .task("topic", datasets: nil)]),
            .task("ner", datasets: nil),
        ], strategy: .weights(["dialogue": 3, "ner": 1]), total: 400)
        let mixture = try Mixer(spec: spec).mix(pools: pools(["summarize": 0..<500, "topic": 1000..<1050, "ner": 2000..<2300]))
        XCTAssertEqual(mixture.counts(["summarize", "topic", "ner"]), [200, 100, 100])
        XCTAssertEqual(try XCTUnwrap(mixture.line("summarize")).requestedShare, 0.5, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(mixture.line("topic")).requestedShare, 0.25, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(mixture.line("topic")).epochs, 2, accuracy: 1e-12)
        XCTAssertEqual(spec.tasks, ["summarize", "topic", "ner"])
    }

    /// A nested mixture's size for proportional rates is its components' capped sizes added
    /// up: inner cap 100 over 500 and 50 → 150; root proportional over inner 150 and ner 300
    /// → 1/3, 2/3 of the default total 450.
    func testNestedMixtureSizeIsItsCappedSizes() throws {
        let spec = MixSpec(components: [
            .mixture(name: "dialogue", strategy: .proportional(cap: 100), components: [.task("summarize", datasets: nil), .task("topic", datasets: nil)]),
            .task("ner", datasets: nil),
        ], strategy: .proportional(cap: nil))
        let mixture = try Mixer(spec: spec).mix(pools: pools(["summarize": 0..<500, "topic": 1000..<1050, "ner": 2000..<2300]))
        XCTAssertEqual(mixture.report.total, 450)
        XCTAssertEqual(mixture.counts(["summarize", "topic", "ner"]), [100, 50, 300])
    }

    // MARK: - drawing

    /// A pool of 3 asked for 10: three full passes and one more example, so epochs
    /// 0,0,0,1,1,1,2,2,2,3 — counts per epoch 3,3,3,1 — and each example 3 or 4 times.
    func testUpsamplingRecordsEpochs() throws {
        let mixture = try Mixer(spec: MixSpec(tasks: ["tiny"], strategy: .equal, total: 10, seed: 1)).mix(pools: pools(["tiny": 7..<10]))
        XCTAssertEqual(mixture.entries.count, 10)
        var perEpoch: [Int: [Int64]] = [:]
        for e in mixture.entries { perEpoch[e.epoch, default: []].append(e.example.exampleID) }
        XCTAssertEqual(perEpoch.keys.sorted().map { perEpoch[$0]!.count }, [3, 3, 3, 1])
        for epoch in 0...2 { XCTAssertEqual(perEpoch[epoch]!.sorted(), [7, 8, 9], "epoch \(epoch) is one full pass") }
        XCTAssertEqual(try XCTUnwrap(mixture.line("tiny")).epochs, 10.0 / 3, accuracy: 1e-12)
    }

    /// Downsampling draws without replacement: 4 distinct examples of 10, all from epoch 0.
    func testDownsamplingIsWithoutReplacement() throws {
        let mixture = try Mixer(spec: MixSpec(tasks: ["a", "b"], strategy: .equal, total: 8, seed: 3)).mix(pools: pools(["a": 0..<10, "b": 100..<110]))
        let a = mixture.entries.filter { $0.example.conversationID < 100 }
        XCTAssertEqual(a.count, 4)
        XCTAssertEqual(Set(a.map(\.example.exampleID)).count, 4)
        XCTAssertTrue(a.allSatisfy { $0.epoch == 0 })
    }

    func testSameSpecAndSeedGiveIdenticalEntries() throws {
        let p = pools(["a": 0..<50, "b": 100..<130, "c": 200..<205])
        let spec = MixSpec(tasks: ["a", "b", "c"], strategy: .temperature(2, cap: 40), seed: 42)
        let first = try Mixer(spec: spec).mix(pools: p)
        XCTAssertEqual(first.entries, try Mixer(spec: spec).mix(pools: p).entries)
        var other = spec
        other.seed = 43
        let reseeded = try Mixer(spec: other).mix(pools: p)
        XCTAssertEqual(reseeded.counts(["a", "b", "c"]), first.counts(["a", "b", "c"]), "the seed changes choices and order, not counts")
        XCTAssertNotEqual(reseeded.entries.map(\.example.exampleID), first.entries.map(\.example.exampleID))
    }

    /// Tasks do not come in blocks: with two equal tasks, the order mixes them.
    func testEntriesAreInterleaved() throws {
        let order = try Mixer(spec: MixSpec(tasks: ["a", "b"], strategy: .equal, total: 40)).mix(pools: pools(["a": 0..<20, "b": 20..<40]))
            .entries.map { $0.example.conversationID < 20 }
        XCTAssertNotEqual(order, Array(repeating: true, count: 20) + Array(repeating: false, count: 20))
        XCTAssertEqual(order.filter { $0 }.count, 20)
    }

    /// Each task draws from its own seeded stream, so which examples a task gets does not
    /// depend on another task's pool.
    func testTaskSelectionIndependentOfOtherPools() throws {
        let spec = MixSpec(tasks: ["a", "b"], strategy: .weights(["a": 1, "b": 1]), total: 20, seed: 11)
        let chosen = { (m: Mixture) in m.entries.map(\.example.exampleID).filter { $0 < 100 }.sorted() }
        XCTAssertEqual(chosen(try Mixer(spec: spec).mix(pools: pools(["a": 0..<30, "b": 100..<130]))),
                       chosen(try Mixer(spec: spec).mix(pools: pools(["a": 0..<30, "b": 500..<590]))))
    }

    // MARK: - variants

    /// 100 drawn questions, few-shot ratio 0.3 and options ratio 0.45: exactly 30 few-shot and
    /// 45 with options, each picked among the questions rendered in that form.
    func testVariantRatiosAreExact() throws {
        let spec = MixSpec(tasks: ["rating"], strategy: .equal, total: 100, seed: 5, fewShotRatio: 0.3, optionsRatio: 0.45)
        let mixture = try Mixer(spec: spec).mix(pools: pools(["rating": ["yelp": 0..<100]], fewShot: true, options: true))
        let line = try XCTUnwrap(mixture.line("rating"))
        XCTAssertEqual(line.fewShot, 30)
        XCTAssertEqual(line.withOptions, 45)
        XCTAssertEqual(line.count - line.fewShot, 70)
        XCTAssertEqual(Set(mixture.entries.map(\.example.conversationID)).count, 100, "each question once, in one form")
        XCTAssertEqual(mixture.entries.filter { $0.example.variant.fewShot }.count, 30)
        XCTAssertTrue(mixture.entries.allSatisfy { Int($0.example.exampleID) % 100_000 == Int($0.example.conversationID) })
    }

    /// A task rendered without options (summarize) gets none, whatever the ratio: the report
    /// shows what was achieved.
    func testRatiosOnlyUseRenderedForms() throws {
        let spec = MixSpec(tasks: ["summarize"], strategy: .equal, total: 50, fewShotRatio: 0.5, optionsRatio: 0.5)
        let line = try XCTUnwrap(try Mixer(spec: spec).mix(pools: pools(["summarize": ["d": 0..<50]], fewShot: true)).line("summarize"))
        XCTAssertEqual(line.fewShot, 25)
        XCTAssertEqual(line.withOptions, 0)
    }

    func testReportCountsLengthsAndTemplates() throws {
        let mixture = try Mixer(spec: MixSpec(tasks: ["a"], strategy: .equal, total: 9)).mix(pools: pools(["a": 0..<9]))
        let line = try XCTUnwrap(mixture.line("a"))
        XCTAssertEqual(line.characters, 90)
        XCTAssertEqual(line.words, 18)
        XCTAssertEqual(line.templates, ["t0": 3, "t1": 3, "t2": 3])
        XCTAssertEqual(line.variants, [.zeroShot: 9])
    }

    // MARK: - errors

    func testEmptyPoolNamesTheTask() {
        let mixer = Mixer(spec: MixSpec(tasks: ["summarize", "ner"], strategy: .equal))
        XCTAssertThrowsError(try mixer.mix(pools: pools(["summarize": 0..<2]))) { error in
            XCTAssertTrue("\(error)".contains("task 'ner' has no training examples"), "\(error)")
        }
    }

    func testAWeighedDatasetTheTaskLacksIsNamed() {
        let spec = MixSpec(components: [.task("summarize", datasets: ["dialogsum": 1, "yelp": 1])], strategy: .equal)
        XCTAssertThrowsError(try Mixer(spec: spec).mix(pools: pools(["summarize": ["dialogsum": 0..<5]]))) { error in
            XCTAssertTrue("\(error)".contains("task 'summarize' has no training examples from dataset 'yelp' — its examples come from dialogsum"), "\(error)")
        }
    }

    func testWeightsMissingAComponentNamesIt() {
        let spec = MixSpec(tasks: tasks, strategy: .weights(["summarize": 1, "ner": 0]))
        XCTAssertThrowsError(try Mixer(spec: spec).mix(pools: sized)) { error in
            XCTAssertTrue("\(error)".contains("no positive weight for topic, ner"), "\(error)")
        }
    }

    func testATaskListedTwiceIsRefused() {
        let spec = MixSpec(components: [.task("a", datasets: nil), .mixture(name: "m", strategy: .equal, components: [.task("a", datasets: nil)])],
                           strategy: .equal)
        XCTAssertThrowsError(try Mixer(spec: spec).mix(pools: pools(["a": 0..<5]))) { XCTAssertTrue("\($0)".contains("task 'a' appears twice")) }
    }

    func testRatiosOutsideZeroToOneAreRefused() {
        let spec = MixSpec(tasks: ["a"], strategy: .equal, fewShotRatio: 1.5)
        XCTAssertThrowsError(try Mixer(spec: spec).mix(pools: pools(["a": 0..<5]))) { XCTAssertTrue("\($0)".contains("between 0 and 1")) }
    }

    // MARK: - spec JSON

    func testSpecJSONKeyOrderAndValues() {
        let spec = MixSpec(components: [.task("b", datasets: ["y": 1, "x": 2]),
                                        .mixture(name: "m", strategy: .equal, components: [.task("a", datasets: nil)])],
                           strategy: .temperature(2, cap: 5000), seed: 7, fewShotRatio: 0.25)
        XCTAssertEqual(spec.json.text(), #"{"tasks":["b","a"],"strategy":{"name":"temperature","temperature":2.0,"cap":5000},"#
            + #""components":[{"task":"b","datasets":{"x":2.0,"y":1.0}},{"mixture":"m","strategy":{"name":"equal"},"components":[{"task":"a"}]}],"#
            + #""total":null,"seed":7,"fewshot_ratio":0.25,"options_ratio":0.0}"#)
    }
}
