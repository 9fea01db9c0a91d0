import ArgumentParser
import CurateCore
import CuratePipeline
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page about a store, a mixture, evaluations and training runs.",
        discussion: """
            The page (inline SVG and CSS, no script, nothing fetched) shows per source what \
            became of its records (read, stored, duplicates by kind, rejected by reason, \
            filtered) and its licence; the mixture's requested vs achieved shares per task and \
            dataset; training example lengths per task (tokens when render counted them, else \
            words); the form and template distributions; the first rejects of each reason with \
            their messages; and, when given, eval metrics per task (--eval DIR with \
            metrics.json), training loss curves per task (--train RUN with train_log.jsonl) and \
            the forgetting table (--forgetting DIR with forgetting.json). Without --mix the \
            store's mixture is used when it has exactly one.

            Examples:
              curate report --store out/multitask.db --out out/report.html
              curate report --store out/multitask.db --mix multitask --eval out/eval-base --eval out/eval-lora --train out/run-lora --out report.html
              curate report --store out/multitask.db --forgetting out/forgetting --out forgetting.html --json
            """)

    @Option(help: "The mixture to show (default: the store's only mixture).")
    var mix: String?

    @Option(help: ArgumentHelp("An evaluation folder (metrics.json from `curate eval`); repeatable.", valueName: "DIR"))
    var eval: [String] = []

    @Option(help: ArgumentHelp("A training run folder (train_log.jsonl from `curate train`); repeatable.", valueName: "RUN"))
    var train: [String] = []

    @Option(help: ArgumentHelp("The forgetting experiment's folder (forgetting.json).", valueName: "DIR"))
    var forgetting: String?

    @Option(help: ArgumentHelp("The HTML file to write.", valueName: "FILE"))
    var out: String

    @OptionGroup var output: JSONOutput

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        try reportingErrors {
            output.begin()
            let url = { (path: String) in URL(fileURLWithPath: path) }
            let job = ReportJob(mixture: mix, evals: eval.map(url), runs: train.map(url), forgetting: forgetting.map(url), output: url(out))
            let summary = try job.run(store: try storeOptions.open(.readOnly))
            Console.report("report → \(out) (\(summary["bytes"]?.text() ?? "0") bytes)")
            output.emit(summary)
        }
    }
}
