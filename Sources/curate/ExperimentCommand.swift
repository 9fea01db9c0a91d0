import ArgumentParser
import CurateCore
import CuratePipeline
import CurateStore
import Foundation

struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Experiments that answer a question with curate's own stages.",
        subcommands: [Forgetting.self])

    struct Forgetting: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "forgetting",
            abstract: "What does fine-tuning on one task forget, and do multi-task data, LoRA or replay prevent it?",
            discussion: """
                Curates the recipe's sources into one store, mixes the target task alone \
                (single), every task equally (multi) and the target with 1%, 5%, 25% of the \
                others (replay), then trains and scores these arms on the same token budget, \
                seed and held-out examples:

                  base              the model zero-shot
                  lora-single       LoRA on the target task      full-single       every weight
                  lora-multi        LoRA on the mixture          full-multi        every weight
                  sequential        full-multi, then the target alone (skills learned, then lost)
                  sequential-lora   lora-multi's adapter, then the target alone
                  replay-P%         full-multi, then the target with P% of the other tasks

                Reports per task and arm the task's metric with a 95% bootstrap interval, the \
                parse-failure rate and the held-out loss; per arm the target gain, the mean \
                change on the other tasks (BWT) and the change from the arm it started from. \
                Writes DIR/forgetting.json and DIR/forgetting.md and prints the table. A rerun \
                skips every arm that finished with the same settings.

                Examples:
                  curate experiment forgetting --recipe recipes/forgetting.yaml --out out/forgetting --quick
                  curate experiment forgetting --recipe recipes/forgetting.yaml --out out/forgetting
                  curate experiment forgetting --recipe recipes/forgetting.yaml --out out/forgetting --replay 0.05
                """)

        @Option(help: ArgumentHelp("A recipe with ingest, render and experiment: steps.", valueName: "RECIPE"))
        var recipe: String

        @Option(help: ArgumentHelp("The experiment folder.", valueName: "DIR"))
        var out: String

        @Flag(help: "The same arms with tiny budgets (the recipe's experiment.quick), for CI and a first look.")
        var quick = false

        @Option(help: ArgumentHelp("Replay shares instead of the recipe's, comma-separated.", valueName: "0.01,0.05,0.25"))
        var replay: String?

        @Option(name: .long, help: ArgumentHelp("The SQLite store (default: the recipe's store:).", valueName: "PATH"))
        var store: String?

        func run() throws {
            try reportingErrors {
                let url = URL(fileURLWithPath: recipe)
                let recipe = try Recipe(contentsOf: url)
                var settings = try ForgettingSettings.read(recipe: url)
                if let replay {
                    let shares = replay.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
                    guard shares.allSatisfy({ ($0 ?? 0) > 0 && ($0 ?? 1) < 1 }) else {
                        throw CurateError("--replay takes shares between 0 and 1, e.g. 0.01,0.05,0.25")
                    }
                    settings.replay = shares.map { $0! }
                }
                let store = try Store(path: self.store ?? recipe.store ?? "curate.db")
                let experiment = ForgettingExperiment(recipe: recipe, settings: settings, output: URL(fileURLWithPath: out), quick: quick)
                var table = ""
                try withRun(store, command: "experiment forgetting") { runID in
                    let report = try experiment.run(store: store, runID: runID, progress: Console.progress, say: { print($0); fflush(stdout) }) { stage in
                        switch stage {
                        case .ingest(let job, let result): Reports.printIngest(job, result)
                        case .render(let result): Reports.printRender(result)
                        case .mix(let job, let mixture): Reports.printMixture(name: job.name, mixture.report, dryRun: false)
                        case .shard, .train: break
                        }
                    }
                    table = report.markdown
                    return ("ok", .object([("arms", .int(report.arms.count))]))
                }
                print("\n" + table, terminator: "")
                print("written: \(out)/forgetting.json, \(out)/forgetting.md")
            }
        }
    }
}
