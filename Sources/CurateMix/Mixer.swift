import CurateCore

/// What a mixture asks for: tasks, how to weigh them, how many examples, which seed.
public struct MixSpec: Sendable, Equatable {
    public var tasks: [String]
    public var strategy: MixingStrategy
    /// Mixture size; nil means the pools' capped sizes added up.
    public var total: Int?
    public var seed: UInt64

    public init(tasks: [String], strategy: MixingStrategy, total: Int? = nil, seed: UInt64 = 0) {
        self.tasks = tasks
        self.strategy = strategy
        self.total = total
        self.seed = seed
    }

    /// The spec as stored and hashed into the manifest.
    public var json: JSONValue {
        var strategyFields: [(String, JSONValue)] = [("name", .string(strategy.name))]
        switch strategy {
        case .proportional(let cap): strategyFields.append(("cap", cap.map(JSONValue.int) ?? .null))
        case .temperature(let t, let cap):
            strategyFields.append(("temperature", .double(t)))
            strategyFields.append(("cap", cap.map(JSONValue.int) ?? .null))
        case .weights(let w): strategyFields.append(("weights", .object(tasks.map { ($0, .double(w[$0] ?? 0)) })))
        case .equal: break
        }
        return .object([
            ("tasks", .array(tasks.map(JSONValue.string))),
            ("strategy", .object(strategyFields)),
            ("total", total.map(JSONValue.int) ?? .null),
            ("seed", .unsigned(seed)),
        ])
    }
}

/// One task's line in a mixture: how big its pool was, what share it was asked for and got,
/// and how many passes over its pool that took (> 1 means it was upsampled).
public struct TaskPlan: Sendable, Equatable {
    public var task: String
    public var poolSize: Int
    public var requestedShare: Double
    public var count: Int
    public var achievedShare: Double
    public var epochs: Double { poolSize > 0 ? Double(count) / Double(poolSize) : 0 }

    public var json: JSONValue {
        .object([("task", .string(task)), ("pool", .int(poolSize)), ("requested_share", .double(requestedShare)),
                 ("achieved_share", .double(achievedShare)), ("examples", .int(count)), ("epochs", .double(epochs))])
    }
}

/// A mixture: example ids in training order, each with the pass over its pool it came from.
public struct Mixture: Sendable {
    public struct Entry: Sendable, Equatable {
        public var exampleID: Int64
        public var task: String
        public var epoch: Int
    }

    public var plans: [TaskPlan]
    public var entries: [Entry]
}

/// The mix stage: per-task pools + spec → a seeded, ordered mixture. A pure function of its
/// inputs; the seed drives every choice through `SeededRandom` streams named per task.
public struct Mixer: Sendable {
    public let spec: MixSpec

    public init(spec: MixSpec) { self.spec = spec }

    /// Shares and counts only, without choosing examples (what `--dry-run` prints).
    public func plan(poolSizes: [String: Int]) throws -> [TaskPlan] {
        if let empty = spec.tasks.first(where: { (poolSizes[$0] ?? 0) == 0 }) {
            throw CurateError("task '\(empty)' has no training examples — run `curate render --tasks \(empty)` first, and check that the train split's conversations carry what its templates need")
        }
        if case .weights(let w) = spec.strategy {
            let missing = spec.tasks.filter { (w[$0] ?? 0) <= 0 }
            guard missing.isEmpty else {
                throw CurateError("no positive weight for \(missing.joined(separator: ", ")) — give every task a weight, e.g. --weights \(spec.tasks.map { "\($0)=1" }.joined(separator: ","))")
            }
        }
        let shares = mixingRates(tasks: spec.tasks, poolSizes: poolSizes, strategy: spec.strategy)
        let total = spec.total ?? spec.tasks.reduce(0) { $0 + spec.strategy.cappedSize(poolSizes[$1]!) }
        let counts = apportion(total: total, shares: shares)
        return spec.tasks.indices.map { i in
            TaskPlan(task: spec.tasks[i], poolSize: poolSizes[spec.tasks[i]]!, requestedShare: shares[i], count: counts[i],
                     achievedShare: total > 0 ? Double(counts[i]) / Double(total) : 0)
        }
    }

    /// Draws each task's count from its pool — without replacement while the pool lasts, then
    /// in further shuffled passes (epochs) — and interleaves all tasks in one seeded order.
    public func mix(pools: [String: [Int64]]) throws -> Mixture {
        let plans = try plan(poolSizes: pools.mapValues(\.count))
        var entries: [Mixture.Entry] = []
        for plan in plans {
            var generator = SeededRandom(seed: spec.seed, stream: "mix|\(plan.task)")
            let pool = pools[plan.task]!
            var epoch = 0
            var remaining = plan.count
            while remaining > 0 {
                var pass = pool
                generator.shuffle(&pass)
                for id in pass.prefix(remaining) { entries.append(.init(exampleID: id, task: plan.task, epoch: epoch)) }
                remaining -= min(remaining, pass.count)
                epoch += 1
            }
        }
        var order = SeededRandom(seed: spec.seed, stream: "mix|order")
        order.shuffle(&entries)
        return Mixture(plans: plans, entries: entries)
    }
}
