import ArgumentParser
import CurateCore
import CurateModel
import CuratePipeline

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Answer one prompt with the bundled model runtime, for a quick try.",
        discussion: """
            The prompt is sent as a user message in the model's chat template (ChatML for \
            SmolLM2, with its default system prompt). Greedy by default; --temperature and \
            --top-p sample with --seed.

            Examples:
              curate generate "Summarize: #Person1#: Can I book a table? #Person2#: Sure, for when?"
              curate generate --model my-model.gguf --temperature 0.7 --top-p 0.9 --seed 3 "Write a haiku about logs."
            """)

    @OptionGroup var modelOption: ModelOption
    @OptionGroup var decoding: DecodingOption

    @Argument(help: "The user message.")
    var prompt: String

    @Option(help: "A system message instead of the template's default.")
    var system: String?

    @Option(help: "Stop after this many new tokens.")
    var maxTokens: Int = 128

    @Option(help: "Sampling temperature; 0 is greedy.")
    var temperature: Float = 0

    @Option(help: "Nucleus sampling mass.")
    var topP: Float = 1

    @Option(help: "Seed for sampling.")
    var seed: UInt64 = 0

    func validate() throws {
        guard maxTokens > 0 else { throw ValidationError("--max-tokens must be positive") }
        guard temperature >= 0, topP > 0, topP <= 1 else { throw ValidationError("need --temperature ≥ 0 and 0 < --top-p ≤ 1") }
    }

    func run() throws {
        try reportingErrors {
            let model = try modelOption.resolve().chatModel(precision: decoding.precision)
            let reply = try model.reply(to: [(system, prompt)], maxNewTokens: maxTokens,
                                        sampler: Sampler(temperature: temperature, topP: topP, seed: seed))
            print(reply[0].text)
        }
    }
}
