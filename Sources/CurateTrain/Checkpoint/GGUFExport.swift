import CurateCore
import CurateModel
import Foundation

/// A fine-tuned model as a GGUF that llama.cpp, transformers and the `gguf` Python package
/// read: the base file's metadata (architecture, tokenizer, chat template) unchanged except
/// the file type, and every tensor under the base's name and shape, in F32 or F16. Norm
/// weights stay F32, as llama.cpp's converter keeps them.
public enum GGUFExport {
    public enum TensorType: String, CaseIterable, Sendable {
        case f32, f16
        var ggml: GGMLType { self == .f32 ? .f32 : .f16 }
        /// llama.cpp's `general.file_type`: 0 all F32, 1 mostly F16.
        var fileType: UInt32 { self == .f32 ? 0 : 1 }
    }

    public static func write(_ weights: LlamaWeights, base: GGUFFile, type: TensorType, to url: URL) throws {
        var writer = GGUFWriter()
        for key in base.metadataKeys { writer.set(key, try base.value(key)) }
        writer.set("general.file_type", .uint32(type.fileType))
        for tensor in TrainableLlama.baseTensors(weights) {
            let values = Array(UnsafeBufferPointer(start: weights.pointer(tensor.offset), count: tensor.count))
            // ggml lists the contiguous dimension first: [out, in] is stored as [in, out].
            try writer.addTensor(tensor.name, shape: tensor.shape.reversed(), type: tensor.isMatrix ? type.ggml : .f32, values: values)
        }
        try AtomicWrite.file(writer.data(), to: url)
    }
}
