import ArgumentParser
import CurateCore
import CuratePipeline
import Foundation

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score a model on a split of a shard folder, per task.",
        discussion: """
            Generates a prediction for each example (greedy, batched) and scores it against \
            every reference in the folder's meta/ sidecars (any format and compression):

              summarize  ROUGE-1/2/L/Lsum precision, recall, F (as rouge_score: lowercased,
                         Porter-stemmed, best over the references)
              topic      exact match and ROUGE-L F
              ner        entity P/R/F1 over `label: text; …` targets, and the parse-failure rate
              rating     accuracy, MAE and the parse-failure rate

            Writes OUT/predictions.jsonl (one line per example) and OUT/metrics.json, and prints \
            the metrics: a table per task, or with --json the metrics.json object on stdout.

            Examples:
              curate eval --model smollm2-135m --shards out/dialogsum --split test --tasks summarize --limit 50 --out out/eval
              curate eval --shards out/dialogsum --split validation --limit 16 --out out/eval-val --json
            """)

    @OptionGroup var modelOption: ModelOption
    @OptionGroup var decoding: DecodingOption

    @Option(help: ArgumentHelp("A folder written by `curate shard`.", valueName: "DIR"))
    var shards: String

    @Option(help: "validation or test.")
    var split: String = "test"

    @Option(help: "Comma-separated tasks to score (default: all in the split).")
    var tasks: String?

    @Option(help: "Score at most this many examples.")
    var limit: Int?

    @Option(help: "Score at most this many examples of each task.")
    var limitPerTask: Int?

    @Option(help: "Prompts decoded together (a finished one's slot takes the next prompt at once).")
    var batchSize: Int = 8

    @Option(help: "New tokens per prediction at most (each task also stops at 4× its longest reference + 16).")
    var maxNewTokens: Int = 64

    @Option(help: ArgumentHelp("Where to write predictions.jsonl and metrics.json.", valueName: "DIR"))
    var out: String

    @OptionGroup var output: JSONOutput

    func validate() throws {
        guard Split(parsing: split) != nil else { throw ValidationError("unknown split '\(split)' — use validation or test") }
        guard batchSize > 0, maxNewTokens > 0 else { throw ValidationError("--batch-size and --max-new-tokens must be positive") }
        if let limit, limit <= 0 { throw ValidationError("--limit must be positive") }
        if let limitPerTask, limitPerTask <= 0 { throw ValidationError("--limit-per-task must be positive") }
    }

    func run() throws {
        try reportingErrors {
            let job = EvalJob(model: try modelOption.resolve(), shards: URL(fileURLWithPath: shards), split: Split(parsing: split)!,
                              tasks: tasks.map { $0.split(separator: ",").map(String.init) }, limit: limit, limitPerTask: limitPerTask,
                              batchSize: batchSize, precision: decoding.precision, maxNewTokens: maxNewTokens, output: URL(fileURLWithPath: out))
            output.begin()
            let metrics = try job.run(progress: Console.progress)
            Console.report(Reports.evalTable(metrics))
            output.emit(metrics)
        }
    }
}
