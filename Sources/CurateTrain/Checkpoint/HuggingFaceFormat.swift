import CurateCore
import CurateModel
import Foundation

/// Trained weights in the files the Hugging Face stack loads: a PEFT LoRA adapter
/// (`adapter_model.safetensors` + `adapter_config.json`) or a transformers llama checkpoint
/// (`model.safetensors` + `config.json`), with their tensor names and transformers' row order
/// for q and k (see `RotaryRowOrder`), and back.
public enum HuggingFaceFormat {
    public static let adapterWeights = "adapter_model.safetensors"
    public static let adapterConfig = "adapter_config.json"
    public static let modelWeights = "model.safetensors"
    public static let modelConfig = "config.json"

    // MARK: LoRA adapters (PEFT)

    static func peftName(layer l: Int, _ m: LinearModule, _ matrix: String) -> String {
        "base_model.model.model.layers.\(l).\(m.huggingFacePath).lora_\(matrix).weight"
    }

    /// Writes the adapters as PEFT saves them into `folder`.
    public static func writeAdapter(_ lora: LoRAWeights, baseModel: String, to folder: URL) throws {
        let c = lora.model, r = lora.config.rank
        var tensors: [SafeTensors.Tensor] = []
        for (l, layer) in lora.adapters.enumerated() {
            for m in lora.config.targets {
                guard let ad = layer[m] else { continue }
                let a = Array(UnsafeBufferPointer(start: lora.pointer(ad.a), count: r * ad.inputs))
                var b = Array(UnsafeBufferPointer(start: lora.pointer(ad.b), count: ad.outputs * r))
                if let heads = m.permutedHeads(c) { b = RotaryRowOrder.toHuggingFace(b, heads: heads, rows: ad.outputs, width: r) }
                tensors.append(.init(name: peftName(layer: l, m, "A"), shape: [r, ad.inputs], values: a))
                tensors.append(.init(name: peftName(layer: l, m, "B"), shape: [ad.outputs, r], values: b))
            }
        }
        try SafeTensors.write(tensors, metadata: [("format", "pt")], to: folder.appendingPathComponent(adapterWeights))
        let config = JSONValue.object([
            ("peft_type", .string("LORA")), ("task_type", .string("CAUSAL_LM")),
            ("base_model_name_or_path", .string(baseModel)),
            ("r", .int(r)), ("lora_alpha", .double(Double(lora.config.alpha))), ("lora_dropout", .double(Double(lora.config.dropout))),
            ("target_modules", .array(lora.config.targets.map { .string($0.rawValue) })),
            ("use_rslora", .bool(lora.config.rsLoRA)), ("bias", .string("none")), ("fan_in_fan_out", .bool(false)),
            ("init_lora_weights", .bool(true)), ("inference_mode", .bool(true)), ("use_dora", .bool(false)),
            ("modules_to_save", .null), ("layers_to_transform", .null),
        ])
        try AtomicWrite.file(Data(config.prettyText().utf8), to: folder.appendingPathComponent(adapterConfig))
    }

    /// The LoRA settings of a PEFT adapter folder.
    public static func readAdapterConfig(from folder: URL) throws -> LoRAConfig {
        let configURL = folder.appendingPathComponent(adapterConfig)
        guard let text = try? String(contentsOf: configURL, encoding: .utf8) else {
            throw TrainError.badInput("\(configURL.path): not found — a LoRA run folder holds adapter_config.json beside its adapter")
        }
        let json = try JSONParser.parse(text)
        guard json["peft_type"]?.stringValue == "LORA", let r = json["r"]?.intValue, let alpha = json["lora_alpha"]?.doubleValue else {
            throw TrainError.badInput("\(configURL.path): not a PEFT LoRA config (peft_type LORA with r and lora_alpha)")
        }
        let names = json["target_modules"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return LoRAConfig(rank: r, alpha: Float(alpha), dropout: Float(json["lora_dropout"]?.doubleValue ?? 0),
                          targets: try LoRAConfig.targets(names.joined(separator: "+")), rsLoRA: json["use_rslora"] == .bool(true))
    }

    /// Reads a PEFT adapter folder for a model of config `c`.
    public static func readAdapter(from folder: URL, model c: LlamaConfig) throws -> LoRAWeights {
        let config = try readAdapterConfig(from: folder)
        let r = config.rank
        let lora = LoRAWeights(config: config, model: c)
        let tensors = try SafeTensors.read(folder.appendingPathComponent(adapterWeights))
        for (l, layer) in lora.adapters.enumerated() {
            for (m, ad) in layer {
                let a = try tensor(tensors, peftName(layer: l, m, "A"), [r, ad.inputs], in: folder)
                var b = try tensor(tensors, peftName(layer: l, m, "B"), [ad.outputs, r], in: folder)
                if let heads = m.permutedHeads(c) { b = RotaryRowOrder.toGGUF(b, heads: heads, rows: ad.outputs, width: r) }
                _ = UnsafeMutableBufferPointer(start: lora.pointer(ad.a), count: a.count).update(fromContentsOf: a)
                _ = UnsafeMutableBufferPointer(start: lora.pointer(ad.b), count: b.count).update(fromContentsOf: b)
            }
        }
        return lora
    }

    // MARK: full models (transformers)

    /// (transformers name, curate offset, shape [rows, columns], q/k heads to reorder).
    static func modelTensors(_ w: LlamaWeights) -> [(name: String, offset: Int, shape: [Int], heads: Int?)] {
        let c = w.config
        var out: [(String, Int, [Int], Int?)] = [("model.embed_tokens.weight", w.tokenEmbedding, [c.vocabSize, c.dim], nil)]
        for (l, layer) in w.layers.enumerated() {
            let p = "model.layers.\(l)."
            out.append((p + "input_layernorm.weight", layer.attnNorm, [c.dim], nil))
            out.append((p + "post_attention_layernorm.weight", layer.ffnNorm, [c.dim], nil))
            for m in LinearModule.allCases {
                let (n, o) = m.shape(c)
                out.append((p + m.huggingFacePath + ".weight", m.weightOffset(layer), [o, n], m.permutedHeads(c)))
            }
        }
        out.append(("model.norm.weight", w.outputNorm, [c.dim], nil))
        if !w.tiedOutput { out.append(("lm_head.weight", w.output, [c.vocabSize, c.dim], nil)) }
        return out
    }

    /// Writes every weight as a transformers LlamaForCausalLM checkpoint into `folder`.
    public static func writeModel(_ w: LlamaWeights, to folder: URL) throws {
        let tensors = modelTensors(w).map { t -> SafeTensors.Tensor in
            var values = Array(UnsafeBufferPointer(start: w.pointer(t.offset), count: t.shape.reduce(1, *)))
            if let heads = t.heads { values = RotaryRowOrder.toHuggingFace(values, heads: heads, rows: t.shape[0], width: t.shape[1]) }
            return .init(name: t.name, shape: t.shape, values: values)
        }
        try SafeTensors.write(tensors, metadata: [("format", "pt")], to: folder.appendingPathComponent(modelWeights))
        let c = w.config
        let config = JSONValue.object([
            ("architectures", .array([.string("LlamaForCausalLM")])), ("model_type", .string("llama")),
            ("hidden_size", .int(c.dim)), ("intermediate_size", .int(c.ffnDim)), ("num_hidden_layers", .int(c.layers)),
            ("num_attention_heads", .int(c.heads)), ("num_key_value_heads", .int(c.kvHeads)), ("vocab_size", .int(c.vocabSize)),
            ("max_position_embeddings", .int(c.contextLength)), ("rms_norm_eps", .double(Double(c.rmsEpsilon))),
            ("rope_theta", .double(Double(c.ropeBase))), ("tie_word_embeddings", .bool(w.tiedOutput)),
            ("hidden_act", .string("silu")), ("torch_dtype", .string("float32")),
        ])
        try AtomicWrite.file(Data(config.prettyText().utf8), to: folder.appendingPathComponent(modelConfig))
    }

    /// Overwrites `w` with the weights of a checkpoint written by `writeModel`.
    public static func readModel(from folder: URL, into w: LlamaWeights) throws {
        let tensors = try SafeTensors.read(folder.appendingPathComponent(modelWeights))
        for t in modelTensors(w) {
            var values = try tensor(tensors, t.name, t.shape, in: folder)
            if let heads = t.heads { values = RotaryRowOrder.toGGUF(values, heads: heads, rows: t.shape[0], width: t.shape[1]) }
            _ = UnsafeMutableBufferPointer(start: w.pointer(t.offset), count: values.count).update(fromContentsOf: values)
        }
    }

    private static func tensor(_ tensors: [String: SafeTensors.Tensor], _ name: String, _ shape: [Int], in folder: URL) throws -> [Float] {
        guard let t = tensors[name] else { throw TrainError.badInput("\(folder.path): tensor \(name) is missing — the file is for another model or module set") }
        guard t.shape == shape else { throw TrainError.badInput("\(folder.path): tensor \(name) has shape \(t.shape), the model needs \(shape)") }
        return t.values
    }
}
