// swift-tools-version:6.0
import PackageDescription

/// One module per pipeline stage (see README "Layout"). Stage modules depend on `CurateCore`
/// and, where they persist, on `CurateStore` — never on each other. `CuratePipeline` wires the
/// stages together for the command line and for recipes; `curate` is a thin front over it.
let package = Package(
    name: "curate",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "curate", targets: ["curate"]),
        .library(name: "CuratePipeline", targets: ["CuratePipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    ],
    targets: [
        .target(name: "CurateCore"),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "CurateIngest", dependencies: ["CurateCore", "CLibXML2"]),
        .target(name: "CurateClean", dependencies: ["CurateCore"]),
        .target(name: "CurateStore", dependencies: ["CurateCore", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "CurateTemplates", dependencies: [
            "CurateCore", "Yams", .product(name: "Mustache", package: "swift-mustache"),
        ]),
        .target(name: "CurateMix", dependencies: ["CurateCore"]),
        // zlib and libzstd for compressed shards (`--compress gzip|zstd`).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", providers: [.apt(["libzstd-dev"])]),
        .target(name: "CurateShard", dependencies: ["CurateCore", "CZlib", "CZstd"]),
        // OpenBLAS's header only: Sources/CBLAS/module.modulemap says why nothing is linked.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", providers: [.apt(["libopenblas-dev"])]),
        // The model runtime: GGUF, tokenizer, chat template, llama forward, generation.
        // Optimized even in debug builds: its loops are plain Swift over flat buffers, and
        // unoptimized they would make the real-model tests crawl.
        // Int8 matmul kernels over GGUF block formats (AVX2 when the CPU has it), for decoding.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "CurateModel", dependencies: ["CurateCore", "CBLAS", "CKernels"],
                swiftSettings: [.unsafeFlags(["-O"])]),
        // Training: backward passes, LoRA, AdamW, checkpoints, safetensors and GGUF export.
        // It builds on the runtime (weights, tokenizer, chat template, BLAS). Optimized in
        // every configuration for the same reason as CurateModel.
        .target(name: "CurateTrain", dependencies: ["CurateCore", "CurateModel"],
                swiftSettings: [.unsafeFlags(["-O"])]),
        // Task metrics (ROUGE, entity F1, rating, topic) and scoring.
        .target(name: "CurateEval", dependencies: ["CurateCore"]),
        .target(name: "CuratePipeline", dependencies: [
            "CurateCore", "CurateIngest", "CurateClean", "CurateStore", "CurateTemplates",
            "CurateMix", "CurateShard", "CurateModel", "CurateTrain", "CurateEval", "Yams",
        ]),
        // Prefill/decode tok/s, sgemm GFLOP/s and eval throughput (bench/trainer).
        .executableTarget(name: "curate-train-bench", dependencies: ["CurateModel", "CurateEval", "CurateCore"], path: "bench/trainer/Sources"),
        .executableTarget(name: "curate", dependencies: [
            "CuratePipeline", "CurateCore", "CurateModel", "CurateTrain", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "CurateCoreTests", dependencies: ["CurateCore"]),
        .testTarget(name: "CurateIngestTests", dependencies: ["CurateIngest"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CurateCleanTests", dependencies: ["CurateClean"]),
        .testTarget(name: "CurateStoreTests", dependencies: ["CurateStore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "CurateTemplatesTests", dependencies: ["CurateTemplates"]),
        .testTarget(name: "CurateMixTests", dependencies: ["CurateMix"]),
        .testTarget(name: "CurateShardTests", dependencies: ["CurateShard"]),
        .testTarget(name: "CuratePipelineTests", dependencies: ["CuratePipeline", "CurateStore", "CurateModel", "CurateEval"]),
        .testTarget(name: "CurateCLITests", dependencies: ["curate", "CurateCore", "CurateModel"], exclude: ["Fixtures"]),
        .testTarget(name: "CurateModelTests", dependencies: ["CurateModel", "CurateCore", "CKernels"]),
        .testTarget(name: "CurateTrainTests", dependencies: ["CurateTrain", "CurateModel", "CurateCore"]),
        .testTarget(name: "CurateEvalTests", dependencies: ["CurateEval", "CurateCore"], resources: [.copy("Fixtures")]),
        // The real SmolLM2 model, fetched from PyPI on first use.
        .testTarget(name: "CurateModelRealTests", dependencies: ["CurateModel"], resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v5]
)
