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

              openai-chat                       {"messages":[{"role":"user",…},{"role":"assistant",…}]}
              prompt-completion                 {"prompt":"…\\n","completion":"…"}  (TRL, plain text)
              conversational-prompt-completion  {"prompt":[{"role":"user",…}],"completion":[{"role":"assistant",…}]}
              alpaca                            {"instruction":…,"input":"","output":…}
              sharegpt                          {"conversations":[{"from":"human",…},{"from":"gpt",…}]}

            README "Trainer formats" gives the TRL, Axolotl and LLaMA-Factory settings for each. \
            --compress gzip or zstd writes .jsonl.gz or .jsonl.zst, which `datasets` reads as \
            they are.

            DIR/meta/ holds a sidecar per data file, line for line: the example id, \
            conversation, task, template and all references (for evaluation). manifest.json \
            lists counts per split and task, the sources with their licences, the seed, the \
            recipe hash, the tool version and every file's sha256. DIR/README.md is a dataset \
            card: its YAML configs map splits to files, so load_dataset("DIR") gives the right \
            splits, and it lists tasks and shares, sources and licences (flagging \
            non-commercial ones), and the dedup, reject and filter counts. Splits follow \
            conversations, so no conversation appears in two splits. The same store, mixture \
            and options give byte-identical files.

            Examples:
              curate shard --mix sum-topic --out out/sum-topic --format openai-chat
              curate shard --mix sum-topic --out out/trl --format conversational-prompt-completion --shard-size 5000
              curate shard --mix sum-topic --out out/alpaca --format alpaca --compress gzip --json
            """)

    @Option(help: "The mixture to write (from `curate mix --name`).")
    var mix: String

    @Option(help: ArgumentHelp("Output folder.", valueName: "DIR"))
    var out: String

    @Option(help: "\(ShardFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: String = "openai-chat"

    @Option(help: "Compress data files: \(ShardCompression.allCases.map(\.rawValue).joined(separator: ", ")).")
    var compress: String = "none"

    @Option(help: ArgumentHelp("What ends each prompt of the prompt-completion format (\\n escapes allowed; default a newline).", valueName: "TEXT"))
    var separator: String = "\\n"

    @Option(help: "Examples per shard file.")
    var shardSize: Int = 10_000

    @Option(help: "A system message for every record (a system turn in the chat formats, alpaca's system field; not prompt-completion).")
    var system: String?

    @OptionGroup var output: JSONOutput

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard ShardFormat(rawValue: format) != nil else {
            throw ValidationError("unknown format '\(format)' — use \(ShardFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard ShardCompression(rawValue: compress) != nil else {
            throw ValidationError("unknown compression '\(compress)' — use \(ShardCompression.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard shardSize > 0 else { throw ValidationError("--shard-size must be positive") }
    }

    func run() throws {
        try reportingErrors {
            output.begin()
            let job = ShardJob(mixture: mix, output: URL(fileURLWithPath: out),
                               configuration: .init(format: ShardFormat(rawValue: format)!, shardSize: shardSize, systemPrompt: system,
                                                    compression: ShardCompression(rawValue: compress)!,
                                                    separator: Self.unescape(separator)))
            let store = try storeOptions.open(.existing)
            try withRun(store, command: "shard") { _ in
                let manifest = try job.run(store: store, progress: Console.progress)
                Reports.printShard(job, manifest)
                output.emit(Reports.shardJSON(job, manifest))
                return ("ok", .object([("out", .string(out))]))
            }
        }
    }

    /// `\n`, `\t` and `\\` in a separator typed on the command line.
    static func unescape(_ text: String) -> String {
        var out = ""
        var escaped = false
        for character in text {
            if escaped {
                out += character == "n" ? "\n" : character == "t" ? "\t" : String(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        return out + (escaped ? "\\" : "")
    }
}
