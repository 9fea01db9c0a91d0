import Foundation

/// A loaded instruct model: weights, tokenizer and chat template from one GGUF file, with the
/// one operation the command line needs — answer a batch of user prompts.
public final class ChatModel {
    public let path: URL
    public let tokenizer: BPETokenizer
    public let template: ChatTemplate
    public let generator: Generator

    /// Loads and dequantizes every tensor once (a 135M model takes about a second).
    public convenience init(path: URL, maxPositions: Int = 2048) throws {
        let gguf = try GGUFFile(path: path.path)
        try self.init(gguf: gguf, weights: try LlamaWeights(gguf: gguf), maxPositions: maxPositions)
    }

    /// A model from a GGUF's tokenizer and template with other weights of the same shape (a
    /// fine-tuned model in fp32).
    public init(gguf: GGUFFile, weights: LlamaWeights, maxPositions: Int = 2048) throws {
        path = URL(fileURLWithPath: gguf.path)
        tokenizer = try BPETokenizer(gguf: gguf)
        template = try ChatTemplate(gguf: gguf)
        generator = Generator(model: try LlamaModel(weights: weights, maxPositions: maxPositions), tokenizer: tokenizer)
    }

    /// Replies to each prompt (a user message, with an optional system message) in one batch.
    /// Returns the decoded text and the number of tokens generated for each.
    public func reply(to prompts: [(system: String?, user: String)], maxNewTokens: Int,
                      sampler: Sampler = .greedy) throws -> [(text: String, tokens: Int)] {
        let encoded = prompts.map { tokenizer.encode(template.prompt(system: $0.system, user: $0.user)) }
        return try generator.generate(encoded, maxNewTokens: maxNewTokens, sampler: sampler).map {
            (tokenizer.decode($0), $0.count)
        }
    }
}
