import CurateCore
import CurateModel
import Foundation

/// What a run was trained from and what it wrote, as recorded in run.json, and how to rebuild
/// its weights: the base GGUF (dequantized), then the weights of the run it started from if
/// any, then its own full weights or merged adapter.
public struct TrainedModel: Sendable {
    /// The base GGUF: its tokenizer, chat template and metadata, and the starting weights.
    public var gguf: URL
    /// A run whose (full) weights replace the GGUF's before this run's own are applied.
    public var baseRun: URL?
    /// This run's own: LoRA or full.
    public var method: TrainingMethod

    public init(gguf: URL, baseRun: URL?, method: TrainingMethod) {
        (self.gguf, self.baseRun, self.method) = (gguf, baseRun, method)
    }

    /// Reads run.json of a run folder.
    public static func describing(run folder: URL) throws -> TrainedModel {
        let file = RunFolder(folder).runJSON
        guard let text = try? String(contentsOf: file, encoding: .utf8), let json = try? JSONParser.parse(text) else {
            throw TrainError.badInput("\(folder.path): no readable run.json — a run folder is what `curate train --out` wrote")
        }
        guard json["status"]?.stringValue == "finished" else {
            throw TrainError.badInput("\(folder.path): the run has not finished (status \(json["status"]?.stringValue ?? "unknown")) — resume it with `curate train --resume \(folder.path)`")
        }
        guard let gguf = json["base"]?["gguf"]?.stringValue else { throw TrainError.badInput("\(file.path): no base.gguf") }
        let isLoRA = json["settings"]?["lora"].map { $0 != .null } ?? false
        let method: TrainingMethod = isLoRA ? .lora(try HuggingFaceFormat.readAdapterConfig(from: folder)) : .full
        return TrainedModel(gguf: URL(fileURLWithPath: gguf), baseRun: json["base"]?["run"]?.stringValue.map { URL(fileURLWithPath: $0) },
                            method: method)
    }

    /// The fp32 weights of the run in `folder` (and the base GGUF they belong to).
    public static func weights(run folder: URL) throws -> (gguf: GGUFFile, weights: LlamaWeights) {
        let described = try describing(run: folder)
        let (gguf, weights) = try described.baseWeights()
        switch described.method {
        case .full: try HuggingFaceFormat.readModel(from: folder, into: weights)
        case .lora: try HuggingFaceFormat.readAdapter(from: folder, model: weights.config).merge(into: weights, blas: try BLAS.shared.get())
        }
        return (gguf, weights)
    }

    /// The weights this run started from: the GGUF's, or those of `baseRun`.
    public func baseWeights() throws -> (gguf: GGUFFile, weights: LlamaWeights) {
        if let baseRun { return try Self.weights(run: baseRun) }
        let file = try GGUFFile(path: gguf.path)
        return (file, try LlamaWeights(gguf: file))
    }

    /// Writes the model as it is now into `folder`: the adapter (PEFT) or the full weights
    /// (transformers).
    public static func save(_ model: TrainableLlama, baseModelName: String, to folder: URL) throws {
        if let lora = model.lora {
            try HuggingFaceFormat.writeAdapter(lora, baseModel: baseModelName, to: folder)
        } else {
            try HuggingFaceFormat.writeModel(model.weights, to: folder)
        }
    }
}
