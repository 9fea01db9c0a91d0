import CurateCore
import CurateModel
import Foundation
import XCTest

/// `curate train`, `eval --model RUN` and `model export|merge` end to end on a tiny random
/// llama (byte-level tokenizer, 2 layers), on shards curate itself wrote.
final class TrainCLITests: XCTestCase {
    var cli: CLIFixture!

    /// Eight two-line dialogues with summaries (train), two for validation and test each.
    override func setUpWithError() throws {
        cli = try CLIFixture(self)
        try RandomLlama.writer().write(to: cli.folder.appendingPathComponent("tiny.gguf").path)
        func records(_ range: Range<Int>) -> String {
            range.map { i in ##"{"fname": "d\##(i)", "dialogue": "#Person1#: Is order \##(i) here?\n#Person2#: It ships on day \##(i).", "summary": "Order \##(i) ships on day \##(i).", "topic": "shipping"}"## }
                .joined(separator: "\n") + "\n"
        }
        try cli.write("train.jsonl", records(0 ..< 8))
        try cli.write("dev.jsonl", records(8 ..< 10))
        try cli.write("test.jsonl", records(10 ..< 12))
        for (file, split) in [("train.jsonl", "train"), ("dev.jsonl", "validation"), ("test.jsonl", "test")] {
            XCTAssertEqual(try cli.curate(["ingest", file, "--preset", "dialogsum", "--split", split]).status, 0)
        }
        XCTAssertEqual(try cli.curate(["render", "--tasks", "summarize", "--shots", "0", "--templates", repoTemplates]).status, 0)
        XCTAssertEqual(try cli.curate(["mix", "--tasks", "summarize", "--strategy", "equal", "--name", "m"]).status, 0)
        XCTAssertEqual(try cli.curate(["shard", "--mix", "m", "--out", "shards"]).status, 0)
    }

    func train(_ extra: [String]) throws -> (status: Int32, out: String, err: String) {
        try cli.curate(["train", "--model", "tiny.gguf", "--shards", "shards", "--max-seq-len", "400", "--batch", "2"] + extra)
    }

    func log(_ run: String) throws -> [JSONValue] {
        try String(contentsOf: cli.folder.appendingPathComponent(run + "/train_log.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONParser.parse(String($0)) }
    }

    func trainLosses(_ run: String) throws -> [String] {
        try log(run).filter { $0["type"] == .string("train") }.map { "\($0["step"]!.text()) \($0["loss"]!.text())" }
    }

    func testARunTrainsAndEvaluationAndExportReadIt() throws {
        let result = try train(["--out", "run", "--steps", "4", "--eval-every", "2", "--save-every", "2"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("with LoRA r=16 alpha=32 dropout=0.05 on all linear layers"), result.out)
        XCTAssertTrue(result.out.contains("step 1/4  loss "), result.out)
        XCTAssertTrue(result.out.contains("validation at step 2: loss "), result.out)
        let entries = try log("run")
        XCTAssertEqual(entries.filter { $0["type"] == .string("train") }.count, 4)
        XCTAssertEqual(entries.filter { $0["type"] == .string("validation") }.map { $0["step"] }, [.int(2), .int(4)])
        XCTAssertNotNil(entries[0]["task_loss"]?["summarize"])
        let record = try JSONParser.parse(try String(contentsOf: cli.folder.appendingPathComponent("run/run.json"), encoding: .utf8))
        XCTAssertEqual(record["status"], .string("finished"))
        XCTAssertEqual(record["settings"]?["lora"]?["rank"], .int(16))
        XCTAssertEqual(record["base"]?["gguf_sha256"]?.stringValue?.count, 64)
        XCTAssertEqual(record["data"]?["train"]?["padding_fraction"], .double(0))
        for file in ["adapter_model.safetensors", "adapter_config.json", "best/adapter_config.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: cli.folder.appendingPathComponent("run/" + file).path), file)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.folder.appendingPathComponent("run/checkpoint").path))

        let eval = try cli.curate(["eval", "--model", "run", "--shards", "shards", "--split", "test", "--max-new-tokens", "4", "--out", "eval", "--json"])
        XCTAssertEqual(eval.status, 0, eval.err)
        XCTAssertTrue(eval.out.contains("\"examples\":2"), eval.out)
        XCTAssertEqual(try cli.curate(["model", "merge", "run", "--out", "merged.gguf"]).status, 0)
        let merged = try GGUFFile(path: cli.folder.appendingPathComponent("merged.gguf").path)
        XCTAssertEqual(try merged.tensor(named: "blk.1.attn_q.weight").type, .f32)
        XCTAssertEqual(try merged.string("tokenizer.chat_template"), RandomLlama.smolLMTemplate)
        let generated = try cli.curate(["generate", "--model", "merged.gguf", "--max-tokens", "3", "hi"])
        XCTAssertEqual(generated.status, 0, generated.err)
        XCTAssertEqual(generated.out, try cli.curate(["generate", "--model", "run", "--max-tokens", "3", "hi"]).out,
                       "the merged GGUF is the run")
    }

    func testFullFineTuningExportsF16() throws {
        XCTAssertEqual(try train(["--out", "full", "--full", "--steps", "2"]).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: cli.folder.appendingPathComponent("full/model.safetensors").path))
        XCTAssertEqual(try cli.curate(["model", "export", "full", "--gguf", "full.gguf", "--type", "f16"]).status, 0)
        let gguf = try GGUFFile(path: cli.folder.appendingPathComponent("full.gguf").path)
        XCTAssertEqual(try gguf.tensor(named: "token_embd.weight").type, .f16)
        XCTAssertEqual(try gguf.tensor(named: "output_norm.weight").type, .f32)
        let merge = try cli.curate(["model", "merge", "full", "--out", "x.gguf"])
        XCTAssertEqual(merge.status, 1)
        XCTAssertTrue(merge.err.contains("has no adapter to merge"), merge.err)
    }

    /// A run killed with SIGKILL after a checkpoint resumes and gives every step the loss an
    /// uninterrupted run gives.
    func testAKilledRunResumesWithTheSameLossAtEveryStep() throws {
        XCTAssertEqual(try train(["--out", "whole", "--steps", "12", "--save-every", "3"]).status, 0)
        let process = try cli.start(["train", "--model", "tiny.gguf", "--shards", "shards", "--max-seq-len", "400", "--batch", "2",
                                     "--out", "killed", "--steps", "12", "--save-every", "3"])
        let state = cli.folder.appendingPathComponent("killed/checkpoint/state.json")
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: state.path), Date() < deadline { usleep(20_000) }
        usleep(150_000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal, "killed before it finished")
        let record = try JSONParser.parse(try String(contentsOf: cli.folder.appendingPathComponent("killed/run.json"), encoding: .utf8))
        XCTAssertEqual(record["status"], .string("running"), "a killed run does not look finished")
        let resumed = try cli.curate(["train", "--resume", "killed"])
        XCTAssertEqual(resumed.status, 0, resumed.err)
        XCTAssertTrue(resumed.out.contains("resuming at step"), resumed.out)
        XCTAssertEqual(try trainLosses("killed"), try trainLosses("whole"))
    }

    func testBadInputsAreClearErrors() throws {
        let target = try train(["--out", "r1", "--lora", "targets=q_proj+qkv"])
        XCTAssertEqual(target.status, 1)
        XCTAssertTrue(target.err.contains("unknown LoRA target 'qkv'"), target.err)
        let cap = try cli.curate(["train", "--model", "tiny.gguf", "--shards", "shards", "--out", "r2", "--max-seq-len", "8"])
        XCTAssertEqual(cap.status, 1)
        XCTAssertTrue(cap.err.contains("--max-seq-len 8 fits none of the"), cap.err)
        let both = try train(["--out", "r3", "--full", "--lora", "r=4"])
        XCTAssertNotEqual(both.status, 0)
        XCTAssertTrue(both.err.contains("--lora and --full exclude each other"), both.err)

        XCTAssertEqual(try train(["--out", "r4", "--steps", "6", "--save-every", "2"]).status, 0)
        let again = try train(["--out", "r4", "--steps", "6"])
        XCTAssertTrue(again.err.contains("already holds a run"), again.err)
        let finished = try cli.curate(["train", "--resume", "r4"])
        XCTAssertTrue(finished.err.contains("the run has finished"), finished.err)

        var manifest = try String(contentsOf: cli.folder.appendingPathComponent("shards/manifest.json"), encoding: .utf8)
        manifest = manifest.replacingOccurrences(of: "\"split\": \"train\"", with: "\"split\": \"other\"")
        try FileManager.default.copyItem(at: cli.folder.appendingPathComponent("shards"), to: cli.folder.appendingPathComponent("notrain"))
        try cli.write("notrain/manifest.json", manifest)
        let noTrain = try cli.curate(["train", "--model", "tiny.gguf", "--shards", "notrain", "--out", "r5"])
        XCTAssertTrue(noTrain.err.contains("lists no train split"), noTrain.err)

        var writer = try RandomLlama.writer()
        writer.set("general.architecture", .string("gpt2"))
        try writer.write(to: cli.folder.appendingPathComponent("gpt2.gguf").path)
        let arch = try cli.curate(["train", "--model", "gpt2.gguf", "--shards", "shards", "--out", "r6"])
        XCTAssertTrue(arch.err.contains("model architecture 'gpt2' is not supported"), arch.err)
    }

    func testResumingWithOtherSettingsIsRefused() throws {
        let process = try cli.start(["train", "--model", "tiny.gguf", "--shards", "shards", "--max-seq-len", "400", "--batch", "2",
                                     "--out", "r", "--steps", "30", "--save-every", "1"])
        let state = cli.folder.appendingPathComponent("r/checkpoint/state.json")
        while !FileManager.default.fileExists(atPath: state.path), process.isRunning { usleep(20_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let other = try cli.curate(["train", "--resume", "r", "--lr", "0.1"])
        XCTAssertEqual(other.status, 1)
        XCTAssertTrue(other.err.contains("made with other settings or inputs (learningRate unset recorded, 0.1 given)"), other.err)
    }
}
