import CurateModel
import Foundation

let args = Array(CommandLine.arguments.dropFirst())
switch args.first ?? "sgemm" {
case "sgemm": try benchSGEMM()
case "generate": try benchGenerate(promptTokens: args.count > 1 ? Int(args[1])! : 256, steps: args.count > 2 ? Int(args[2])! : 64,
                                   precisions: args.count > 3 ? [args[3]] : ["fp32", "quantized"])
case "tokenize" where args.count > 1: try benchTokenize(path: args[1])
case "eval-dialogsum":
    guard args.count > 1 else { fallthrough }
    try benchEvalDialogSum(path: args[1], examples: args.count > 2 ? Int(args[2])! : 64, batch: args.count > 3 ? Int(args[3])! : 8,
                           precision: args.count > 4 ? DecodingPrecision(rawValue: args[4])! : .quantized)
case "parity-quantized" where args.count > 1:
    try benchQuantizedParity(path: args[1], examples: args.count > 2 ? Int(args[2])! : 20, steps: args.count > 3 ? Int(args[3])! : 40)
default:
    FileHandle.standardError.write("""
    usage (CURATE_BENCH_MODEL=PATH measures that GGUF instead of SmolLM2-135M-Instruct):
           curate-train-bench sgemm
           curate-train-bench generate [PROMPT_TOKENS [STEPS [fp32|quantized]]]
           curate-train-bench tokenize DIALOGSUM_JSONL
           curate-train-bench eval-dialogsum DIALOGSUM_TEST_JSONL [EXAMPLES [BATCH [quantized|f32]]]
           curate-train-bench parity-quantized DIALOGSUM_TEST_JSONL [EXAMPLES [STEPS]]

    """.data(using: .utf8)!)
    exit(2)
}
