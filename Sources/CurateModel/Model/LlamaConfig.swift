/// Hyper-parameters of a llama-architecture model, read from GGUF metadata (`llama.*` keys).
public struct LlamaConfig: Equatable, Sendable {
    public var layers: Int
    /// Model width D (embedding_length).
    public var dim: Int
    /// Hidden width of the SwiGLU feed-forward block F.
    public var ffnDim: Int
    public var heads: Int
    /// Key/value heads (< heads means grouped-query attention).
    public var kvHeads: Int
    public var vocabSize: Int
    public var contextLength: Int
    public var ropeBase: Float
    public var rmsEpsilon: Float

    public var headDim: Int { dim / heads }
    /// Width of the keys and values of one position: kvHeads × headDim.
    public var kvDim: Int { kvHeads * headDim }

    public init(layers: Int, dim: Int, ffnDim: Int, heads: Int, kvHeads: Int, vocabSize: Int,
                contextLength: Int, ropeBase: Float = 10000, rmsEpsilon: Float = 1e-5) {
        (self.layers, self.dim, self.ffnDim, self.heads, self.kvHeads) = (layers, dim, ffnDim, heads, kvHeads)
        (self.vocabSize, self.contextLength, self.ropeBase, self.rmsEpsilon) = (vocabSize, contextLength, ropeBase, rmsEpsilon)
    }

    public init(gguf: GGUFFile) throws {
        let arch = try gguf.string("general.architecture")
        guard arch == "llama" else { throw ModelError.unsupportedArchitecture(arch) }
        let heads = try gguf.int("llama.attention.head_count")
        let embedding = try gguf.tensor(named: "token_embd.weight")
        let vocab = (try? gguf.int("llama.vocab_size")) ?? embedding.shape[1]
        self.init(layers: try gguf.int("llama.block_count"), dim: try gguf.int("llama.embedding_length"),
                  ffnDim: try gguf.int("llama.feed_forward_length"), heads: heads,
                  kvHeads: (try? gguf.int("llama.attention.head_count_kv")) ?? heads, vocabSize: vocab,
                  contextLength: try gguf.int("llama.context_length"),
                  ropeBase: Float((try? gguf.double("llama.rope.freq_base")) ?? 10000),
                  rmsEpsilon: Float(try gguf.double("llama.attention.layer_norm_rms_epsilon")))
        if let rot = try? gguf.int("llama.rope.dimension_count"), rot != headDim {
            throw ModelError.unsupported("partial rotary embedding (rope.dimension_count \(rot) ≠ head size \(headDim))")
        }
        guard dim % heads == 0, heads % kvHeads == 0, headDim % 2 == 0 else {
            throw ModelError.unsupported("head layout \(heads) heads / \(kvHeads) kv heads for width \(dim)")
        }
    }
}

public enum ModelError: Error, CustomStringConvertible, Equatable {
    case unsupportedArchitecture(String)
    case unsupported(String)
    case wrongShape(tensor: String, expected: [Int], found: [Int])
    case contextFull(capacity: Int)
    case badToken(Int, vocabSize: Int)
    case emptyPrompt(index: Int)

    public var description: String {
        switch self {
        case let .unsupportedArchitecture(a): return "model architecture '\(a)' is not supported; only 'llama' is"
        case let .unsupported(what): return "unsupported model: \(what)"
        case let .wrongShape(t, e, f): return "tensor '\(t)' has shape \(f), expected \(e) — the GGUF does not match its metadata"
        case let .contextFull(c): return "the KV cache is full (\(c) positions) — raise the context size or shorten the prompt"
        case let .badToken(t, v): return "token id \(t) is outside the vocabulary (0..<\(v))"
        case let .emptyPrompt(i): return "prompt #\(i) has no tokens; generation needs at least one"
        }
    }
}
