import CurateCore
import CurateShard
import CurateTrain
import Foundation

/// RUN/run.json: what a run trained (settings, base model and shards with their hashes, the
/// data it kept), how it ended, and with which tool — enough to reproduce it, and what
/// `--resume` checks before continuing.
struct RunRecord {
    var settings: TrainSettings
    var trainable: Int
    var parameters: Int
    var gguf: URL
    var ggufSHA256: String
    var baseRun: URL?
    var modelArgument: String
    var shards: ShardFolder
    var data: EncodingReport
    var validationExamples: Int
    var steps: Int
    var outcome: Trainer.Outcome?

    init(settings: TrainSettings, model: TrainableLlama, base: TrainJob.StartingPoint, shards: ShardFolder, data: EncodingReport,
         validationExamples: Int, steps: Int) throws {
        self.settings = settings
        self.steps = steps
        trainable = model.trainableCount
        parameters = model.weights.parameterCount
        gguf = base.trained.gguf
        ggufSHA256 = try Self.sha256(of: gguf)
        baseRun = base.trained.baseRun
        modelArgument = base.modelArgument
        self.shards = shards
        self.data = data
        self.validationExamples = validationExamples
    }

    /// run.json of an existing run.
    static func recorded(_ run: RunFolder) throws -> JSONValue {
        guard let text = try? String(contentsOf: run.runJSON, encoding: .utf8), let recorded = try? JSONParser.parse(text) else {
            throw CurateError("\(run.url.path): no run.json to resume — start the run without --resume")
        }
        return recorded
    }

    /// A resumed run must be the same computation: same settings, shards and base weights.
    /// Returns true when the run has already finished (allowed only with `acceptFinished`).
    func matchesFinishedRun(_ run: RunFolder, acceptFinished: Bool) throws -> Bool {
        let recorded = try Self.recorded(run)
        let finished = recorded["status"]?.stringValue == "finished"
        if finished && !acceptFinished {
            throw CurateError("\(run.url.path): the run has finished — nothing to resume; train into another --out to go on from it (--model \(run.url.path))")
        }
        var differences: [String] = []
        let given = settingsJSON
        let keys = Set((given.objectPairs ?? []).map(\.0) + (recorded["settings"]?.objectPairs ?? []).map(\.0)).sorted()
        for key in keys where given[key] != recorded["settings"]?[key] {
            differences.append("\(key) \(recorded["settings"]?[key]?.text() ?? "unset") recorded, \(given[key]?.text() ?? "unset") given")
        }
        if recorded["shards"]?["manifest_sha256"]?.stringValue != shards.manifestSHA256 { differences.append("the shards' manifest changed") }
        if recorded["base"]?["gguf_sha256"]?.stringValue != ggufSHA256 { differences.append("the base model file changed") }
        guard differences.isEmpty else {
            throw CurateError("--resume \(run.url.path): the run was made with other settings or inputs (\(differences.joined(separator: "; "))) — resume with the same ones, or start a new run with another --out")
        }
        return finished
    }

    var settingsJSON: JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? JSONParser.parse(String(decoding: try encoder.encode(settings), as: UTF8.self))) ?? .null
    }

    func json(status: String) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("tool", .string("curate")), ("version", .string(CurateVersion.current)), ("status", .string(status)),
            ("method", .string(settings.lora == nil ? "full" : "lora")),
            ("settings", settingsJSON),
            ("resolved", .object([("learning_rate", .double(Double(settings.peakLearningRate))),
                                  ("total_steps", .int(steps)),
                                  ("examples_per_step", .int(settings.examplesPerStep))])),
            ("base", .object([("model", .string(modelArgument)), ("gguf", .string(gguf.path)), ("gguf_sha256", .string(ggufSHA256)),
                              ("run", baseRun.map { .string($0.path) } ?? .null)])),
            ("parameters", .object([("total", .int(parameters)), ("trainable", .int(trainable))])),
            ("shards", .object([("path", .string(shards.directory.path)), ("manifest_sha256", .string(shards.manifestSHA256)),
                                ("format", shards.manifest["format"] ?? .null)])),
            ("data", .object([("train", data.json), ("validation_examples", .int(validationExamples))])),
        ]
        if let o = outcome {
            fields.append(("result", .object([
                ("steps", .int(o.steps)), ("last_loss", o.lastLoss.map { .double(Double($0)) } ?? .null),
                ("best_validation_loss", o.bestValidationLoss.map { .double(Double($0)) } ?? .null),
                ("best_step", o.bestStep.map { .int($0) } ?? .null), ("seconds", .double((o.seconds * 10).rounded() / 10)),
                ("tokens_per_second", .double((o.tokensPerSecond * 10).rounded() / 10)), ("stopped_early", .bool(o.stoppedEarly)),
            ])))
        }
        return .object(fields)
    }

    func write(to run: RunFolder, status: String) throws {
        try AtomicWrite.file(Data(json(status: status).prettyText().utf8), to: run.runJSON)
    }

    func header(trainExamples: Int) -> String {
        let method = settings.lora.map { l in
            "LoRA r=\(l.rank) alpha=\(Self.number(l.alpha)) dropout=\(Self.number(l.dropout)) on \(l.targets.count == 7 ? "all linear layers" : l.targets.map(\.rawValue).joined(separator: "+"))"
        } ?? "full fine-tuning"
        return """
            training \(modelArgument) with \(method): \(trainable.formatted()) of \(parameters.formatted()) parameters trained
            \(trainExamples) training examples (\(data.tokens.formatted()) tokens, no padding), \(validationExamples) for validation; \
            \(steps) steps of \(settings.batchSize)×\(settings.gradientAccumulation) examples, lr \(String(format: "%.1e", settings.peakLearningRate)), \
            warm-up \(settings.warmupSteps(total: steps)) steps, at most \(settings.maxSequenceLength) tokens per example
            """
    }

    static func number(_ x: Float) -> String { x == x.rounded() ? String(Int(x)) : String(x) }

    /// A model's SHA-256, from the cache's stamp when `curate model fetch` left one.
    static func sha256(of file: URL) throws -> String {
        if let stamp = try? String(contentsOf: file.appendingPathExtension("sha256"), encoding: .utf8), stamp.count == 64 { return stamp }
        return try SHA256.hex(ofFileAt: file.path)
    }
}
