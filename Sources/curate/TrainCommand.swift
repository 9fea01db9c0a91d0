import ArgumentParser
import CurateCore
import CuratePipeline
import CurateTrain
import Foundation

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fine-tune the model on a shard folder, with LoRA (default) or every weight.",
        discussion: """
            Reads the train split of a folder written by `curate shard` (openai-chat or \
            prompt-completion), renders each example with the model's chat template exactly as \
            `curate eval` does, and trains on the answer tokens only. Validation loss per task \
            comes from the folder's validation split.

            With only --shards and --out you get LoRA r=16, alpha 32, dropout 0.05 on all seven \
            linear layers, one epoch, batch 4, lr 3e-4 with 5% warm-up then cosine decay, AdamW \
            (weight decay 0.01 on matrices), gradient-norm clip 1, sequences of at most 1024 tokens.

            Writes RUN/adapter_model.safetensors + adapter_config.json (PEFT loads them) or, with \
            --full, RUN/model.safetensors + config.json; RUN/run.json (settings and input hashes), \
            RUN/train_log.jsonl (a line per step), RUN/best/ (best validation loss) and, while the \
            run is unfinished, RUN/checkpoint/.

            Examples:
              curate train --shards out/dialogsum --out out/run-lora
              curate train --shards out/multitask --out out/run-full --full --lr 5e-5 --epochs 2
              curate train --shards out/dialogsum --out out/run-q --lora r=8,alpha=16,targets=q_proj+v_proj --steps 200
              curate train --shards out/multitask --out out/run-budget --tokens 200000
              curate train --resume out/run-lora
              curate eval --model out/run-lora --shards out/dialogsum --split test --out out/eval-lora
            """)

    @Option(help: ArgumentHelp("A folder written by `curate shard`.", valueName: "DIR"))
    var shards: String?

    @Option(help: ArgumentHelp("The run folder to write.", valueName: "RUN"))
    var out: String?

    @Option(help: ArgumentHelp("A GGUF, a known model name, or a run folder to go on from (default smollm2-135m).", valueName: "PATH|NAME|RUN"))
    var model: String?

    @Option(help: ArgumentHelp("LoRA settings: r, alpha, dropout, targets (PEFT module names joined by + or all-linear), rslora.",
                               valueName: "r=16,alpha=32,dropout=0.05,targets=all-linear"))
    var lora: String?

    @Flag(help: "Train every weight instead of a LoRA adapter.")
    var full = false

    @Option(help: "Passes over the training examples (fractions allowed; default 1).")
    var epochs: Double?

    @Option(help: "Optimizer steps (instead of --epochs).")
    var steps: Int?

    @Option(help: "Train until this many tokens went through the model (instead of --epochs), so runs on different data see as much of it.")
    var tokens: Int?

    @Option(help: "Examples per micro-batch (default 4).")
    var batch: Int?

    @Option(help: "Micro-batches per optimizer step (default 1).")
    var gradAccum: Int?

    @Option(help: "Peak learning rate (default 3e-4 for LoRA, 5e-5 for --full).")
    var lr: Float?

    @Option(help: "Warm-up: a fraction of the steps below 1, else steps (default 0.05).")
    var warmup: Double?

    @Option(help: "Tokens per example at most; longer dialogues are cut (default 1024).")
    var maxSeqLen: Int?

    @Option(help: "Validation loss every N steps and after the last (default 0: after the last only).")
    var evalEvery: Int?

    @Option(help: "Validation examples at most (default 256).")
    var evalExamples: Int?

    @Option(help: "Stop after this many validations without a better loss.")
    var earlyStopping: Int?

    @Option(help: "A checkpoint every N steps (default 50; 0 for none).")
    var saveEvery: Int?

    @Option(help: "Seed of the data order, dropout and LoRA initialization (default 0).")
    var seed: UInt64?

    @Option(help: "AdamW weight decay on matrices (default 0.01).")
    var weightDecay: Float?

    @Option(help: ArgumentHelp("Continue this run from its last checkpoint (its settings, shards and model unless given).", valueName: "RUN"))
    var resume: String?

    @OptionGroup var output: JSONOutput

    func validate() throws {
        if lora != nil && full { throw ValidationError("--lora and --full exclude each other") }
        if [epochs != nil, steps != nil, tokens != nil].filter({ $0 }).count > 1 { throw ValidationError("give one of --epochs, --steps and --tokens") }
        if resume == nil && (shards == nil || out == nil) { throw ValidationError("--shards and --out are required (or --resume RUN)") }
        if let resume, let out, resume != out { throw ValidationError("--resume continues the run in place: drop --out or make it the same folder") }
    }

    func run() throws {
        try reportingErrors {
            output.begin()
            var settings = TrainSettings()
            var shards = self.shards, model = self.model
            if let resume {
                let recorded = try Self.recorded(run: resume)
                settings = recorded.settings
                shards = shards ?? recorded.shards
                model = model ?? recorded.model
            }
            try apply(to: &settings)
            let job = TrainJob(model: model ?? "smollm2-135m", shards: URL(fileURLWithPath: shards!),
                               output: URL(fileURLWithPath: resume ?? out!), settings: settings, mode: resume != nil ? .resume : .fresh)
            let record = try job.run(say: { Console.report($0); fflush(stdout) })
            output.emit(record)
        }
    }

    /// The flags given, over `settings` (defaults, or a resumed run's recorded ones).
    private func apply(to s: inout TrainSettings) throws {
        do {
            if full { s.lora = nil }
            if let lora { s.lora = try LoRAConfig(parsing: lora) }
        } catch let error as TrainError { throw CurateError(error.description) }
        if let epochs { (s.epochs, s.steps, s.tokens) = (epochs, nil, nil) }
        if let steps { (s.steps, s.tokens) = (steps, nil) }
        if let tokens { (s.tokens, s.steps) = (tokens, nil) }
        if let batch { s.batchSize = batch }
        if let gradAccum { s.gradientAccumulation = gradAccum }
        if let lr { s.learningRate = lr }
        if let warmup { s.warmup = warmup }
        if let maxSeqLen { s.maxSequenceLength = maxSeqLen }
        if let evalEvery { s.evalEvery = evalEvery }
        if let evalExamples { s.evalExamples = evalExamples }
        if let earlyStopping { s.earlyStopping = earlyStopping }
        if let saveEvery { s.saveEvery = saveEvery }
        if let seed { s.seed = seed }
        if let weightDecay { s.weightDecay = weightDecay }
    }

    /// The settings, shard folder and model a run recorded.
    static func recorded(run: String) throws -> (settings: TrainSettings, shards: String, model: String) {
        let url = RunFolder(URL(fileURLWithPath: run)).runJSON
        guard let data = try? Data(contentsOf: url), let json = try? JSONParser.parse(String(decoding: data, as: UTF8.self)),
              let settings = json["settings"], let shards = json["shards"]?["path"]?.stringValue, let model = json["base"]?["model"]?.stringValue
        else { throw CurateError("\(url.path): not found or unreadable — --resume takes a run folder written by `curate train`") }
        do {
            return (try JSONDecoder().decode(TrainSettings.self, from: Data(settings.text().utf8)), shards, model)
        } catch {
            throw CurateError("\(url.path): its settings do not read back (\(error)) — was it written by another curate version?")
        }
    }
}
