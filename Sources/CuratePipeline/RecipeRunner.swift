import CurateCore
import CurateMix
import CurateStore
import Foundation

/// What each stage of a recipe run produced, handed to the caller as soon as the stage ends
/// so the command line can print it while the next stage runs.
public enum StageReport: Sendable {
    case ingest(IngestJob, IngestJob.Result)
    case render(RenderJob.Result)
    case mix(MixJob, Mixture)
    case shard(ShardJob, JSONValue)
}

extension Recipe {
    /// Runs the recipe's stages in data-flow order against `store`. Rejected records do not
    /// stop the run (unless a step is strict); the caller decides the exit status from the
    /// ingest counts.
    public func run(store: Store, runID: String, progress: ProgressReporter = .silent,
                    log: @escaping @Sendable (String) -> Void = { _ in }, report: (StageReport) throws -> Void) throws {
        for job in ingest {
            try report(.ingest(job, try job.run(store: store, runID: runID, progress: progress)))
        }
        if let render {
            try report(.render(try render.run(store: store, runID: runID, progress: progress, log: log)))
        }
        if let mix {
            try report(.mix(mix, try mix.run(store: store, runID: runID, progress: progress)))
        }
        if let shard {
            try report(.shard(shard, try shard.run(store: store, progress: progress)))
        }
    }
}
