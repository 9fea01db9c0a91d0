import CurateCore
import CurateModel
import CurateTrain
import Foundation

/// What `--model` names: a GGUF file, a model `curate model fetch` knows, or a run folder
/// written by `curate train` (an adapter or full weights on top of its base).
public enum ModelReference: Sendable {
    case gguf(URL)
    case run(URL)

    /// Resolves a `--model` value, fetching a known model on first use.
    public static func resolve(_ text: String, log: (String) -> Void = { _ in }) throws -> ModelReference {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: text, isDirectory: &isFolder) {
            guard isFolder.boolValue else { return .gguf(URL(fileURLWithPath: text)) }
            guard FileManager.default.fileExists(atPath: RunFolder(URL(fileURLWithPath: text)).runJSON.path) else {
                throw CurateError("\(text): a folder without run.json — --model takes a GGUF file, a known model name or a run folder written by `curate train`")
            }
            return .run(URL(fileURLWithPath: text))
        }
        guard ModelSpec.all.contains(where: { $0.name == text }) else {
            throw CurateError("\(text): no such file and not a known model — known: \(ModelSpec.all.map(\.name).joined(separator: ", "))")
        }
        do { return .gguf(try ModelCache().fetch(text, log: log)) } catch let error as ModelCacheError {
            throw CurateError(error.description)
        }
    }

    /// The GGUF file whose tokenizer and template the model uses (a run's base model).
    public func gguf() throws -> URL {
        switch self {
        case .gguf(let url): return url
        case .run(let url): return try TrainedModel.describing(run: url).gguf
        }
    }

    /// The GGUF (tokenizer, template, metadata) and fp32 weights.
    public func load() throws -> (gguf: GGUFFile, weights: LlamaWeights) {
        switch self {
        case .gguf(let url):
            let file = try GGUFFile(path: url.path)
            return (file, try LlamaWeights(gguf: file))
        case .run(let url):
            return try TrainedModel.weights(run: url)
        }
    }

    /// A model ready to generate.
    public func chatModel(precision: DecodingPrecision = .quantized) throws -> ChatModel {
        switch self {
        case .gguf(let url): return try ChatModel(path: url, precision: precision)
        case .run:
            let (gguf, weights) = try load()
            return try ChatModel(gguf: gguf, weights: weights, precision: precision)
        }
    }

    public var description: String {
        switch self {
        case .gguf(let url): return url.lastPathComponent
        case .run(let url): return url.path
        }
    }
}
