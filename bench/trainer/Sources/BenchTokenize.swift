import CurateModel
import Foundation

/// curate-train-bench tokenize: SmolLM2 tokenizer throughput over the text fields of a
/// DialogSum JSONL file, cold (empty BPE cache) and warm.
func benchTokenize(path: String) throws {
    let gguf = try GGUFFile(path: try ModelCache().fetch("smollm2-135m").path)
    var tokenizer: BPETokenizer!
    let load = try seconds { tokenizer = try BPETokenizer(gguf: gguf) }
    let keys = ["dialogue", "summary", "summary1", "summary2", "summary3", "topic"]
    let texts = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").flatMap { line in
        let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        return keys.compactMap { row[$0] as? String }
    }
    let bytes = texts.reduce(0) { $0 + $1.utf8.count }
    print(String(format: "tokenizer load: %.2f s; %d texts, %.1f MB", load, texts.count, Double(bytes) / 1e6))
    for pass in ["cold", "warm"] {
        var tokens = 0
        let t = seconds { for text in texts { tokens += tokenizer.encode(text).count } }
        print(pass + String(format: " pass: %.1f MB/s, %.0f tokens/s, %.0f texts/s", Double(bytes) / t / 1e6, Double(tokens) / t, Double(texts.count) / t))
    }
}
