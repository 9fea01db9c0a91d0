import CurateCore
import CurateModel
import Foundation
import XCTest
@testable import CurateTrain

/// The training loop on the tiny model: it learns, it resumes bit for bit, and what it
/// writes reads back.
final class TrainerTests: XCTestCase {
    struct Cancelled: Error {}

    func encoder(maxLength: Int = 256) throws -> ExampleEncoder {
        let gguf = try GGUFFile(path: TinyModel.path)
        return try ExampleEncoder(tokenizer: try BPETokenizer(gguf: gguf), template: try ChatTemplate(gguf: gguf), maxLength: maxLength)
    }

    /// Byte-token examples: a short "dialogue" and a 3–6 character answer, two tasks.
    func examples(_ n: Int, seed: UInt64 = 1) throws -> [EncodedExample] {
        var rng = SeededRandom(seed: seed)
        let letters = Array("abcdefghij")
        func word(_ k: Int) -> String { String((0 ..< k).map { _ in letters[rng.nextIndex(below: letters.count)] }) }
        let e = try encoder()
        return try (0 ..< n).map { i in
            try e.encode(TrainingText(system: "s", prompt: "A: \(word(8))\nB: \(word(6))", answer: word(3 + i % 4),
                                      task: i % 2 == 0 ? "summarize" : "topic", dialogue: nil)).get()
        }
    }

    func folder() -> RunFolder {
        let url = URL(fileURLWithPath: TinyModel.directory).appendingPathComponent("run-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return RunFolder(url)
    }

    func trainer(_ settings: TrainSettings, data: TrainingData, run: RunFolder, say: @escaping (String) throws -> Void = { _ in }) throws -> (Trainer, TrainableLlama) {
        let model = try TrainableLlama(weights: try TinyModel.weights(), method: settings.method, seed: settings.seed, maxPositions: 256)
        return (try Trainer(model: model, settings: settings, data: data, run: run, say: say,
                            saveModel: { try TrainedModel.save(model, baseModelName: "tiny", to: $0) }), model)
    }

    func losses(_ run: RunFolder) throws -> [String] {
        try String(contentsOf: run.log, encoding: .utf8).split(separator: "\n").compactMap { line in
            let value = try JSONParser.parse(String(line))
            return value["type"]?.stringValue == "train" ? "\(value["step"]!.text()) \(value["loss"]!.text()) \(value["task_loss"]!.text())" : nil
        }
    }

    func testAnInterruptedRunResumesBitForBit() throws {
        var settings = TrainSettings()
        settings.lora = LoRAConfig(rank: 4, alpha: 8, dropout: 0.1, targets: LinearModule.allCases, rsLoRA: false)
        (settings.steps, settings.batchSize, settings.gradientAccumulation, settings.saveEvery, settings.evalEvery) = (8, 2, 2, 3, 4)
        let data = TrainingData(train: try examples(10), validation: try examples(4, seed: 9))
        let whole = folder()
        _ = try trainer(settings, data: data, run: whole).0.train(resume: false)

        let interrupted = folder()
        var seen = 0
        XCTAssertThrowsError(try trainer(settings, data: data, run: interrupted, say: { line in
            if line.hasPrefix("step") { seen += 1 }
            if seen == 5 { throw Cancelled() }
        }).0.train(resume: false))
        XCTAssertTrue(interrupted.hasCheckpoint, "the step-3 checkpoint is kept")
        let outcome = try trainer(settings, data: data, run: interrupted).0.train(resume: true)
        XCTAssertEqual(outcome.steps, 8)
        XCTAssertEqual(try losses(interrupted), try losses(whole), "every step's loss, overall and per task")
        XCTAssertEqual(try Data(contentsOf: interrupted.url.appendingPathComponent(HuggingFaceFormat.adapterWeights)),
                       try Data(contentsOf: whole.url.appendingPathComponent(HuggingFaceFormat.adapterWeights)), "the same adapter, bit for bit")
        XCTAssertFalse(interrupted.hasCheckpoint, "a finished run drops its checkpoint")
        XCTAssertTrue(FileManager.default.fileExists(atPath: whole.best.appendingPathComponent(HuggingFaceFormat.adapterConfig).path))
    }

    func testFullFineTuningOverfitsEightExamples() throws {
        var settings = TrainSettings()
        settings.lora = nil
        (settings.steps, settings.batchSize, settings.learningRate, settings.warmup, settings.weightDecay) = (120, 8, 3e-3, 5, 0)
        let run = folder()
        let outcome = try trainer(settings, data: TrainingData(train: try examples(8), validation: []), run: run).0.train(resume: false)
        let first = try XCTUnwrap(try losses(run).first.flatMap { Float($0.split(separator: " ")[1]) })
        XCTAssertGreaterThan(first, 4, "random answers start near ln(262) = 5.6")
        XCTAssertLessThan(try XCTUnwrap(outcome.lastLoss), 0.05, "memorized")
    }

    func testLoRALearnsAndItsMergedWeightsAreTheAdaptedModel() throws {
        var settings = TrainSettings()
        settings.lora = LoRAConfig(rank: 8, alpha: 16, dropout: 0, targets: LinearModule.allCases, rsLoRA: false)
        (settings.steps, settings.batchSize, settings.learningRate) = (60, 8, 1e-2)
        let data = TrainingData(train: try examples(8), validation: [])
        let run = folder()
        let (trainer, model) = try trainer(settings, data: data, run: run)
        let outcome = try trainer.train(resume: false)
        XCTAssertLessThan(try XCTUnwrap(outcome.lastLoss), 1.5)
        // The adapter, read back and merged into fresh base weights, gives the same losses.
        let batch = Trainer.pack(data.train)
        let adapted = model.forwardBackward(batch, lossScale: 0, backward: false, dropoutKey: nil)
        let merged = try TinyModel.weights()
        try HuggingFaceFormat.readAdapter(from: run.url, model: merged.config).merge(into: merged, blas: try BLAS.shared.get())
        let plain = try TrainableLlama(weights: merged, method: .full, seed: 0).forwardBackward(batch, lossScale: 0, backward: false, dropoutKey: nil)
        for (a, b) in zip(adapted, plain) { XCTAssertEqual(a, b, accuracy: 1e-4) }
    }

    func testANonFiniteLossStopsTheRunAndNamesTheStep() throws {
        var settings = TrainSettings()
        settings.lora = nil
        (settings.steps, settings.batchSize, settings.learningRate, settings.maxGradientNorm, settings.warmup) = (40, 4, 1e9, 0, 0)
        XCTAssertThrowsError(try trainer(settings, data: TrainingData(train: try examples(8), validation: []), run: folder()).0.train(resume: false)) { error in
            guard case let .nonFiniteLoss(step, last)? = error as? TrainError else { return XCTFail("\(error)") }
            XCTAssertGreaterThan(step, 1)
            XCTAssertNotNil(last)
            XCTAssertTrue("\(error)".contains("at step \(step)"))
        }
    }
}
