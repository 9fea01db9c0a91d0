import CKernels
import Dispatch

/// A weight matrix [outputs, inputs] in a GGUF block format, for the decoding path: one
/// decode step reads every weight once, so its speed is set by how many bytes the weights
/// take — 0.625 bytes per weight in Q4_1 and 1.06 in Q8_0 against 4 in fp32. The kernels
/// (CKernels) expand each block to fp32 in registers, so the activations stay fp32.
final class QuantizedMatrix: @unchecked Sendable {
    enum Format { case q8_0, q4_1 }

    let format: Format
    let outputs: Int
    let inputs: Int
    private let blocks: UnsafeMutableRawBufferPointer

    var byteCount: Int { blocks.count }

    /// The tensor's own bytes, when the file stores it as Q8_0 or Q4_1 (exactly the values the
    /// fp32 path dequantizes).
    init?(fileBytes raw: UnsafeRawBufferPointer, type: GGMLType, outputs: Int, inputs: Int) {
        switch type {
        case .q8_0: format = .q8_0
        case .q4_1: format = .q4_1
        default: return nil
        }
        (self.outputs, self.inputs) = (outputs, inputs)
        blocks = .allocate(byteCount: raw.count, alignment: 64)
        blocks.copyMemory(from: raw)
    }

    /// fp32 weights (fine-tuned, or from an F32/F16 file) quantized to Q8_0.
    init(quantizing weights: UnsafePointer<Float>, outputs: Int, inputs: Int) {
        format = .q8_0
        (self.outputs, self.inputs) = (outputs, inputs)
        blocks = .allocate(byteCount: outputs * inputs / Int(CURATE_QK) * MemoryLayout<curate_block_q8_0>.stride, alignment: 64)
        curate_quantize_q8_0(weights, blocks.baseAddress!.assumingMemoryBound(to: curate_block_q8_0.self), Int64(outputs * inputs))
    }

    deinit { blocks.deallocate() }

    /// y [rows, outputs] = x [rows, inputs] · Wᵀ. Outputs are cut into chunks that the cores
    /// take in turn; each output is one dot product per row, so the result does not depend on
    /// the cut.
    func multiply(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, rows: Int) {
        let chunk = max(16, (outputs + 63) / 64)
        let chunks = (outputs + chunk - 1) / chunk
        let (w, n, ldy) = (UnsafeRawPointer(blocks.baseAddress!), Int64(inputs), Int64(outputs))
        let format = format
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let (begin, end) = (Int64(c * chunk), Int64(min(outputs, (c + 1) * chunk)))
            switch format {
            case .q8_0: curate_matmul_q8_0(w.assumingMemoryBound(to: curate_block_q8_0.self), x, n, begin, end, Int64(rows), y, ldy)
            case .q4_1: curate_matmul_q4_1(w.assumingMemoryBound(to: curate_block_q4_1.self), x, n, begin, end, Int64(rows), y, ldy)
            }
        }
    }
}

/// The matrices of a llama model in block formats, beside the fp32 `LlamaWeights` that
/// prefill and training use. Norm weights and the embedding lookup stay fp32.
public final class QuantizedWeights: @unchecked Sendable {
    struct Layer {
        let wq, wk, wv, wo, wGate, wUp, wDown: QuantizedMatrix
    }

    let layers: [Layer]
    let output: QuantizedMatrix

    /// Bytes of quantized weights that one decode step reads.
    public var byteCount: Int { output.byteCount + layers.reduce(0) { $0 + [$1.wq, $1.wk, $1.wv, $1.wo, $1.wGate, $1.wUp, $1.wDown].reduce(0) { $0 + $1.byteCount } } }

    /// Whether every matrix's input width is a whole number of blocks (true of published llama
    /// models; the tiny test models may not be).
    public static func supports(_ c: LlamaConfig) -> Bool { c.dim % Int(CURATE_QK) == 0 && c.ffnDim % Int(CURATE_QK) == 0 }

    /// Every matrix as `file` stores it when the weights are that file's own and the file uses
    /// Q8_0 or Q4_1; otherwise (a fine-tuned model: pass no file) quantized to Q8_0.
    public init(weights w: LlamaWeights, file: GGUFFile?) throws {
        let c = w.config
        _ = curate_kernels_vectorized()  // decided once, before threads read it
        func matrix(_ name: String, _ offset: Int, outputs: Int, inputs: Int) throws -> QuantizedMatrix {
            if let file, let info = try? file.tensor(named: name),
               let kept = QuantizedMatrix(fileBytes: try file.tensorBytes(info), type: info.type, outputs: outputs, inputs: inputs) {
                return kept
            }
            return QuantizedMatrix(quantizing: w.pointer(offset), outputs: outputs, inputs: inputs)
        }
        layers = try w.layers.enumerated().map { i, l in
            let p = "blk.\(i)."
            return Layer(wq: try matrix(p + "attn_q.weight", l.wq, outputs: c.dim, inputs: c.dim),
                         wk: try matrix(p + "attn_k.weight", l.wk, outputs: c.kvDim, inputs: c.dim),
                         wv: try matrix(p + "attn_v.weight", l.wv, outputs: c.kvDim, inputs: c.dim),
                         wo: try matrix(p + "attn_output.weight", l.wo, outputs: c.dim, inputs: c.dim),
                         wGate: try matrix(p + "ffn_gate.weight", l.wGate, outputs: c.ffnDim, inputs: c.dim),
                         wUp: try matrix(p + "ffn_up.weight", l.wUp, outputs: c.ffnDim, inputs: c.dim),
                         wDown: try matrix(p + "ffn_down.weight", l.wDown, outputs: c.dim, inputs: c.ffnDim))
        }
        output = try matrix(w.tiedOutput ? "token_embd.weight" : "output.weight", w.output, outputs: c.vocabSize, inputs: c.dim)
    }
}
