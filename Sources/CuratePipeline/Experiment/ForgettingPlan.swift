import CurateCore
import CurateMix
import CurateTrain
import Foundation
import Yams

/// The `experiment:` block of a forgetting recipe: what to compare and how much to train and
/// evaluate. Everything has a default, so `experiment: {}` runs the standard design.
public struct ForgettingSettings: Decodable, Sendable {
    public struct Budget: Decodable, Sendable {
        /// Tokens each training run sees (prompts and answers).
        public var tokens: Int
        /// Evaluation examples per task (the first in the test split, the same for every arm).
        public var eval_examples: Int
        /// Validation examples per task for the held-out loss.
        public var validation_examples: Int
        /// Examples drawn into each mixture (more than the token budget consumes).
        public var mixture_examples: Int
        /// New tokens per prediction at most (default: the experiment's max_new_tokens).
        public var max_new_tokens: Int?
    }
    public struct LoRA: Decodable, Sendable {
        public var r: Int?
        public var alpha: Float?
        public var dropout: Float?
    }

    public var model = "smollm2-135m"
    public var target = "summarize"
    public var others = ["ner", "rating", "topic"]
    public var budget = Budget(tokens: 60_000, eval_examples: 100, validation_examples: 64, mixture_examples: 4000)
    /// `--quick`: the same arms, tiny budgets, for CI and a first look.
    public var quick = Budget(tokens: 1200, eval_examples: 3, validation_examples: 4, mixture_examples: 120, max_new_tokens: 24)
    public var lora = LoRA(r: nil, alpha: nil, dropout: nil)
    public var lora_lr: Float = 3e-4
    public var full_lr: Float = 5e-5
    public var batch = 4
    public var max_seq_len = 768
    public var max_new_tokens = 64
    /// Shares of the other tasks mixed back into the sequential arm's target-only data.
    public var replay: [Double] = [0.01, 0.05, 0.25]

    public init() {}

    enum CodingKeys: String, CodingKey {
        case model, target, others, budget, quick, lora, lora_lr, full_lr, batch, max_seq_len, max_new_tokens, replay
    }

    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decodeIfPresent(String.self, forKey: .model) ?? model
        target = try c.decodeIfPresent(String.self, forKey: .target) ?? target
        others = try c.decodeIfPresent([String].self, forKey: .others) ?? others
        budget = try c.decodeIfPresent(Budget.self, forKey: .budget) ?? budget
        quick = try c.decodeIfPresent(Budget.self, forKey: .quick) ?? quick
        lora = try c.decodeIfPresent(LoRA.self, forKey: .lora) ?? lora
        lora_lr = try c.decodeIfPresent(Float.self, forKey: .lora_lr) ?? lora_lr
        full_lr = try c.decodeIfPresent(Float.self, forKey: .full_lr) ?? full_lr
        batch = try c.decodeIfPresent(Int.self, forKey: .batch) ?? batch
        max_seq_len = try c.decodeIfPresent(Int.self, forKey: .max_seq_len) ?? max_seq_len
        max_new_tokens = try c.decodeIfPresent(Int.self, forKey: .max_new_tokens) ?? max_new_tokens
        replay = try c.decodeIfPresent([Double].self, forKey: .replay) ?? replay
    }

    /// Reads the `experiment:` block of the recipe at `url`.
    public static func read(recipe url: URL) throws -> ForgettingSettings {
        struct File: Decodable { let experiment: ForgettingSettings? }
        let text = try String(contentsOf: url, encoding: .utf8)
        do {
            guard let settings = try YAMLDecoder().decode(File.self, from: text).experiment else {
                throw CurateError("\(url.path): no experiment: block — see recipes/forgetting.yaml")
            }
            try settings.validate(in: url)
            return settings
        } catch let error as DecodingError {
            throw CurateError("\(url.path): not a valid experiment (\(Recipe.describe(error))) — see recipes/forgetting.yaml")
        }
    }

    func validate(in url: URL) throws {
        let known = ["summarize", "topic", "ner", "rating"]
        for task in [target] + others where !known.contains(task) {
            throw CurateError("\(url.path): experiment task '\(task)' has no metric — use \(known.joined(separator: ", "))")
        }
        guard !others.contains(target), !others.isEmpty else { throw CurateError("\(url.path): experiment.others must name tasks other than the target") }
        guard replay.allSatisfy({ $0 > 0 && $0 < 1 }) else { throw CurateError("\(url.path): experiment.replay shares must be between 0 and 1, e.g. [0.01, 0.05, 0.25]") }
        for b in [budget, quick] where b.tokens <= 0 || b.eval_examples <= 0 || b.validation_examples < 0 || b.mixture_examples <= 0 {
            throw CurateError("\(url.path): experiment budgets must be positive (tokens, eval_examples, mixture_examples)")
        }
    }
}

/// One arm: how it trains (or not), on which mixture, from which arm's model.
public struct ForgettingArm: Sendable, Equatable {
    public enum Method: String, Sendable { case none, lora, full }
    public var name: String
    public var method: Method
    /// The mixture it trains on (nil for the base).
    public var mixture: String?
    /// What the report calls its data.
    public var data: String
    public var startsFrom: String?

    /// The arms, in the order they can run (each after the one it starts from).
    public static func arms(replay: [Double]) -> [ForgettingArm] {
        var arms = [
            ForgettingArm(name: "base", method: .none, mixture: nil, data: "none", startsFrom: nil),
            ForgettingArm(name: "lora-single", method: .lora, mixture: "single", data: "single", startsFrom: nil),
            ForgettingArm(name: "full-single", method: .full, mixture: "single", data: "single", startsFrom: nil),
            ForgettingArm(name: "lora-multi", method: .lora, mixture: "multi", data: "multi", startsFrom: nil),
            ForgettingArm(name: "full-multi", method: .full, mixture: "multi", data: "multi", startsFrom: nil),
            ForgettingArm(name: "sequential", method: .full, mixture: "single", data: "sequential", startsFrom: "full-multi"),
            ForgettingArm(name: "sequential-lora", method: .lora, mixture: "single", data: "sequential", startsFrom: "lora-multi"),
        ]
        for share in replay {
            let name = "replay-\(Self.percent(share))"
            arms.append(ForgettingArm(name: name, method: .full, mixture: name, data: name, startsFrom: "full-multi"))
        }
        return arms
    }

    /// 0.05 → "5%", 0.005 → "0.5%".
    static func percent(_ share: Double) -> String {
        let p = share * 100
        return (p == p.rounded() ? String(Int(p)) : String(format: "%g", p)) + "%"
    }
}

extension ForgettingSettings {
    /// The mixtures the arms train on: the target task alone, every task equally, and the
    /// target with each replay share of the other tasks (split equally among them).
    func mixtures(seed: UInt64, examples: Int) -> [(name: String, spec: MixSpec)] {
        let all = [target] + others
        var out: [(String, MixSpec)] = [
            ("single", MixSpec(tasks: [target], strategy: .equal, total: examples, seed: seed)),
            ("multi", MixSpec(tasks: all, strategy: .equal, total: examples, seed: seed)),
        ]
        for share in replay {
            var weights = [target: 1 - share]
            for other in others { weights[other] = share / Double(others.count) }
            out.append(("replay-\(ForgettingArm.percent(share))", MixSpec(tasks: all, strategy: .weights(weights), total: examples, seed: seed)))
        }
        return out
    }

    /// What an arm trains with.
    func trainSettings(_ arm: ForgettingArm, budget: Budget, seed: UInt64) -> TrainSettings {
        var s = TrainSettings()
        if arm.method == .lora {
            let d = LoRAConfig.default
            s.lora = LoRAConfig(rank: lora.r ?? d.rank, alpha: lora.alpha ?? d.alpha, dropout: lora.dropout ?? d.dropout, targets: d.targets, rsLoRA: false)
            s.learningRate = lora_lr
        } else {
            s.lora = nil
            s.learningRate = full_lr
        }
        s.tokens = budget.tokens
        s.batchSize = batch
        s.maxSequenceLength = max_seq_len
        s.evalExamples = 0        // the experiment measures held-out loss on every task itself
        s.saveEvery = 25
        s.seed = seed
        return s
    }
}
