import ArgumentParser
import CurateCore
import CurateMix
import CuratePipeline

struct MixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mix",
        abstract: "Balance per-task example pools into a named, seeded mixture.",
        discussion: """
            Draws from each task's training examples at a rate set by the strategy (seqio's \
            formulas, normalized over tasks):

              proportional  rate = min(n, cap)                 examples-proportional, capped
              temperature   rate = min(n, cap)^(1/T)           T=1 proportional, large T → equal
              weights       rate = w_task                      --weights summarize=3,topic=1
              equal         rate = 1

            --total fixes the mixture size (default: the pools' capped sizes added up). A task \
            asked for more examples than its pool holds is upsampled in extra shuffled passes; \
            the epochs are recorded. The same store, options and seed always give the same \
            mixture, stored under --name for `curate shard`.

            Examples:
              curate mix --tasks summarize,topic --strategy proportional --cap 5000 --name sum-topic
              curate mix --tasks summarize,topic --strategy temperature --temperature 2 --total 20000 --seed 1 --name t2
              curate mix --tasks summarize,topic --strategy weights --weights summarize=3,topic=1 --name w31 --dry-run
            """)

    @Option(help: "Comma-separated tasks to mix.")
    var tasks: String

    @Option(help: "proportional, temperature, weights or equal.")
    var strategy: String = "proportional"

    @Option(help: "Cap K on a task's examples before rates are computed (proportional, temperature).")
    var cap: Int?

    @Option(help: "Temperature T for the temperature strategy.")
    var temperature: Double?

    @Option(help: "Weights for the weights strategy: TASK=W,TASK=W.")
    var weights: String?

    @Option(help: "Mixture size N.")
    var total: Int?

    @Option(help: "Seed for sampling and order.")
    var seed: UInt64 = 0

    @Option(help: "Name to store the mixture under.")
    var name: String = "default"

    @Flag(help: "Replace an existing mixture of the same name that has a different spec.")
    var replace = false

    @Flag(help: "Print the plan and write nothing.")
    var dryRun = false

    @OptionGroup var storeOptions: StoreOptions

    var taskList: [String] { tasks.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func validate() throws {
        guard !taskList.isEmpty else { throw ValidationError("--tasks needs at least one task") }
        if let total, total <= 0 { throw ValidationError("--total must be positive") }
    }

    func run() throws {
        try reportingErrors {
            let strategy = try MixOptions.strategy(named: strategy, cap: cap, temperature: temperature,
                                                   weights: try weights.map(MixOptions.weights))
            let job = MixJob(name: name, spec: MixSpec(tasks: taskList, strategy: strategy, total: total, seed: seed), replace: replace)
            let store = try storeOptions.open()
            if dryRun {
                Reports.printMixPlan(name: name, plans: try job.plan(store: store), dryRun: true)
                return
            }
            try withRun(store, command: "mix") { runID in
                let mixture = try job.run(store: store, runID: runID)
                Reports.printMixPlan(name: name, plans: mixture.plans, dryRun: false)
                return ("ok", .array(mixture.plans.map(\.json)))
            }
        }
    }
}
