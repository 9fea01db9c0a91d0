import ArgumentParser
import CurateCore
import CuratePipeline
import CurateShard
import Foundation

struct ShardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shard",
        abstract: "Write a mixture as JSONL shards in a trainer's format, with a manifest.",
        discussion: """
            Writes DIR/train-00000-of-0000N.jsonl (the mixture, in mixture order) and \
            validation-/test- shards (every example of the mixture's tasks in those splits). Each \
            line is exactly the trainer's schema:

              openai-chat        {"messages":[{"role":"user","content":…},{"role":"assistant","content":…}]}
              prompt-completion  {"prompt":…,"completion":…}            (TRL SFTTrainer)

            Beside each shard, NAME.meta.jsonl holds, line for line, the example id, conversation, \
            task, template and all references (for evaluation). manifest.json lists counts per \
            split and task, the seed, the recipe hash, the tool version and every file's sha256. \
            Splits follow conversations, so no conversation appears in two splits. The same \
            store, mixture and options give byte-identical files.

            Examples:
              curate shard --mix sum-topic --out out/sum-topic --format openai-chat
              curate shard --mix sum-topic --out out/trl --format prompt-completion --shard-size 5000
            """)

    @Option(help: "The mixture to write (from `curate mix --name`).")
    var mix: String

    @Option(help: ArgumentHelp("Output folder.", valueName: "DIR"))
    var out: String

    @Option(help: "openai-chat or prompt-completion.")
    var format: String = "openai-chat"

    @Option(help: "Examples per shard file.")
    var shardSize: Int = 10_000

    @Option(help: "A system message to open every openai-chat record with.")
    var system: String?

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard ShardFormat(rawValue: format) != nil else {
            throw ValidationError("unknown format '\(format)' — use \(ShardFormat.allCases.map(\.rawValue).joined(separator: " or "))")
        }
        guard shardSize > 0 else { throw ValidationError("--shard-size must be positive") }
    }

    func run() throws {
        try reportingErrors {
            let job = ShardJob(mixture: mix, output: URL(fileURLWithPath: out),
                               configuration: .init(format: ShardFormat(rawValue: format)!, shardSize: shardSize, systemPrompt: system))
            let store = try storeOptions.open(.existing)
            try withRun(store, command: "shard") { _ in
                let manifest = try job.run(store: store)
                Reports.printShard(job, manifest)
                return ("ok", .object([("out", .string(out))]))
            }
        }
    }
}
