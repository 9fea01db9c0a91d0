import CurateModel

/// How a run adapts the model.
public enum TrainingMethod: Equatable, Sendable {
    /// Every weight in fp32, the embedding and the output head tied as in the base model.
    case full
    /// Frozen base weights plus trained low-rank adapters.
    case lora(LoRAConfig)

    public var lora: LoRAConfig? {
        if case let .lora(config) = self { return config }
        return nil
    }
}

/// A llama model being trained: the fp32 base weights (dequantized once, as for inference),
/// the trainable parameters and their gradients as two flat buffers of one layout.
///
/// Under `.full` the trainable parameters are the base weights themselves (`LlamaWeights`'
/// layout); under `.lora` they are the adapters (`LoRAWeights`' layout) and the base is frozen.
public final class TrainableLlama: @unchecked Sendable {
    public let config: LlamaConfig
    public let weights: LlamaWeights
    public let method: TrainingMethod
    public let lora: LoRAWeights?
    /// The trainable parameters, flat; `tensors` names their ranges.
    public let parameters: UnsafeMutableBufferPointer<Float>
    /// ∂loss/∂parameters, same layout; accumulated by `forwardBackward`, cleared by `zeroGradients`.
    public let gradients: UnsafeMutableBufferPointer<Float>
    public let tensors: [ParameterTensor]

    let blas: BLAS
    let rope: RoPETable
    let attention: Attention
    let head: CrossEntropyHead
    let headScratch: CrossEntropyHead.Scratch
    var activations: Activations?

    /// `seed` initializes the LoRA adapters (A kaiming-uniform, B zero).
    public init(weights: LlamaWeights, method: TrainingMethod, seed: UInt64, maxPositions: Int? = nil) throws {
        let c = weights.config
        config = c
        self.weights = weights
        self.method = method
        blas = try BLAS.shared.get()
        rope = RoPETable(headDim: c.headDim, base: c.ropeBase, positions: maxPositions ?? c.contextLength)
        attention = Attention(heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim, blas: blas)
        head = CrossEntropyHead(blas: blas, vocabulary: c.vocabSize, width: c.dim)
        headScratch = .init(vocabulary: c.vocabSize, width: c.dim)
        switch method {
        case .full:
            lora = nil
            parameters = weights.buffer
            tensors = Self.baseTensors(weights)
        case let .lora(loraConfig):
            try loraConfig.validate()
            let adapters = LoRAWeights(config: loraConfig, model: c)
            adapters.initialize(seed: seed)
            lora = adapters
            parameters = adapters.buffer
            tensors = adapters.tensors
        }
        gradients = .allocate(capacity: parameters.count)
        gradients.initialize(repeating: 0)
    }

    deinit { gradients.deallocate() }

    public var trainableCount: Int { parameters.count }

    /// Starts from a trained adapter instead of a fresh one (a LoRA run continued on new data).
    public func startFrom(adapter: LoRAWeights) throws {
        guard let lora, lora.config.rank == adapter.config.rank, lora.config.targets == adapter.config.targets,
              lora.buffer.count == adapter.buffer.count else {
            throw TrainError.badSetting("the run to continue has LoRA r=\(adapter.config.rank) on \(adapter.config.targets.map(\.rawValue).joined(separator: "+")) — continue it with the same --lora rank and targets")
        }
        _ = lora.buffer.update(fromContentsOf: adapter.buffer)
    }

    public func zeroGradients() { gradients.update(repeating: 0) }

    /// The base weights' tensors under their GGUF names, [out, in] for matrices.
    static func baseTensors(_ w: LlamaWeights) -> [ParameterTensor] {
        let c = w.config
        var out = [ParameterTensor(name: "token_embd.weight", offset: w.tokenEmbedding, shape: [c.vocabSize, c.dim])]
        for (l, layer) in w.layers.enumerated() {
            out.append(ParameterTensor(name: "blk.\(l).attn_norm.weight", offset: layer.attnNorm, shape: [c.dim]))
            for m in [LinearModule.q, .k, .v, .o] {
                let (n, o) = m.shape(c)
                out.append(ParameterTensor(name: "blk.\(l).\(m.ggufName).weight", offset: m.weightOffset(layer), shape: [o, n]))
            }
            out.append(ParameterTensor(name: "blk.\(l).ffn_norm.weight", offset: layer.ffnNorm, shape: [c.dim]))
            for m in [LinearModule.gate, .up, .down] {
                let (n, o) = m.shape(c)
                out.append(ParameterTensor(name: "blk.\(l).\(m.ggufName).weight", offset: m.weightOffset(layer), shape: [o, n]))
            }
        }
        out.append(ParameterTensor(name: "output_norm.weight", offset: w.outputNorm, shape: [c.dim]))
        if !w.tiedOutput { out.append(ParameterTensor(name: "output.weight", offset: w.output, shape: [c.vocabSize, c.dim])) }
        return out
    }

    /// Allocates activations for micro-batches of up to `rows` rows and sequences of `longest`
    /// tokens now, so a run allocates (and first touches) its largest buffers once.
    public func reserve(rows: Int, longest: Int) { _ = activations(rows: rows, longest: longest) }

    /// Activations for at least `rows` rows and sequences of `longest` tokens, kept between
    /// micro-batches and grown when a larger one comes.
    func activations(rows: Int, longest: Int) -> Activations {
        if let a = activations, a.rows >= rows, a.longest >= longest { return a }
        let (oldRows, oldLongest) = (activations?.rows ?? 0, activations?.longest ?? 0)
        activations = nil  // free the old buffers before allocating the larger ones
        let grown = Activations(config, lora: method.lora, rows: max(rows, oldRows), longest: max(longest, oldLongest, 1))
        activations = grown
        return grown
    }

    /// Bytes of activation memory a micro-batch of `rows` rows needs.
    public func activationBytes(rows: Int, longest: Int) -> Int {
        Activations.byteCount(config, lora: method.lora, rows: rows, longest: longest)
    }
}
