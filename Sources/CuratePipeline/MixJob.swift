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

    /// The whole mixture, drawn but not stored (`--dry-run` prints its report).
    public func draw(store: Store) throws -> Mixture {
        try Mixer(spec: spec).mix(pools: PoolItem.pools(try store.exampleSummaries(tasks: spec.tasks, split: .train)))
    }

    public func run(store: Store, runID: String) throws -> Mixture {
        let mixture = try draw(store: store)
        try store.saveMixture(name: name, spec: spec.json, report: mixture.report.json,
                              entries: mixture.entries.map { ($0.example.exampleID, $0.epoch) }, runID: runID, replace: replace)
        return mixture
    }
}
