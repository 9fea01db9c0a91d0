import ArgumentParser
import CurateCore
import CuratePipeline
import CurateStore
import Foundation

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a whole pipeline from a YAML recipe.",
        discussion: """
            A recipe names the ingest steps (files, preset, split), the tasks to render, the \
            mixture, the shard output and, optionally, a train: step that fine-tunes on the \
            shards (a finished run of the same settings is kept, an unfinished one resumed). \
            Paths in it resolve against the recipe's folder, so it runs from any working \
            directory. The store is the recipe's `store:` unless --store is given.

            Exit status: 0 when everything was stored, or when rejected records stay at or \
            under --max-reject-rate (or the recipe's max_reject_rate); 3 when more were \
            rejected (the rest of the pipeline still ran); 1 on an error.

            Examples:
              curate run recipes/demo.yaml
              curate run recipes/demo.yaml --skip-train
              curate run recipes/dialogsum.yaml --store /tmp/dialogsum.db --out /tmp/dialogsum-shards
              curate run recipes/dialogsum.yaml --max-reject-rate 0.001 && echo ready to train
            """)

    @Argument(help: ArgumentHelp("The recipe file.", valueName: "RECIPE"))
    var recipe: String

    @Option(name: .long, help: ArgumentHelp("The SQLite store (default: the recipe's store:, else curate.db).", valueName: "PATH"))
    var store: String?

    @Option(help: ArgumentHelp("Write the shards here instead of the recipe's shard.out.", valueName: "DIR"))
    var out: String?

    @Flag(help: "Run every stage but the recipe's train: step.")
    var skipTrain = false

    @OptionGroup var rejectRate: RejectRateOption

    func run() throws {
        try reportingErrors {
            var recipe = try Recipe(contentsOf: URL(fileURLWithPath: self.recipe))
            if let out { recipe.shard?.output = URL(fileURLWithPath: out) }
            if skipTrain { recipe.train = nil }
            let store = try Store(path: self.store ?? recipe.store ?? "curate.db")
            var rejected = 0, read = 0
            print("recipe '\(recipe.name)' (seed \(recipe.seed), store \(store.path))\n")
            try withRun(store, command: "run") { runID in
                try recipe.run(store: store, runID: runID, progress: Console.progress, say: { print($0); fflush(stdout) }) { report in
                    switch report {
                    case .ingest(let job, let result):
                        Reports.printIngest(job, result)
                        rejected += result.total.rejected
                        read += result.total.read
                    case .render(let result): Reports.printRender(result)
                    case .mix(let job, let mixture): Reports.printMixture(name: job.name, mixture.report, dryRun: false)
                    case .shard(let job, let manifest): Reports.printShard(job, manifest)
                    case .train: break  // its lines were printed as it ran
                    }
                    print("")
                }
                return (rejected > 0 ? "rejects" : "ok", .object([("rejected", .int(rejected))]))
            }
            if rejected > 0 {
                let limit = rejectRate.maxRejectRate ?? recipe.maxRejectRate
                let rate = Console.percent(RejectRateOption.rate(rejected: rejected, read: read))
                guard RejectRateOption.exceeded(rejected: rejected, read: read, limit: limit) else {
                    Console.error("\(rejected) of \(read) records were rejected (\(rate), within max_reject_rate \(limit!)); see the rejects table (`curate stats`)")
                    return
                }
                Console.error("\(rejected) of \(read) records were rejected (\(rate)\(limit.map { ", over max_reject_rate \($0)" } ?? "")); see the rejects table (`curate stats`) — the rest of the pipeline ran")
                throw ExitStatus.rejects
            }
        }
    }
}
