import Foundation

/// How generation multiplies by the weight matrices when it decodes (prefill is always fp32).
public enum DecodingPrecision: String, Sendable, CaseIterable {
    /// Int8 kernels over the matrices in block formats: the file's own Q8_0/Q4_1 blocks for a
    /// model as shipped, Q8_0 for fine-tuned weights. Several times faster; logits differ from
    /// fp32 by the activations' int8 rounding (README "The model runtime").
    case quantized
    /// Every product in fp32 on OpenBLAS, exactly the values transformers computes.
    case f32
}

/// A loaded instruct model: weights, tokenizer and chat template from one GGUF file, with the
/// one operation the command line needs — answer a batch of user prompts.
public final class ChatModel {
    public let path: URL
    public let tokenizer: BPETokenizer
    public let template: ChatTemplate
    public let generator: Generator

    /// Loads and dequantizes every tensor once (a 135M model takes about a second).
    public convenience init(path: URL, maxPositions: Int = 2048, precision: DecodingPrecision = .quantized) throws {
        let gguf = try GGUFFile(path: path.path)
        try self.init(gguf: gguf, weights: try LlamaWeights(gguf: gguf), weightsAreTheFiles: true, maxPositions: maxPositions,
                      precision: precision)
    }

    /// A model from a GGUF's tokenizer and template with other weights of the same shape (a
    /// fine-tuned model in fp32).
    public convenience init(gguf: GGUFFile, weights: LlamaWeights, maxPositions: Int = 2048, precision: DecodingPrecision = .quantized) throws {
        try self.init(gguf: gguf, weights: weights, weightsAreTheFiles: false, maxPositions: maxPositions, precision: precision)
    }

    private init(gguf: GGUFFile, weights: LlamaWeights, weightsAreTheFiles: Bool, maxPositions: Int, precision: DecodingPrecision) throws {
        path = URL(fileURLWithPath: gguf.path)
        tokenizer = try BPETokenizer(gguf: gguf)
        template = try ChatTemplate(gguf: gguf)
        let quantized = precision == .quantized && QuantizedWeights.supports(weights.config)
            ? try QuantizedWeights(weights: weights, file: weightsAreTheFiles ? gguf : nil) : nil
        generator = Generator(model: try LlamaModel(weights: weights, maxPositions: maxPositions, quantized: quantized), tokenizer: tokenizer)
    }

    /// Replies to each prompt (a user message, with an optional system message), decoding up to
    /// `slots` of them together (see `Generator.generate`). Returns the decoded text and the
    /// number of tokens generated for each; `finished(i)` is called as prompt i's reply ends.
    public func reply(to prompts: [(system: String?, user: String)], maxNewTokens: Int, slots: Int? = nil,
                      sampler: Sampler = .greedy, finished: (Int) -> Void = { _ in }) throws -> [(text: String, tokens: Int)] {
        let encoded = prompts.map { tokenizer.encode(template.prompt(system: $0.system, user: $0.user)) }
        return try generator.generate(encoded, maxNewTokens: maxNewTokens, slots: slots, sampler: sampler, finished: finished).map {
            (tokenizer.decode($0), $0.count)
        }
    }
}
