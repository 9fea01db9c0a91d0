import CurateCore
import Foundation

/// One arm of the forgetting experiment as scored: every task's example scores (the same
/// examples, in the same order, in every arm), metrics and held-out loss, and its training cost.
public struct ArmScores: Sendable {
    public var name: String
    /// none | lora | full
    public var method: String
    /// What it trained on: none, single, multi, sequential, replay-0.05 …
    public var data: String
    /// The arm whose model this one started from (sequential and replay arms).
    public var startedFrom: String?
    public var scores: [String: [ExampleScore]]
    public var metrics: [String: JSONValue]
    public var validationLoss: [String: Double]
    public var trainSeconds: Double?
    public var tokensPerSecond: Double?

    public init(name: String, method: String, data: String, startedFrom: String?, scores: [String: [ExampleScore]],
                metrics: [String: JSONValue], validationLoss: [String: Double], trainSeconds: Double?, tokensPerSecond: Double?) {
        (self.name, self.method, self.data, self.startedFrom) = (name, method, data, startedFrom)
        (self.scores, self.metrics, self.validationLoss, self.trainSeconds, self.tokensPerSecond) = (scores, metrics, validationLoss, trainSeconds, tokensPerSecond)
    }
}

/// What single-task, multi-task, sequential and replay fine-tuning did to every task, against
/// the zero-shot base: per task the headline metric with a 95% bootstrap interval; per arm the
/// target task's gain, the mean change on the other tasks (backward transfer, BWT) and, for
/// arms that continue another, the change from it. A change is significant when its paired
/// bootstrap interval excludes 0.
public struct ForgettingReport: Sendable {
    public let target: String
    /// The target first, then the others.
    public let tasks: [String]
    public let arms: [ArmScores]
    public let bootstrap: Bootstrap

    public struct Change: Sendable {
        public var value: Double
        public var interval: ClosedRange<Double>
        public var significant: Bool { interval.lowerBound > 0 || interval.upperBound < 0 }

        var json: JSONValue {
            .object([("value", ForgettingReport.round(value)), ("ci", .array([ForgettingReport.round(interval.lowerBound), ForgettingReport.round(interval.upperBound)])),
                     ("significant", .bool(significant))])
        }
    }

    public init(target: String, others: [String], arms: [ArmScores], bootstrap: Bootstrap = Bootstrap()) throws {
        guard let base = arms.first, base.method == "none" else { throw CurateError("the first arm must be the untrained base") }
        for arm in arms {
            for task in [target] + others where arm.scores[task]?.count != base.scores[task]?.count {
                throw CurateError("arm \(arm.name) was scored on \(arm.scores[task]?.count ?? 0) \(task) examples, the base on \(base.scores[task]?.count ?? 0) — every arm must see the same examples")
            }
        }
        self.target = target
        tasks = [target] + others
        self.arms = arms
        self.bootstrap = bootstrap
    }

    var base: ArmScores { arms[0] }

    func task(_ name: String) -> TaskScorer.Task { TaskScorer.Task(rawValue: name)! }

    public func value(_ arm: ArmScores, _ t: String) -> Double { TaskScorer.primary(task(t), arm.scores[t] ?? []) }

    public func interval(_ arm: ArmScores, _ t: String) -> ClosedRange<Double> {
        bootstrap.interval(task(t), arm.scores[t] ?? [], stream: "\(arm.name)|\(t)")
    }

    /// metric(arm) − metric(reference) on one task, paired.
    public func change(_ arm: ArmScores, from reference: ArmScores, _ t: String) -> Change {
        Change(value: value(arm, t) - value(reference, t),
               interval: bootstrap.differenceInterval(task(t), reference.scores[t] ?? [], arm.scores[t] ?? [], stream: "\(reference.name)>\(arm.name)|\(t)"))
    }

    /// The mean change over the non-target tasks.
    public func meanChange(_ arm: ArmScores, from reference: ArmScores) -> Change {
        let others = Array(tasks.dropFirst())
        let value = others.map { self.value(arm, $0) - self.value(reference, $0) }.reduce(0, +) / Double(max(1, others.count))
        let interval = bootstrap.meanDifferenceInterval(others.map { (task($0), reference.scores[$0] ?? [], arm.scores[$0] ?? []) },
                                                        stream: "\(reference.name)>\(arm.name)|others")
        return Change(value: value, interval: interval)
    }

    func startArm(_ arm: ArmScores) -> ArmScores? { arm.startedFrom.flatMap { name in arms.first { $0.name == name } } }

    // MARK: output

    static func round(_ x: Double) -> JSONValue { .double((x * 1_000_000).rounded() / 1_000_000) }

    public var json: JSONValue {
        .object([
            ("target_task", .string(target)), ("tasks", .array(tasks.map(JSONValue.string))),
            ("metric", .object(tasks.map { ($0, .string(TaskScorer.primaryName(task($0)))) })),
            ("bootstrap", .object([("resamples", .int(bootstrap.resamples)), ("seed", .unsigned(bootstrap.seed)), ("level", .double(0.95))])),
            ("eval_examples", .object(tasks.map { ($0, .int(base.scores[$0]?.count ?? 0)) })),
            ("arms", .array(arms.map(armJSON))),
        ])
    }

    private func armJSON(_ arm: ArmScores) -> JSONValue {
        let start = startArm(arm)
        let isBase = arm.name == base.name
        return .object([
            ("name", .string(arm.name)), ("method", .string(arm.method)), ("data", .string(arm.data)),
            ("started_from", arm.startedFrom.map(JSONValue.string) ?? .null),
            ("tasks", .object(tasks.map { t in
                let ci = interval(arm, t)
                return (t, .object([
                    ("metric", .string(TaskScorer.primaryName(task(t)))), ("value", Self.round(value(arm, t))),
                    ("ci", .array([Self.round(ci.lowerBound), Self.round(ci.upperBound)])),
                    ("change_from_base", isBase ? .null : change(arm, from: base, t).json),
                    ("change_from_start", start.map { change(arm, from: $0, t).json } ?? .null),
                    ("parse_failure_rate", arm.metrics[t]?["parse_failure_rate"] ?? .double(0)),
                    ("validation_loss", arm.validationLoss[t].map(Self.round) ?? .null),
                    ("metrics", arm.metrics[t] ?? .null),
                ]))
            })),
            ("target_gain", isBase ? .null : change(arm, from: base, target).json),
            ("bwt", isBase ? .null : meanChange(arm, from: base).json),
            ("drop_from_start", start.map { meanChange(arm, from: $0).json } ?? .null),
            ("train_seconds", arm.trainSeconds.map(Self.round) ?? .null),
            ("tokens_per_second", arm.tokensPerSecond.map(Self.round) ?? .null),
        ])
    }

    /// The tables a person reads: headline metrics with intervals and changes, then details.
    public var markdown: String {
        func pct(_ x: Double) -> String { String(format: "%.1f", x * 100) }
        func signed(_ c: Change) -> String { (c.value >= 0 ? "+" : "−") + pct(abs(c.value)) + (c.significant ? "*" : "") }
        var lines = ["# Forgetting: \(target) against \(tasks.dropFirst().joined(separator: ", "))", "",
                     "Every arm is scored on the same held-out examples (\(tasks.map { "\($0) \(base.scores[$0]?.count ?? 0)" }.joined(separator: ", "))), "
                     + "zero-shot, greedy. Values are percentages with 95% bootstrap intervals (\(bootstrap.resamples) resamples); a change is "
                     + "against the base, paired, and marked * when its interval excludes 0. BWT is the mean change on the tasks other than "
                     + "\(target); \"from start\" is the mean change on them from the arm a sequential or replay arm started from.", ""]
        let header = ["arm"] + tasks.map { "\($0) \(TaskScorer.primaryName(task($0)))" } + ["\(target) gain", "BWT", "from start", "train", "tok/s"]
        lines.append("| " + header.joined(separator: " | ") + " |")
        lines.append("|" + header.map { _ in " --- |" }.joined())
        for arm in arms {
            let isBase = arm.name == base.name
            var row = [arm.name]
            for t in tasks {
                let ci = interval(arm, t)
                row.append("\(pct(value(arm, t))) [\(pct(ci.lowerBound)), \(pct(ci.upperBound))]" + (isBase ? "" : " (\(signed(change(arm, from: base, t))))"))
            }
            row.append(isBase ? "–" : signed(change(arm, from: base, target)))
            row.append(isBase ? "–" : signed(meanChange(arm, from: base)))
            row.append(startArm(arm).map { signed(meanChange(arm, from: $0)) } ?? "–")
            row.append(arm.trainSeconds.map { String(format: "%.0f s", $0) } ?? "–")
            row.append(arm.tokensPerSecond.map { String(format: "%.0f", $0) } ?? "–")
            lines.append("| " + row.joined(separator: " | ") + " |")
        }
        lines += ["", "Details (held-out loss is the mean answer-token loss on each task's validation examples):", ""]
        let details = ["arm"] + tasks.map { "\($0)" } + tasks.map { "\($0) loss" }
        lines.append("| " + details.joined(separator: " | ") + " |")
        lines.append("|" + details.map { _ in " --- |" }.joined())
        for arm in arms {
            let cells = tasks.map { detail(arm.metrics[$0], task($0)) } + tasks.map { t in arm.validationLoss[t].map { String(format: "%.3f", $0) } ?? "–" }
            lines.append("| " + ([arm.name] + cells).joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func detail(_ m: JSONValue?, _ task: TaskScorer.Task) -> String {
        func pct(_ key: String, _ sub: String? = nil) -> String {
            let v = sub.map { m?[key]?[$0]?.doubleValue } ?? m?[key]?.doubleValue
            return v.map { String(format: "%.1f", $0 * 100) } ?? "–"
        }
        switch task {
        case .summarize: return "R1 \(pct("rouge1", "f")) R2 \(pct("rouge2", "f")) RL \(pct("rougeL", "f"))"
        case .topic: return "EM \(pct("exact_match")) RL \(pct("rougeL_f"))"
        case .rating: return "acc \(pct("accuracy")) MAE \(m?["mae"]?.doubleValue.map { String(format: "%.2f", $0) } ?? "–") unparsed \(pct("parse_failure_rate"))"
        case .ner: return "P \(pct("precision")) R \(pct("recall")) F1 \(pct("f1")) unparsed \(pct("parse_failure_rate"))"
        }
    }
}
