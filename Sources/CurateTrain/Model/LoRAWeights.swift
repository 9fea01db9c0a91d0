import CurateCore
import CurateModel

/// Every adapter of a LoRA run in one flat buffer, llm.c style. For each layer l and each
/// target module m (in `LinearModule` order):
///
///     A [r, in]    B [out, r]        ΔW = scale · B · A   ([out, in], as W)
///
/// Rows of B for q and k follow GGUF's row order, like the base weights they adapt; the PEFT
/// file writer converts them to transformers' order.
public final class LoRAWeights: @unchecked Sendable {
    public let config: LoRAConfig
    public let model: LlamaConfig
    public let buffer: UnsafeMutableBufferPointer<Float>
    public let tensors: [ParameterTensor]

    /// Offsets of A and B for one layer's module.
    public struct Adapter {
        public let a: Int
        public let b: Int
        public let inputs: Int
        public let outputs: Int
    }

    /// [layer][module] → adapter, nil where the module is not a target.
    public let adapters: [[LinearModule: Adapter]]

    public init(config: LoRAConfig, model c: LlamaConfig) {
        self.config = config
        model = c
        var next = 0
        var tensors: [ParameterTensor] = []
        var adapters: [[LinearModule: Adapter]] = []
        for l in 0 ..< c.layers {
            var layer: [LinearModule: Adapter] = [:]
            for m in config.targets {
                let (n, o) = m.shape(c)
                let a = next, b = next + config.rank * n
                next = b + o * config.rank
                tensors.append(ParameterTensor(name: "blk.\(l).\(m.rawValue).lora_a", offset: a, shape: [config.rank, n]))
                tensors.append(ParameterTensor(name: "blk.\(l).\(m.rawValue).lora_b", offset: b, shape: [o, config.rank]))
                layer[m] = Adapter(a: a, b: b, inputs: n, outputs: o)
            }
            adapters.append(layer)
        }
        self.tensors = tensors
        self.adapters = adapters
        buffer = .allocate(capacity: next)
        buffer.initialize(repeating: 0)
    }

    deinit { buffer.deallocate() }

    public func pointer(_ offset: Int) -> UnsafeMutablePointer<Float> { buffer.baseAddress! + offset }

    /// PEFT's initialization: A kaiming-uniform with a = √5 (bound 1/√in, as torch's
    /// `kaiming_uniform_` gives for nn.Linear), B zero, so training starts at the base model.
    /// Each A draws from its own seeded stream, so changing the targets does not reshuffle others.
    public func initialize(seed: UInt64) {
        for (l, layer) in adapters.enumerated() {
            for m in config.targets {
                guard let ad = layer[m] else { continue }
                var rng = SeededRandom(seed: seed, stream: "lora-init|\(l)|\(m.rawValue)")
                let bound = 1 / Float(ad.inputs).squareRoot()
                let a = pointer(ad.a)
                for i in 0 ..< config.rank * ad.inputs { a[i] = Float(rng.nextDouble() * 2 - 1) * bound }
                pointer(ad.b).initialize(repeating: 0, count: ad.outputs * config.rank)
            }
        }
    }

    /// W ← W + scale · B · A for every adapter: the merged model, ready to run or export.
    public func merge(into weights: LlamaWeights, blas: BLAS) {
        for (l, layer) in adapters.enumerated() {
            for (m, ad) in layer {
                blas.sgemm(m: ad.outputs, n: ad.inputs, k: config.rank, alpha: config.scale, a: pointer(ad.b), lda: config.rank,
                           b: pointer(ad.a), ldb: ad.inputs, beta: 1, c: weights.pointer(m.weightOffset(weights.layers[l])), ldc: ad.inputs)
            }
        }
    }
}
