import Foundation
import XCTest
@testable import CurateModel

/// Token ids must equal those of transformers' tokenizer built from the same GGUF
/// (bench/trainer/make_token_golden.py). CURATE_TOKEN_GOLDEN points at another golden file,
/// as bench/trainer/check_tokenizer.sh does for the whole of DialogSum.
final class TokenizerGoldenTests: XCTestCase {
    struct Golden: Decodable {
        struct Case: Decodable { let text: String; let ids: [Int] }
        let cases: [Case]
    }

    static let tokenizer = Result { try BPETokenizer(gguf: try RealModel.gguf()) }

    func testIdsMatchTransformersGolden() throws {
        let env = ProcessInfo.processInfo.environment["CURATE_TOKEN_GOLDEN"]
        let url = env.map { URL(fileURLWithPath: $0) }
            ?? Bundle.module.url(forResource: "Fixtures/token_golden_handwritten", withExtension: "json")!
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
        let tok = try Self.tokenizer.get()
        var mismatches = 0
        for c in golden.cases {
            let ids = tok.encode(c.text)
            if ids != c.ids {
                mismatches += 1
                if mismatches <= 10 { XCTFail("\(c.text.debugDescription.prefix(200)): got \(ids.prefix(40)), want \(c.ids.prefix(40))") }
            }
            XCTAssertEqual(tok.decode(ids), c.text, "round trip")
        }
        print("tokenizer golden \(url.lastPathComponent): \(golden.cases.count - mismatches)/\(golden.cases.count) exact")
        XCTAssertEqual(mismatches, 0)
    }

    func testSpecialTokenIds() throws {
        let tok = try Self.tokenizer.get()
        XCTAssertEqual(tok.bosID, 1)
        XCTAssertEqual(tok.eosID, 2)
        XCTAssertEqual(tok.id(of: "<|im_start|>"), 1)
        XCTAssertEqual(tok.id(of: "<|im_end|>"), 2)
        XCTAssertFalse(tok.encode("<|im_end|>", parseSpecial: false).contains(2))
        // Bytes the vocabulary cannot spell are dropped, as transformers does.
        XCTAssertEqual(tok.encode("a\u{04}b"), [81, 82])
    }
}
