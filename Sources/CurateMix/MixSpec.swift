import CurateCore

/// One part of a mixture: a task, drawing on some or all of its datasets, or a nested
/// mixture (seqio's mixture of mixtures) with its own strategy over its own components.
public indirect enum MixComponent: Sendable, Equatable {
    /// A task. `datasets` weighs the datasets it draws from (normalized); nil draws on every
    /// dataset its pool has, in proportion to their sizes.
    case task(String, datasets: [String: Double]?)
    case mixture(name: String, strategy: MixingStrategy, components: [MixComponent])

    /// The name a parent's `weights` strategy refers to.
    public var name: String {
        switch self {
        case .task(let name, _): name
        case .mixture(let name, _, _): name
        }
    }

    /// Every task below this component, depth-first.
    public var tasks: [String] {
        switch self {
        case .task(let name, _): [name]
        case .mixture(_, _, let components): components.flatMap(\.tasks)
        }
    }

    var json: JSONValue {
        switch self {
        case .task(let name, let datasets):
            return .object([("task", .string(name))]
                + (datasets.map { w in [("datasets", .object(w.keys.sorted().map { ($0, .double(w[$0]!)) }))] } ?? []))
        case .mixture(let name, let strategy, let components):
            return .object([("mixture", .string(name)), ("strategy", strategy.json(names: components.map(\.name))),
                            ("components", .array(components.map(\.json)))])
        }
    }
}

/// What a mixture asks for: its components and how to weigh them, how many examples, which
/// share of them few-shot or with options listed, and the seed.
public struct MixSpec: Sendable, Equatable {
    public var components: [MixComponent]
    public var strategy: MixingStrategy
    /// Mixture size; nil means the components' capped sizes added up.
    public var total: Int?
    public var seed: UInt64
    /// The share of each task's examples asked in their few-shot form (where one was rendered).
    public var fewShotRatio: Double
    /// The share asked with the answer options listed (for tasks that have options).
    public var optionsRatio: Double

    public init(components: [MixComponent], strategy: MixingStrategy, total: Int? = nil, seed: UInt64 = 0,
                fewShotRatio: Double = 0, optionsRatio: Double = 0) {
        self.components = components
        self.strategy = strategy
        self.total = total
        self.seed = seed
        self.fewShotRatio = fewShotRatio
        self.optionsRatio = optionsRatio
    }

    /// A flat mixture of tasks, each drawing on all its datasets in proportion to their pools.
    public init(tasks: [String], strategy: MixingStrategy, total: Int? = nil, seed: UInt64 = 0,
                fewShotRatio: Double = 0, optionsRatio: Double = 0) {
        self.init(components: tasks.map { .task($0, datasets: nil) }, strategy: strategy, total: total, seed: seed,
                  fewShotRatio: fewShotRatio, optionsRatio: optionsRatio)
    }

    /// Every task of the mixture, depth-first, each once.
    public var tasks: [String] {
        components.flatMap(\.tasks).reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    /// The spec as stored and hashed into the manifest.
    public var json: JSONValue {
        .object([
            ("tasks", .array(tasks.map(JSONValue.string))),
            ("strategy", strategy.json(names: components.map(\.name))),
            ("components", .array(components.map(\.json))),
            ("total", total.map(JSONValue.int) ?? .null),
            ("seed", .unsigned(seed)),
            ("fewshot_ratio", .double(fewShotRatio)),
            ("options_ratio", .double(optionsRatio)),
        ])
    }
}

extension MixingStrategy {
    func json(names: [String]) -> JSONValue {
        var fields: [(String, JSONValue)] = [("name", .string(name))]
        switch self {
        case .proportional(let cap): fields.append(("cap", cap.map(JSONValue.int) ?? .null))
        case .temperature(let t, let cap):
            fields.append(("temperature", .double(t)))
            fields.append(("cap", cap.map(JSONValue.int) ?? .null))
        case .weights(let w): fields.append(("weights", .object(names.map { ($0, .double(w[$0] ?? 0)) })))
        case .equal: break
        }
        return .object(fields)
    }
}
