import CurateModel

/// The seven linear layers of a llama block, named as PEFT and transformers name them, so a
/// `--lora targets=…` list and an adapter file mean the same modules in curate and in PEFT.
public enum LinearModule: String, CaseIterable, Codable, Sendable {
    case q = "q_proj", k = "k_proj", v = "v_proj", o = "o_proj"
    case gate = "gate_proj", up = "up_proj", down = "down_proj"

    /// [in, out] of the module's weight W [out, in].
    public func shape(_ c: LlamaConfig) -> (inputs: Int, outputs: Int) {
        switch self {
        case .q, .o: return (c.dim, c.dim)
        case .k, .v: return (c.dim, c.kvDim)
        case .gate, .up: return (c.dim, c.ffnDim)
        case .down: return (c.ffnDim, c.dim)
        }
    }

    /// Offset of the module's weight in `LlamaWeights`' flat buffer.
    public func weightOffset(_ layer: LlamaWeights.Layer) -> Int {
        switch self {
        case .q: return layer.wq
        case .k: return layer.wk
        case .v: return layer.wv
        case .o: return layer.wo
        case .gate: return layer.wGate
        case .up: return layer.wUp
        case .down: return layer.wDown
        }
    }

    /// transformers' submodule path inside `model.layers.N`.
    public var huggingFacePath: String {
        switch self {
        case .q, .k, .v, .o: return "self_attn." + rawValue
        case .gate, .up, .down: return "mlp." + rawValue
        }
    }

    /// GGUF's tensor name inside `blk.N`.
    public var ggufName: String {
        switch self {
        case .q: return "attn_q"
        case .k: return "attn_k"
        case .v: return "attn_v"
        case .o: return "attn_output"
        case .gate: return "ffn_gate"
        case .up: return "ffn_up"
        case .down: return "ffn_down"
        }
    }

    /// llama.cpp's converter permutes the rows of q and k so that RoPE rotates adjacent
    /// pairs; transformers keeps the halves apart. The head count the permutation groups by.
    func permutedHeads(_ c: LlamaConfig) -> Int? {
        switch self {
        case .q: return c.heads
        case .k: return c.kvHeads
        default: return nil
        }
    }
}

/// Converts row orders between GGUF and transformers for q and k (see `permutedHeads`).
/// Within each head of size hd, GGUF row 2i+j is transformers row j·hd/2 + i.
enum RotaryRowOrder {
    /// `rows` rows of `width` floats, `heads` heads: GGUF order → transformers order.
    static func toHuggingFace(_ m: [Float], heads: Int, rows: Int, width: Int) -> [Float] {
        reorder(m, heads: heads, rows: rows, width: width, toHF: true)
    }

    static func toGGUF(_ m: [Float], heads: Int, rows: Int, width: Int) -> [Float] {
        reorder(m, heads: heads, rows: rows, width: width, toHF: false)
    }

    private static func reorder(_ m: [Float], heads: Int, rows: Int, width: Int, toHF: Bool) -> [Float] {
        let hd = rows / heads, half = hd / 2
        var out = [Float](repeating: 0, count: m.count)
        for h in 0 ..< heads {
            for i in 0 ..< half {
                for j in 0 ..< 2 {
                    let gguf = h * hd + 2 * i + j, hf = h * hd + j * half + i
                    let (from, to) = toHF ? (gguf, hf) : (hf, gguf)
                    for c in 0 ..< width { out[to * width + c] = m[from * width + c] }
                }
            }
        }
        return out
    }
}
