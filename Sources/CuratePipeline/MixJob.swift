import CurateCore
import CurateMix
import CurateStore

/// Mix wiring: training pools from the store → mixture → stored under a name.
public struct MixJob: Sendable {
    public var name: String
    public var spec: MixSpec
    public var replace: Bool

    public init(name: String, spec: MixSpec, replace: Bool = false) {
        self.name = name
        self.spec = spec
        self.replace = replace
    }

    /// The plan without drawing or storing anything (`--dry-run`).
    public func plan(store: Store) throws -> [TaskPlan] {
        try Mixer(spec: spec).plan(poolSizes: try store.examplePools(tasks: spec.tasks, split: .train).mapValues(\.count))
    }

    public func run(store: Store, runID: String) throws -> Mixture {
        let mixture = try Mixer(spec: spec).mix(pools: try store.examplePools(tasks: spec.tasks, split: .train))
        try store.saveMixture(name: name, spec: spec.json, report: .array(mixture.plans.map(\.json)),
                              entries: mixture.entries.map { ($0.exampleID, $0.epoch) }, runID: runID, replace: replace)
        return mixture
    }
}
