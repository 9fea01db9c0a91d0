import CurateCore

/// A mixture: examples in training order, each with where it came from and the pass over its
/// pool it was drawn in, plus the report of what was asked and what was achieved.
public struct Mixture: Sendable {
    public struct Entry: Sendable, Equatable {
        public var example: ExampleSummary
        /// 0 for the first pass over a (task, dataset) pool, 1+ when the pool was upsampled.
        public var epoch: Int
    }

    public var report: MixReport
    public var entries: [Entry]
}

/// The mix stage: pools + spec → a seeded, ordered mixture. A pure function of its inputs;
/// the seed drives every choice through `SeededRandom` streams named per task and dataset, so
/// changing one task's pool does not reshuffle another's.
public struct Mixer: Sendable {
    public let spec: MixSpec

    public init(spec: MixSpec) { self.spec = spec }

    /// Draws every (task, dataset) leaf's count from its pool — without replacement while the
    /// pool lasts, then in further shuffled passes (epochs) — picks each drawn question's
    /// variant by the few-shot and options ratios, and interleaves everything in one seeded order.
    public func mix(pools: [String: [String: [PoolItem]]]) throws -> Mixture {
        guard (0...1).contains(spec.fewShotRatio), (0...1).contains(spec.optionsRatio) else {
            throw CurateError("--fewshot-ratio and --options-ratio are shares between 0 and 1 (got \(spec.fewShotRatio) and \(spec.optionsRatio))")
        }
        let sizes = pools.filter { spec.tasks.contains($0.key) }.mapValues { $0.mapValues(\.count) }
        let plans = try MixPlanner(spec: spec, sizes: sizes).plan()
        var entries: [Mixture.Entry] = []
        for plan in plans {
            let drawn = draw(plan, from: pools[plan.task]![plan.dataset]!)
            let variants = chooseVariants(drawn.map(\.item), plan: plan)
            for (index, (item, epoch)) in drawn.enumerated() {
                entries.append(.init(example: item.variants[variants[index]]!, epoch: epoch))
            }
        }
        let report = MixReport(spec: spec, plans: plans, entries: entries)
        var order = SeededRandom(seed: spec.seed, stream: "mix|order")
        order.shuffle(&entries)
        return Mixture(report: report, entries: entries)
    }

    private func draw(_ plan: LeafPlan, from pool: [PoolItem]) -> [(item: PoolItem, epoch: Int)] {
        var generator = SeededRandom(seed: spec.seed, stream: "mix|\(plan.task)|\(plan.dataset)")
        var drawn: [(PoolItem, Int)] = []
        var epoch = 0
        while drawn.count < plan.count {
            var pass = pool
            generator.shuffle(&pass)
            drawn += pass.prefix(plan.count - drawn.count).map { ($0, epoch) }
            epoch += 1
        }
        return drawn
    }

    /// Exactly round(n × ratio) of the drawn questions get the few-shot form, then round(n ×
    /// ratio) the options form — each among those rendered in it, so a task without options
    /// or few-shot renders simply gets fewer (the report shows what was achieved).
    private func chooseVariants(_ items: [PoolItem], plan: LeafPlan) -> [ExampleVariant] {
        var variants = Array(repeating: ExampleVariant.zeroShot, count: items.count)
        let assign = { (label: String, ratio: Double, apply: (inout ExampleVariant) -> Void) in
            var eligible = items.indices.filter { i in
                var candidate = variants[i]
                apply(&candidate)
                return candidate != variants[i] && items[i].variants[candidate] != nil
            }
            var generator = SeededRandom(seed: spec.seed, stream: "mix|\(label)|\(plan.task)|\(plan.dataset)")
            generator.shuffle(&eligible)
            for i in eligible.prefix(Int((Double(items.count) * ratio).rounded())) { apply(&variants[i]) }
        }
        assign("few-shot", spec.fewShotRatio) { $0.fewShot = true }
        assign("options", spec.optionsRatio) { $0.options = true }
        return variants
    }
}
