import ArgumentParser
import CurateCore
import CurateMix
import CuratePipeline
import Foundation

struct MixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mix",
        abstract: "Balance per-task example pools into a named, seeded multi-task mixture.",
        discussion: """
            Fine-tuning on one task makes a model forget others; a multi-task mixture keeps \
            them. This draws from each task's training examples at a rate set by the strategy \
            (seqio's formulas, normalized over tasks):

              proportional  rate = min(n, cap)                 examples-proportional, capped
              temperature   rate = min(n, cap)^(1/T)           T=1 proportional, large T → equal
              weights       rate = w_task                      --weights summarize=3,ner=1
              equal         rate = 1

            n is a task's pool: its training questions (conversation × template). Within a \
            task, datasets share its count in proportion to their pools, or by --datasets \
            weights. --total fixes the mixture size (default: the capped pools added up). A task \
            or dataset asked for more than its pool holds is upsampled in extra shuffled passes; \
            the epochs are recorded.

            --fewshot-ratio and --options-ratio ask for that share of each task's examples in \
            their few-shot form (worked exemplars first) and with the answer options listed \
            (rating), among the questions rendered in that form.

            The report gives, per task and per dataset: pool, requested and achieved share, \
            examples, characters and whitespace tokens, epochs, zero-/few-shot and options \
            counts, token lengths (p50, p95, max; when render counted tokens) and the template \
            distribution. --json prints it as one JSON object on stdout. --dry-run prints it and writes nothing. The \
            same store, options and seed always give the same mixture, stored under --name for \
            `curate shard`. Nested mixtures (a mixture of mixtures) and per-task dataset weights \
            are written in recipes; --recipe takes the mix step of one (its name, spec and seed) \
            instead of the options above, e.g. to preview it with --dry-run.

            Examples:
              curate mix --tasks summarize,ner,rating --strategy temperature --temperature 2 --cap 5000 --total 20000 --name multitask
              curate mix --tasks summarize,ner,rating --strategy proportional --cap 3000 --fewshot-ratio 0.3 --options-ratio 0.5 --dry-run
              curate mix --tasks summarize,ner --strategy weights --weights summarize=3,ner=1 --datasets summarize:dialogsum=2,summarize:samsum=1 --name w31
              curate mix --recipe recipes/multitask.yaml --store out/multitask.db --dry-run
              curate mix --tasks summarize,topic --strategy equal --name eq --dry-run --json
            """)

    @Option(help: "Comma-separated tasks to mix.")
    var tasks: String?

    @Option(help: ArgumentHelp("Take the mix step (name, spec, seed) of this recipe instead of the options; the store defaults to the recipe's.", valueName: "RECIPE"))
    var recipe: String?

    @Option(help: "proportional, temperature, weights or equal.")
    var strategy: String = "proportional"

    @Option(help: "Cap K on a task's pool before rates are computed (proportional, temperature).")
    var cap: Int?

    @Option(help: "Temperature T for the temperature strategy.")
    var temperature: Double?

    @Option(help: "Weights for the weights strategy: TASK=W,TASK=W.")
    var weights: String?

    @Option(help: "Dataset weights within tasks: TASK:DATASET=W,… (a task listed here draws only on the datasets listed for it).")
    var datasets: String?

    @Option(help: "Mixture size N.")
    var total: Int?

    @Option(help: "Share of each task's examples in few-shot form (0–1).")
    var fewshotRatio: Double = 0

    @Option(help: "Share of each task's examples with the answer options listed (0–1).")
    var optionsRatio: Double = 0

    @Option(help: "Seed for sampling and order.")
    var seed: UInt64 = 0

    @Option(help: "Name to store the mixture under.")
    var name: String = "default"

    @Flag(help: "Replace an existing mixture of the same name that has a different spec.")
    var replace = false

    @Flag(help: "Print the report and write nothing.")
    var dryRun = false

    @OptionGroup var output: JSONOutput

    @OptionGroup var storeOptions: StoreOptions

    var taskList: [String] { (tasks ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func validate() throws {
        if recipe != nil {
            let given = [("--tasks", tasks != nil), ("--strategy", strategy != "proportional"), ("--cap", cap != nil),
                         ("--temperature", temperature != nil), ("--weights", weights != nil), ("--datasets", datasets != nil),
                         ("--total", total != nil), ("--fewshot-ratio", fewshotRatio != 0), ("--options-ratio", optionsRatio != 0),
                         ("--seed", seed != 0), ("--name", name != "default")].filter(\.1).map(\.0)
            guard given.isEmpty else {
                throw ValidationError("--recipe brings its own mix step — leave out \(given.joined(separator: ", ")) (edit the recipe instead)")
            }
            return
        }
        guard !taskList.isEmpty else { throw ValidationError("--tasks needs at least one task (or --recipe RECIPE)") }
        if let total, total <= 0 { throw ValidationError("--total must be positive") }
        for (flag, ratio) in [("--fewshot-ratio", fewshotRatio), ("--options-ratio", optionsRatio)] where !(0...1).contains(ratio) {
            throw ValidationError("\(flag) is a share between 0 and 1 (got \(ratio))")
        }
    }

    /// The job the options (or the recipe's mix step) describe, and the recipe's store.
    func job() throws -> (MixJob, recipeStore: String?) {
        if let recipe {
            let parsed = try Recipe(contentsOf: URL(fileURLWithPath: recipe))
            guard var job = parsed.mix else { throw CurateError("\(recipe): the recipe has no mix step") }
            job.replace = replace
            return (job, parsed.store)
        }
        let strategy = try MixOptions.strategy(named: strategy, cap: cap, temperature: temperature,
                                               weights: try weights.map(MixOptions.weights))
        let perTask = try datasets.map(MixOptions.datasetWeights) ?? [:]
        let unknown = perTask.keys.filter { !taskList.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw CurateError("--datasets names \(unknown.joined(separator: ", ")), which --tasks does not list")
        }
        let spec = MixSpec(components: taskList.map { .task($0, datasets: perTask[$0]) }, strategy: strategy, total: total,
                           seed: seed, fewShotRatio: fewshotRatio, optionsRatio: optionsRatio)
        return (MixJob(name: name, spec: spec, replace: replace), nil)
    }

    func run() throws {
        try reportingErrors {
            output.begin()
            let (job, recipeStore) = try job()
            let name = job.name
            let store = try storeOptions.open(dryRun ? .readOnly : .existing, fallback: recipeStore)
            if dryRun {
                let report = try job.draw(store: store, progress: Console.progress).report
                Console.progress.finish("mix")
                Reports.printMixture(name: name, report, dryRun: true)
                output.emit(Reports.mixJSON(name: name, report, dryRun: true))
                return
            }
            try withRun(store, command: "mix") { runID in
                let mixture = try job.run(store: store, runID: runID, progress: Console.progress)
                Reports.printMixture(name: name, mixture.report, dryRun: false)
                output.emit(Reports.mixJSON(name: name, mixture.report, dryRun: false))
                return ("ok", mixture.report.json)
            }
        }
    }
}
