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
    case train(TrainJob, JSONValue)
}

extension Recipe {
    /// Runs the recipe's stages in data-flow order against `store`. Rejected records do not
    /// stop the run (unless a step is strict); the caller decides the exit status from the
    /// ingest counts.
    /// Lines worth showing as they come (a training step, a validation, a render note).
    public func run(store: Store, runID: String, progress: ProgressReporter = .silent,
                    say: @escaping @Sendable (String) -> Void = { _ in }, report: (StageReport) throws -> Void) throws {
        for job in ingest {
            try report(.ingest(job, try job.run(store: store, runID: runID, progress: progress)))
        }
        if let render {
            try report(.render(try render.run(store: store, runID: runID, progress: progress, log: say)))
        }
        if let mix {
            try report(.mix(mix, try mix.run(store: store, runID: runID, progress: progress)))
        }
        if let shard {
            try report(.shard(shard, try shard.run(store: store, progress: progress)))
        }
        if var train {
            // Train on the shards as written (`curate run --out` may have moved them).
            if let shard { train.shards = shard.output }
            try report(.train(train, try train.run(say: say)))
        }
    }
}
