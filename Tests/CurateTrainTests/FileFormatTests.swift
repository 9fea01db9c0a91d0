import CurateCore
import CurateModel
import Foundation
import XCTest
@testable import CurateTrain

/// safetensors, PEFT adapters and transformers checkpoints: what is written reads back, with
/// the names and row orders the Hugging Face side expects.
final class FileFormatTests: XCTestCase {
    func temporaryFolder() throws -> URL {
        let url = URL(fileURLWithPath: TinyModel.directory).appendingPathComponent("files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testSafeTensorsRoundTripWithAlignedData() throws {
        let url = try temporaryFolder().appendingPathComponent("t.safetensors")
        try SafeTensors.write([.init(name: "a", shape: [2, 3], values: [1, 2, 3, 4, 5, -6]), .init(name: "b", shape: [1], values: [.pi])],
                              metadata: [("format", "pt")], to: url)
        let bytes = try Data(contentsOf: url)
        let headerLength = bytes.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        XCTAssertEqual(headerLength % 8, 0, "data starts 8-byte aligned")
        let header = try JSONParser.parse(String(decoding: bytes[8 ..< 8 + Int(headerLength)], as: UTF8.self))
        XCTAssertEqual(header["a"]?["data_offsets"], .array([.int(0), .int(24)]))
        XCTAssertEqual(header["__metadata__"]?["format"], .string("pt"))
        let read = try SafeTensors.read(url)
        XCTAssertEqual(read["a"]?.values, [1, 2, 3, 4, 5, -6])
        XCTAssertEqual(read["a"]?.shape, [2, 3])
        XCTAssertEqual(read["b"]?.values, [.pi])
    }

    /// llama.cpp's converter: gguf = hf.reshape(heads, 2, hd/2, …).swapaxes(1, 2): within a
    /// head of 4 rows, GGUF rows (0, 1, 2, 3) are transformers rows (0, 2, 1, 3).
    func testRotaryRowOrderIsLlamaCppsPermutation() {
        let hf: [Float] = (0 ..< 8).map(Float.init)   // 2 heads × 4 rows × width 1
        let gguf = RotaryRowOrder.toGGUF(hf, heads: 2, rows: 8, width: 1)
        XCTAssertEqual(gguf, [0, 2, 1, 3, 4, 6, 5, 7])
        XCTAssertEqual(RotaryRowOrder.toHuggingFace(gguf, heads: 2, rows: 8, width: 1), hf)
    }

    func testAdaptersAndFullWeightsReadBackExactly() throws {
        let weights = try TinyModel.weights()
        let lora = LoRAWeights(config: LoRAConfig(rank: 4, alpha: 8, dropout: 0.05, targets: [.q, .k, .down], rsLoRA: true), model: weights.config)
        var rng = SeededRandom(seed: 4)
        fillRandom(lora.buffer.baseAddress!, lora.buffer.count, &rng)
        let folder = try temporaryFolder()
        try HuggingFaceFormat.writeAdapter(lora, baseModel: "tiny", to: folder)
        let config = try JSONParser.parse(try String(contentsOf: folder.appendingPathComponent("adapter_config.json"), encoding: .utf8))
        XCTAssertEqual(config["target_modules"], .array([.string("q_proj"), .string("k_proj"), .string("down_proj")]))
        XCTAssertEqual(config["use_rslora"], .bool(true))
        let tensors = try SafeTensors.read(folder.appendingPathComponent("adapter_model.safetensors"))
        XCTAssertEqual(tensors["base_model.model.model.layers.1.self_attn.k_proj.lora_B.weight"]?.shape, [32, 4])
        XCTAssertEqual(tensors["base_model.model.model.layers.0.mlp.down_proj.lora_A.weight"]?.shape, [4, 96])
        let back = try HuggingFaceFormat.readAdapter(from: folder, model: weights.config)
        XCTAssertEqual(back.config, lora.config)
        XCTAssertEqual(Array(back.buffer), Array(lora.buffer))

        try HuggingFaceFormat.writeModel(weights, to: folder)
        let full = try SafeTensors.read(folder.appendingPathComponent("model.safetensors"))
        XCTAssertEqual(full.count, 1 + 2 * 9 + 1, "embedding, 9 per layer, final norm; the head is tied")
        let reread = try TinyModel.weights()
        reread.buffer.update(repeating: 0)
        try HuggingFaceFormat.readModel(from: folder, into: reread)
        XCTAssertEqual(Array(reread.buffer), Array(weights.buffer))
    }
}
