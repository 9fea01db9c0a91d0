import CurateCore
import Foundation

/// Where a run is, as far as resuming it needs: everything else (the data order, the dropout
/// masks) is a function of the seed and the step, so restoring the parameters, the optimizer
/// moments and this state continues the run bit for bit.
public struct TrainingState: Codable, Equatable, Sendable {
    /// Optimizer steps done; the next step is `step + 1`.
    public var step = 0
    /// Training examples consumed (the data position: step × examples per step).
    public var examplesSeen = 0
    public var bestValidationLoss: Float?
    public var bestStep: Int?
    /// Validations since the best one (for early stopping).
    public var validationsWithoutImprovement = 0
    public var lastFiniteLoss: Float?
    /// Wall time spent training before this checkpoint.
    public var elapsedSeconds: Double = 0
    /// The random state: counter-based streams keyed by this seed and the step number.
    public var seed: UInt64 = 0

    public init() {}
}

/// A checkpoint folder: `trainable.safetensors` (the trainable parameters under curate's
/// names), `optimizer.safetensors` (AdamW's m and v under `m.`/`v.` names) and `state.json`.
/// It is written to a temporary folder and renamed into place, so a folder named `checkpoint`
/// is always complete.
enum TrainingCheckpoint {
    static func save(_ model: TrainableLlama, _ optimizer: AdamW, _ state: TrainingState, to url: URL) throws {
        func tensors(_ prefix: String, _ buffer: UnsafeMutableBufferPointer<Float>) -> [SafeTensors.Tensor] {
            model.tensors.map { t in
                SafeTensors.Tensor(name: prefix + t.name, shape: t.shape,
                                   values: Array(UnsafeBufferPointer(rebasing: buffer[t.offset ..< t.offset + t.count])))
            }
        }
        try AtomicWrite.folder(url) { folder in
            try SafeTensors.write(tensors("", model.parameters), to: folder.appendingPathComponent("trainable.safetensors"))
            try SafeTensors.write(tensors("m.", optimizer.m) + tensors("v.", optimizer.v),
                                  to: folder.appendingPathComponent("optimizer.safetensors"))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicWrite.file(try encoder.encode(state), to: folder.appendingPathComponent("state.json"))
        }
    }

    /// Restores parameters and optimizer moments from the checkpoint at `url`; returns its state.
    static func load(from url: URL, into model: TrainableLlama, _ optimizer: AdamW) throws -> TrainingState {
        let state = try JSONDecoder().decode(TrainingState.self, from: Data(contentsOf: url.appendingPathComponent("state.json")))
        let trainable = try SafeTensors.read(url.appendingPathComponent("trainable.safetensors"))
        let moments = try SafeTensors.read(url.appendingPathComponent("optimizer.safetensors"))
        var m = [Float](repeating: 0, count: model.trainableCount), v = m
        for t in model.tensors {
            guard let p = trainable[t.name], let tm = moments["m." + t.name], let tv = moments["v." + t.name],
                  p.values.count == t.count, tm.values.count == t.count, tv.values.count == t.count else {
                throw TrainError.resumeMismatch("\(url.path): tensor \(t.name) is missing or of another size — the checkpoint is from another model or method")
            }
            _ = UnsafeMutableBufferPointer(rebasing: model.parameters[t.offset ..< t.offset + t.count]).update(fromContentsOf: p.values)
            m.replaceSubrange(t.offset ..< t.offset + t.count, with: tm.values)
            v.replaceSubrange(t.offset ..< t.offset + t.count, with: tv.values)
        }
        optimizer.restore(m: m, v: v, steps: state.step)
        return state
    }
}
