import CurateModel

/// The tiny random llama every runtime test loads (see `RandomLlama`): SmolLM2's tensor names,
/// types and metadata at a size that runs in milliseconds.
enum TinyLlama {
    static let config = RandomLlama.tinyConfig
    static let path: String = try! TestFiles.write(RandomLlama.writer(), name: "tiny-llama.gguf")
}
