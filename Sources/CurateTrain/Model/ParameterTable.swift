/// The named tensors of a flat parameter buffer: what the optimizer decays, what a checkpoint
/// or an adapter file calls each range, and its shape.
public struct ParameterTensor: Equatable, Sendable {
    /// curate's own name (GGUF tensor names for base weights, `blk.N.MODULE.lora_a|lora_b` for adapters).
    public let name: String
    public let offset: Int
    /// Row-major shape: [rows, columns] for matrices, [n] for vectors.
    public let shape: [Int]
    public var count: Int { shape.reduce(1, *) }
    /// Matrices decay under AdamW; norm weights do not.
    public var isMatrix: Bool { shape.count == 2 }
}
