import CurateEval
import CurateModel
import Foundation

/// curate-train-bench eval-dialogsum: the summarization eval end to end — ChatML prompt,
/// batched greedy generation, ROUGE against the three DialogSum references — and its speed in
/// examples per minute.
func benchEvalDialogSum(path: String, examples: Int, batch: Int) throws {
    let modelPath = try ModelCache().fetch("smollm2-135m")
    let gguf = try GGUFFile(path: modelPath.path)
    let model = try LlamaModel(gguf: gguf, maxPositions: 2048)
    let tokenizer = try BPETokenizer(gguf: gguf)
    let template = try ChatTemplate(gguf: gguf)
    let generator = Generator(model: model, tokenizer: tokenizer)

    let rows = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").prefix(examples).map { line in
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
    }
    var rouge = RougeAccumulator()
    var generated = 0
    let t = try seconds {
        for start in stride(from: 0, to: rows.count, by: batch) {
            let chunk = rows[start ..< min(start + batch, rows.count)]
            let prompts = chunk.map { row in
                tokenizer.encode(template.render([.init(role: "user", content: "Summarize the following dialogue.\n\n" + (row["dialogue"] as! String))]))
            }
            let outputs = try generator.generate(prompts, maxNewTokens: 64)
            for (row, out) in zip(chunk, outputs) {
                let refs = ["summary1", "summary2", "summary3", "summary"].compactMap { row[$0] as? String }
                rouge.add(references: refs, prediction: tokenizer.decode(out))
                generated += out.count
            }
        }
    }
    print(String(format: "%d examples in %.1f s: %.1f examples/min, %.1f generated tok/s (batch %d)",
                 rows.count, t, Double(rows.count) / t * 60, Double(generated) / t, batch))
    for type in RougeType.standard {
        let m = rouge.mean(type)
        let name = type.description.padding(toLength: 10, withPad: " ", startingAt: 0)
        print(name + String(format: "P %.4f R %.4f F %.4f", m.precision, m.recall, m.fmeasure))
    }
}
