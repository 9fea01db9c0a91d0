import CurateCore

/// One question a mixture can ask: a training conversation rendered by one template, with
/// the stored example of each variant it was rendered in. Mixing draws items, then picks
/// each drawn item's variant by the spec's ratios, so no question appears twice in one pass
/// in two forms.
public struct PoolItem: Sendable {
    public var conversationID: Int64
    public var templateID: String
    public var variants: [ExampleVariant: ExampleSummary]

    public init(conversationID: Int64, templateID: String, variants: [ExampleVariant: ExampleSummary]) {
        self.conversationID = conversationID
        self.templateID = templateID
        self.variants = variants
    }

    /// Groups example summaries into items, per task and dataset, in order of first example id
    /// (stable across runs).
    public static func pools(_ summaries: [ExampleSummary]) -> [String: [String: [PoolItem]]] {
        var index: [String: Int] = [:]
        var items: [(task: String, dataset: String, item: PoolItem)] = []
        for s in summaries {
            let key = "\(s.task)\u{1F}\(s.conversationID)\u{1F}\(s.templateID)"
            if let i = index[key] {
                items[i].item.variants[s.variant] = s
            } else {
                index[key] = items.count
                items.append((s.task, s.dataset, PoolItem(conversationID: s.conversationID, templateID: s.templateID, variants: [s.variant: s])))
            }
        }
        var pools: [String: [String: [PoolItem]]] = [:]
        for entry in items where entry.item.variants[.zeroShot] != nil { pools[entry.task, default: [:]][entry.dataset, default: []].append(entry.item) }
        return pools
    }
}

/// How many examples one task draws from one dataset, and the share of the whole mixture
/// that was asked of it (the product of the shares on its path through nested mixtures).
public struct LeafPlan: Sendable, Equatable {
    public var task: String
    public var dataset: String
    public var poolSize: Int
    public var requestedShare: Double
    public var count: Int
}

/// Apportions a mixture's total down its component tree to (task, dataset) leaves, with
/// seqio's rates at every level and largest-remainder rounding, so counts add up exactly.
struct MixPlanner {
    let spec: MixSpec
    /// Items per dataset per task.
    let sizes: [String: [String: Int]]

    func plan() throws -> [LeafPlan] {
        let all = spec.components.flatMap(\.tasks)
        if let repeated = all.first(where: { task in all.filter { $0 == task }.count > 1 }) {
            throw CurateError("task '\(repeated)' appears twice in the mixture — list each task once (weigh it where it is listed)")
        }
        try check(spec.components)
        let total = spec.total ?? spec.components.reduce(0) { $0 + spec.strategy.cappedSize(size(of: $1)) }
        return apportion(spec.components, strategy: spec.strategy, count: total, share: 1)
    }

    /// A component's size for proportional and temperature rates: a task's items over the
    /// datasets it draws on; a nested mixture's components' capped sizes added up.
    func size(of component: MixComponent) -> Int {
        switch component {
        case .task(let task, let weights):
            return datasets(of: task, weights).reduce(0) { $0 + (sizes[task]?[$1] ?? 0) }
        case .mixture(_, let strategy, let components):
            return components.reduce(0) { $0 + strategy.cappedSize(size(of: $1)) }
        }
    }

    private func datasets(of task: String, _ weights: [String: Double]?) -> [String] {
        let present = (sizes[task] ?? [:]).keys.sorted()
        guard let weights else { return present }
        return present.filter { (weights[$0] ?? 0) > 0 }
    }

    private func apportion(_ components: [MixComponent], strategy: MixingStrategy, count: Int, share: Double) -> [LeafPlan] {
        let rates = mixingRates(names: components.map(\.name), sizes: components.map(size(of:)), strategy: strategy)
        let counts = CurateMix.apportion(total: count, shares: rates)
        return components.indices.flatMap { i -> [LeafPlan] in
            switch components[i] {
            case .task(let task, let weights):
                let names = datasets(of: task, weights)
                let datasetShares = weights.map { w in normalized(names.map { w[$0]! }) }
                    ?? normalized(names.map { Double(sizes[task]![$0]!) })
                let datasetCounts = CurateMix.apportion(total: counts[i], shares: datasetShares)
                return names.indices.map { j in
                    LeafPlan(task: task, dataset: names[j], poolSize: sizes[task]![names[j]]!,
                             requestedShare: share * rates[i] * datasetShares[j], count: datasetCounts[j])
                }
            case .mixture(_, let inner, let children):
                return apportion(children, strategy: inner, count: counts[i], share: share * rates[i])
            }
        }
    }

    /// Every task has examples, every weighed dataset exists for its task, every weights
    /// strategy weighs every component — each failure says what to do.
    private func check(_ components: [MixComponent], strategy: MixingStrategy? = nil) throws {
        let strategy = strategy ?? spec.strategy
        if case .weights(let w) = strategy {
            let missing = components.map(\.name).filter { (w[$0] ?? 0) <= 0 }
            guard missing.isEmpty else {
                throw CurateError("no positive weight for \(missing.joined(separator: ", ")) — give every component a weight, e.g. --weights \(components.map { "\($0.name)=1" }.joined(separator: ","))")
            }
        }
        for component in components {
            switch component {
            case .task(let task, let weights):
                guard let pools = sizes[task], !pools.isEmpty else {
                    throw CurateError("task '\(task)' has no training examples — run `curate render --tasks \(task)` first, and check that the train split's conversations carry what its templates need (render prints why it skipped conversations)")
                }
                if let weights {
                    if let unknown = weights.keys.sorted().first(where: { pools[$0] == nil }) {
                        throw CurateError("task '\(task)' has no training examples from dataset '\(unknown)' — its examples come from \(pools.keys.sorted().joined(separator: ", ")); check the name, or that '\(unknown)' carries what \(task)'s templates need (render prints why it skipped conversations)")
                    }
                    guard weights.values.contains(where: { $0 > 0 }) else {
                        throw CurateError("task '\(task)' draws on no dataset with a positive weight — weigh one of \(pools.keys.sorted().joined(separator: ", "))")
                    }
                }
            case .mixture(_, let inner, let children):
                guard !children.isEmpty else { throw CurateError("mixture '\(component.name)' has no components — list its tasks") }
                try check(children, strategy: inner)
            }
        }
    }

    private func normalized(_ values: [Double]) -> [Double] {
        let sum = values.reduce(0, +)
        return sum > 0 ? values.map { $0 / sum } : values
    }
}
