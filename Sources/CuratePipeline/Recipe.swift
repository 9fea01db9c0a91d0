import CurateCore
import CurateIngest
import CurateMix
import CurateShard
import CurateModel
import CurateTemplates
import CurateTrain
import Foundation
import Yams

/// A whole pipeline in one YAML file (see recipes/*.yaml and README "Recipes"). Every path in
/// it resolves against the recipe's own folder, so a recipe runs from any working directory.
public struct Recipe: Sendable {
    public var name: String
    public var store: String?
    public var seed: UInt64
    /// The recipe's `templates:` folder; nil for the built-in templates.
    public var templates: URL?
    /// `max_reject_rate`: the share of rejected records a run accepts and still exits 0.
    public var maxRejectRate: Double?
    public var ingest: [IngestJob]
    public var render: RenderJob?
    public var mix: MixJob?
    public var shard: ShardJob?
    /// Fine-tuning on the shards, after the shard step.
    public var train: TrainJob?
    /// SHA-256 of the recipe file, written into the manifest.
    public var sha256: String

    private struct File: Decodable {
        struct Ingest: Decodable {
            /// Omitted (and no mapping): detected per file.
            let preset: String?
            /// A mapping declared here instead of a preset, for files in `format`.
            let mapping: MappingDeclaration?
            let format: String?
            let split: String
            let files: [String]
            let strict: Bool?
            let holdout: Double?
            let test_holdout: Double?
            /// The dataset name mixtures weigh these files by; the preset's name when left out.
            let dataset: String?
            /// The files' data licence; the preset's dataset licence when left out.
            let license: String?
        }
        struct Render: Decodable {
            let tasks: [String]
            let templates_per_conversation: Int?
            let shots: Int?
            let max_prompt_words: Int?
            let inverted: Bool?
            let max_prompt_tokens: Int?
            let tokenizer: String?
        }
        /// A task (with optional dataset weights) or a nested mixture (with its own strategy).
        struct Component: Decodable {
            let task: String?
            let datasets: [String: Double]?
            let mixture: String?
            let strategy: String?
            let cap: Int?
            let temperature: Double?
            let weights: [String: Double]?
            let components: [Component]?
        }
        struct Mix: Decodable {
            let name: String
            let tasks: [String]?
            let components: [Component]?
            let strategy: String
            let cap: Int?
            let temperature: Double?
            let weights: [String: Double]?
            let total: Int?
            let fewshot_ratio: Double?
            let options_ratio: Double?
        }
        struct Shard: Decodable {
            let out: String
            let format: String
            let shard_size: Int?
            let system: String?
            let compress: String?
            let separator: String?
        }
        /// The `curate train` flags, snake_cased; `lora` is a mapping of r, alpha, dropout,
        /// targets (a list, or all-linear) and rslora.
        struct Train: Decodable {
            struct LoRA: Decodable {
                let r: Int?
                let alpha: Float?
                let dropout: Float?
                let targets: Targets?
                let rslora: Bool?
            }
            enum Targets: Decodable {
                case list([String]), name(String)
                init(from decoder: Decoder) throws {
                    let c = try decoder.singleValueContainer()
                    if let names = try? c.decode([String].self) { self = .list(names) } else { self = .name(try c.decode(String.self)) }
                }
                var text: String {
                    switch self {
                    case .list(let names): return names.joined(separator: "+")
                    case .name(let name): return name
                    }
                }
            }
            let out: String
            let model: String?
            let method: String?
            let lora: LoRA?
            let epochs: Double?
            let steps: Int?
            let tokens: Int?
            let batch: Int?
            let grad_accum: Int?
            let lr: Float?
            let warmup: Double?
            let max_seq_len: Int?
            let eval_every: Int?
            let eval_examples: Int?
            let early_stopping: Int?
            let save_every: Int?
            let weight_decay: Float?
        }
        let name: String
        let store: String?
        let seed: UInt64?
        let templates: String?
        let max_reject_rate: Double?
        let ingest: [Ingest]?
        let render: Render?
        let mix: Mix?
        let shard: Shard?
        let train: Train?
    }

    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CurateError("\(url.path): cannot read the recipe — check the path")
        }
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: String(decoding: data, as: UTF8.self))
        } catch {
            throw CurateError("\(url.path): not a valid recipe (\(Self.describe(error))) — see recipes/demo.yaml for the format")
        }
        let directory = url.deletingLastPathComponent()
        let resolve = { (path: String) in URL(fileURLWithPath: path, relativeTo: directory).standardizedFileURL }
        var hasher = SHA256()
        hasher.update(data)
        sha256 = hasher.hexDigest()
        name = file.name
        store = file.store.map { resolve($0).path }
        let seed = file.seed ?? 0
        self.seed = seed
        templates = file.templates.map(resolve)
        maxRejectRate = file.max_reject_rate
        if let rate = maxRejectRate, !(0...1).contains(rate) {
            throw CurateError("\(url.path): max_reject_rate is a share between 0 and 1 (got \(rate))")
        }
        ingest = try (file.ingest ?? []).enumerated().map { index, step in
            let preset = try Self.preset(of: step, in: url, step: index + 1)
            guard let split = Split(parsing: step.split) else {
                throw CurateError("\(url.path): unknown split '\(step.split)' — use train, validation or test")
            }
            return IngestJob(files: step.files.map { resolve($0).path }, preset: preset, split: split,
                             strict: step.strict ?? false, holdout: step.holdout ?? 0, testHoldout: step.test_holdout ?? 0,
                             dataset: step.dataset, license: step.license)
        }
        let defaults = Renderer.Configuration()
        render = file.render.map {
            RenderJob(tasks: $0.tasks, templatesDirectory: templates,
                      configuration: .init(seed: seed, templatesPerConversation: $0.templates_per_conversation ?? 1,
                                           shots: $0.shots ?? defaults.shots, maxPromptWords: $0.max_prompt_words ?? defaults.maxPromptWords,
                                           inverted: $0.inverted ?? true, maxPromptTokens: $0.max_prompt_tokens),
                      tokenizer: $0.tokenizer)
        }
        mix = try file.mix.map { m in
            let components: [MixComponent]
            switch (m.tasks, m.components) {
            case (let tasks?, nil): components = tasks.map { .task($0, datasets: nil) }
            case (nil, let declared?): components = try declared.map { try Self.component($0, in: url) }
            case (nil, nil): components = (file.render?.tasks ?? []).map { .task($0, datasets: nil) }
            case (_?, _?): throw CurateError("\(url.path): mix gives both tasks and components — keep one (components can weigh datasets and nest mixtures)")
            }
            let strategy = try MixOptions.strategy(named: m.strategy, cap: m.cap, temperature: m.temperature, weights: m.weights)
            return MixJob(name: m.name, spec: MixSpec(components: components, strategy: strategy, total: m.total, seed: seed,
                                                      fewShotRatio: m.fewshot_ratio ?? 0, optionsRatio: m.options_ratio ?? 0),
                          replace: true)
        }
        shard = try file.shard.map { s in
            guard let format = ShardFormat(rawValue: s.format) else {
                throw CurateError("\(url.path): unknown shard format '\(s.format)' — use \(ShardFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let mixture = file.mix?.name else {
                throw CurateError("\(url.path): a shard step needs a mix step to name the mixture")
            }
            guard let compression = ShardCompression(rawValue: s.compress ?? "none") else {
                throw CurateError("\(url.path): unknown shard compress '\(s.compress ?? "")' — use \(ShardCompression.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return ShardJob(mixture: mixture, output: resolve(s.out),
                            configuration: .init(format: format, shardSize: s.shard_size ?? 10_000, systemPrompt: s.system,
                                                 compression: compression, separator: s.separator ?? "\n"),
                            recipeSHA256: sha256, recipe: file.name)
        }
        train = try file.train.map { t in
            guard let shard else { throw CurateError("\(url.path): a train step needs a shard step to train on") }
            // A known model's name stays a name; anything else is a path beside the recipe.
            let model = t.model.map { name in ModelSpec.all.contains { $0.name == name } ? name : resolve(name).path } ?? "smollm2-135m"
            return TrainJob(model: model, shards: shard.output, output: resolve(t.out),
                            settings: try Self.settings(t, seed: seed, in: url), mode: .resumeOrKeep)
        }
    }

    /// The train step's settings over the defaults (the recipe's seed unless it gives one).
    private static func settings(_ t: File.Train, seed: UInt64, in url: URL) throws -> TrainSettings {
        var s = TrainSettings()
        s.seed = seed
        switch t.method ?? "lora" {
        case "lora":
            let d = LoRAConfig.default
            do {
                s.lora = LoRAConfig(rank: t.lora?.r ?? d.rank, alpha: t.lora?.alpha ?? d.alpha, dropout: t.lora?.dropout ?? d.dropout,
                                    targets: try t.lora?.targets.map { try LoRAConfig.targets($0.text) } ?? d.targets,
                                    rsLoRA: t.lora?.rslora ?? false)
            } catch let error as TrainError { throw CurateError("\(url.path): train.lora: \(error)") }
        case "full":
            guard t.lora == nil else { throw CurateError("\(url.path): train gives method: full and lora settings — keep one") }
            s.lora = nil
        case let other: throw CurateError("\(url.path): unknown train method '\(other)' — use lora or full")
        }
        if let v = t.epochs { s.epochs = v }
        s.steps = t.steps
        s.tokens = t.tokens
        if let v = t.batch { s.batchSize = v }
        if let v = t.grad_accum { s.gradientAccumulation = v }
        s.learningRate = t.lr
        if let v = t.warmup { s.warmup = v }
        if let v = t.max_seq_len { s.maxSequenceLength = v }
        if let v = t.eval_every { s.evalEvery = v }
        if let v = t.eval_examples { s.evalExamples = v }
        s.earlyStopping = t.early_stopping
        if let v = t.save_every { s.saveEvery = v }
        if let v = t.weight_decay { s.weightDecay = v }
        do { try s.validate() } catch let error as TrainError { throw CurateError("\(url.path): train: \(error)") }
        return s
    }

    /// A declared mix component: `{task, datasets}` or `{mixture, strategy, …, components}`.
    private static func component(_ c: File.Component, in url: URL) throws -> MixComponent {
        switch (c.task, c.mixture) {
        case (let task?, nil):
            try c.datasets.map(MixOptions.checkWeights)
            return .task(task, datasets: c.datasets)
        case (nil, let name?):
            guard let children = c.components, !children.isEmpty else {
                throw CurateError("\(url.path): mixture '\(name)' has no components — list its tasks under components:")
            }
            let strategy = try MixOptions.strategy(named: c.strategy ?? "proportional", cap: c.cap, temperature: c.temperature, weights: c.weights)
            return .mixture(name: name, strategy: strategy, components: try children.map { try component($0, in: url) })
        default:
            throw CurateError("\(url.path): each mix component names either a task or a mixture — e.g. {task: ner, datasets: {sgd: 1}} or {mixture: dialogue, strategy: equal, components: [...]}")
        }
    }

    /// The step's preset: named, declared as a mapping, or nil to detect it per file.
    private static func preset(of step: File.Ingest, in url: URL, step number: Int) throws -> Preset? {
        switch (step.preset, step.mapping) {
        case (let name?, nil):
            guard let preset = Preset.named(name) else {
                throw CurateError("\(url.path): unknown preset '\(name)' — known: \(Preset.all.map(\.name).joined(separator: ", "))")
            }
            return preset
        case (nil, let mapping?):
            guard let format = step.format else {
                throw CurateError("\(url.path): ingest step \(number) declares a mapping but no format — add format: \(MappingDeclaration.formats.joined(separator: "|"))")
            }
            do {
                return try mapping.preset(format: format, name: "mapping")
            } catch let error as CurateError {
                throw CurateError("\(url.path): ingest step \(number): \(error)")
            }
        case (nil, nil):
            return nil
        case (_?, _?):
            throw CurateError("\(url.path): ingest step \(number) gives both a preset and a mapping — keep one (a preset is a named mapping)")
        }
    }

    /// YAML decoding errors name a coding path; this turns that into "missing key 'mix.name'".
    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing key '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "'\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}

/// Turns the mix options shared by the command line and recipes into a strategy, with the
/// checks both need.
public enum MixOptions {
    public static func strategy(named name: String, cap: Int?, temperature: Double?, weights: [String: Double]?) throws -> MixingStrategy {
        if let cap, cap <= 0 { throw CurateError("--cap must be positive (got \(cap))") }
        switch name {
        case "proportional":
            return .proportional(cap: cap)
        case "temperature":
            // Below 0.1, min(n, cap)^(1/T) overflows a Double for pools of a few thousand.
            guard let temperature, temperature >= 0.1, temperature.isFinite else {
                throw CurateError("the temperature strategy needs --temperature T between 0.1 and any finite value (seqio uses 1–3; 1 is proportional, smaller favours the largest task)")
            }
            return .temperature(temperature, cap: cap)
        case "weights":
            guard let weights, !weights.isEmpty else {
                throw CurateError("the weights strategy needs --weights, e.g. --weights summarize=3,topic=1")
            }
            try checkWeights(weights)
            return .weights(weights)
        case "equal":
            return .equal
        default:
            throw CurateError("unknown strategy '\(name)' — use proportional, temperature, weights or equal")
        }
    }

    /// Parses `summarize:dialogsum=2,summarize:samsum=1,ner:sgd=1` into weights per task.
    public static func datasetWeights(_ text: String) throws -> [String: [String: Double]] {
        var result: [String: [String: Double]] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let (dataset, weight) = try weights(parts[1]).first else {
                throw CurateError("bad dataset weight '\(pair)' — write TASK:DATASET=NUMBER, e.g. summarize:dialogsum=2")
            }
            result[parts[0], default: [:]][dataset] = weight
        }
        return result
    }

    /// Weights are finite and not negative: an infinite one would turn every share into NaN.
    public static func checkWeights(_ weights: [String: Double]) throws {
        if let bad = weights.sorted(by: { $0.key < $1.key }).first(where: { !$0.value.isFinite || $0.value < 0 }) {
            throw CurateError("bad weight \(bad.key)=\(bad.value) — weights are finite numbers, 0 or more")
        }
    }

    /// Parses `summarize=3,topic=1`.
    public static func weights(_ text: String) throws -> [String: Double] {
        var weights: [String: Double] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let value = Double(parts[1]), value >= 0, value.isFinite else {
                throw CurateError("bad weight '\(pair)' — write TASK=NUMBER (finite, 0 or more), e.g. summarize=3,topic=1")
            }
            weights[parts[0]] = value
        }
        return weights
    }
}
