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

    /// The whole mixture, drawn but not stored (`--dry-run` prints its report). Progress is
    /// by step: pools read, mixture drawn (then stored, by `run`).
    public func draw(store: Store, progress: ProgressReporter = .silent) throws -> Mixture {
        progress.report("mix", 0, Self.steps)
        let pools = PoolItem.pools(try store.exampleSummaries(tasks: spec.tasks, split: .train))
        progress.report("mix", 1, Self.steps)
        let mixture = try Mixer(spec: spec).mix(pools: pools)
        progress.report("mix", 2, Self.steps)
        return mixture
    }

    static let steps = 3

    public func run(store: Store, runID: String, progress: ProgressReporter = .silent) throws -> Mixture {
        let mixture = try draw(store: store, progress: progress)
        progress.report("mix", 2, Self.steps)
        try store.saveMixture(name: name, spec: spec.json, report: mixture.report.json,
                              entries: mixture.entries.map { ($0.example.exampleID, $0.epoch) }, runID: runID, replace: replace)
        progress.finish("mix")
        return mixture
    }
}
