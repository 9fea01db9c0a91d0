import XCTest
@testable import CurateModel

final class ModelFetchTests: XCTestCase {
    func testFetchGivesTheVerifiedSmolLM2File() throws {
        let url = try RealModel.path.get()
        XCTAssertEqual(url.lastPathComponent, "SmolLM2-135M-Instruct.Q4_1.gguf")
        let f = try RealModel.gguf()
        XCTAssertEqual(try f.string("general.architecture"), "llama")
        XCTAssertEqual(try f.int("llama.block_count"), 30)
        XCTAssertEqual(try f.string("tokenizer.ggml.pre"), "smollm")
        XCTAssertEqual(try f.strings("tokenizer.ggml.tokens").count, 49152)
        XCTAssertEqual(f.tensors.count, 272)
        XCTAssertEqual(try f.tensor(named: "token_embd.weight").type, .q8_0)
        XCTAssertEqual(try f.tensor(named: "blk.0.attn_q.weight").type, .q4_1)
        XCTAssertEqual(try f.tensor(named: "blk.0.attn_q.weight").shape, [576, 576])
        let norm = try f.floats("output_norm.weight")
        XCTAssert(norm.allSatisfy(\.isFinite))
    }

    func testUnknownModelNamesTheKnownOnes() {
        XCTAssertThrowsError(try ModelCache(environment: ["CURATE_HOME": "/nonexistent"]).fetch("gpt-5")) {
            XCTAssertEqual("\($0)", "unknown model 'gpt-5'; known models: smollm2-135m")
        }
    }

    func testCurateHomeChangesTheRoot() {
        XCTAssertEqual(ModelCache(environment: ["CURATE_HOME": "/x/y"]).root.path, "/x/y/models")
        XCTAssertEqual(ModelCache(environment: ["HOME": "/h"]).root.path, "/h/.cache/curate/models")
    }
}
