import CurateCore
import CurateModel
import Foundation

extension TokenCounter {
    /// Counts with the tokenizer of a GGUF model (SmolLM2's by default on the command line):
    /// only the tokenizer metadata is read, not the weights. Special-token text in a prompt is
    /// counted as plain text, as a trainer's tokenizer sees a dataset's strings.
    public static func gguf(_ url: URL) throws -> TokenCounter {
        let tokenizer: BPETokenizer
        do { tokenizer = try BPETokenizer(gguf: try GGUFFile(path: url.path)) } catch {
            throw CurateError("\(url.path): cannot read a tokenizer from it (\(error)) — pass a GGUF model with a gpt2-style BPE tokenizer")
        }
        return TokenCounter(name: url.lastPathComponent) { tokenizer.encode($0, parseSpecial: false).count }
    }
}
