import CurateCore
import Foundation

/// The figures of one optimizer step or one validation, as printed and as logged.
public struct TrainLogEntry: Sendable {
    public enum Kind: String, Sendable { case train, validation }
    public var kind: Kind
    public var step: Int
    public var totalSteps: Int
    public var epoch: Double = 0
    public var loss: Float
    public var taskLoss: [(task: String, loss: Float)]
    public var learningRate: Float = 0
    public var gradientNorm: Float = 0
    public var tokens = 0
    public var tokensPerSecond: Double = 0
    public var elapsedSeconds: Double = 0
    /// Seconds left at the current pace.
    public var etaSeconds: Double = 0

    /// One `RUN/train_log.jsonl` line (see README "Training" for the fields).
    public var json: String {
        var fields: [(String, JSONValue)] = [("type", .string(kind.rawValue)), ("step", .int(step)), ("loss", .double(Double(loss))),
                                             ("task_loss", .object(taskLoss.map { ($0.task, .double(Double($0.loss))) }))]
        if kind == .train {
            fields += [("epoch", .double((epoch * 1000).rounded() / 1000)), ("lr", .double(Double(learningRate))),
                       ("grad_norm", .double(Double(gradientNorm))), ("tokens", .int(tokens)),
                       ("tokens_per_second", .double((tokensPerSecond * 10).rounded() / 10)),
                       ("elapsed_seconds", .double((elapsedSeconds * 10).rounded() / 10))]
        }
        return JSONValue.object(fields).text()
    }

    /// The line a person reads (terminal and batch logs alike).
    public var line: String {
        let tasks = taskLoss.count > 1 ? "  (" + taskLoss.map { "\($0.task) \(Self.format($0.loss))" }.joined(separator: ", ") + ")" : ""
        switch kind {
        case .validation:
            return "validation at step \(step): loss \(Self.format(loss))\(tasks)"
        case .train:
            let width = String(totalSteps).count
            let stepText = String(repeating: " ", count: max(0, width - String(step).count)) + "\(step)/\(totalSteps)"
            return "step \(stepText)  loss \(Self.format(loss))\(tasks)  lr \(String(format: "%.2e", learningRate))  "
                + "\(Int(tokensPerSecond.rounded())) tok/s  ETA \(Self.duration(etaSeconds))"
        }
    }

    static func format(_ x: Float) -> String { String(format: "%.4f", x) }

    /// 75 → "1m15s", 3700 → "1h01m".
    public static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }
}
