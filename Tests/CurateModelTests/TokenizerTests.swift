import XCTest
@testable import CurateModel

final class TokenizerTests: XCTestCase {
    func testByteLevelTableIsGPT2s() {
        XCTAssertEqual(ByteLevel.scalar[0x20], "\u{120}") // space → Ġ
        XCTAssertEqual(ByteLevel.scalar[0x0A], "\u{10A}") // newline → Ċ
        XCTAssertEqual(ByteLevel.scalar[0x41], "A")
        XCTAssertEqual(ByteLevel.scalar[0xAD], "\u{143}") // soft hyphen is the last shifted byte
        XCTAssertEqual(Set(ByteLevel.scalar).count, 256)
        let spelled = String(String.UnicodeScalarView([0, 32, 200, 255].map { ByteLevel.scalar[$0] }))
        XCTAssertEqual(ByteLevel.bytes(of: spelled), [0, 32, 200, 255])
    }

    func testGPT2SplitFollowsThePattern() {
        func pieces(_ s: String, _ p: PreTokenizer = .gpt2) -> [String] {
            let scalars = Array(s.unicodeScalars)
            return p.split(scalars).map { r in
                var v = String.UnicodeScalarView()
                v.append(contentsOf: scalars[r])
                return String(v)
            }
        }
        XCTAssertEqual(pieces("Hello world"), ["Hello", " world"])
        XCTAssertEqual(pieces("I'm here's"), ["I", "'m", " here", "'s"])
        XCTAssertEqual(pieces("a   b"), ["a", "  ", " b"])
        XCTAssertEqual(pieces("a\n\nb"), ["a", "\n", "\n", "b"]) // \s+(?!\S) backs off one, then \s+
        XCTAssertEqual(pieces("end  "), ["end", "  "])
        XCTAssertEqual(pieces("x 123!?"), ["x", " 123", "!?"])
        XCTAssertEqual(pieces("?'s"), ["?'", "s"])
        XCTAssertEqual(pieces("café 😀😀"), ["café", " 😀😀"])
        XCTAssertEqual(pieces("x 123", .smollm), ["x", " ", "1", "2", "3"])
        XCTAssertEqual(pieces("a²b", .smollm), ["a", "²", "b"])
    }

    /// A vocabulary small enough to follow by hand: bytes a, b, c, space, plus merges.
    func testBPEMergesByRankAndRoundTrips() throws {
        let tok = try tinyTokenizer()
        XCTAssertEqual(tok.encode("ab"), [tok.id(of: "ab")!])
        // "abc": (a,b) has rank 0, then (ab,c) rank 1.
        XCTAssertEqual(tok.encode("abc"), [tok.id(of: "abc")!])
        // " ab" is one piece; (Ġ,a) is not a merge, (a,b) is.
        XCTAssertEqual(tok.encode(" ab"), [tok.id(of: "Ġ")!, tok.id(of: "ab")!])
        XCTAssertEqual(tok.encode("<|end|>ab<|end|>"), [tok.id(of: "<|end|>")!, tok.id(of: "ab")!, tok.id(of: "<|end|>")!])
        for s in ["abc cab", "a<|end|>", "<|end", "b  c\n"] { XCTAssertEqual(tok.decode(tok.encode(s)), s) }
    }

    func testUnsupportedPreTokenizerIsNamed() throws {
        var w = GGUFWriter()
        w.set("tokenizer.ggml.model", .string("gpt2"))
        w.set("tokenizer.ggml.pre", .string("qwen2"))
        w.set("tokenizer.ggml.tokens", .array(.string, []))
        w.set("tokenizer.ggml.merges", .array(.string, []))
        let f = try GGUFFile(path: try TestFiles.write(w, name: "pre.gguf"))
        XCTAssertThrowsError(try BPETokenizer(gguf: f)) {
            XCTAssertEqual("\($0)", "tokenizer.ggml.pre is 'qwen2'; supported: gpt2, smollm")
        }
    }

    func tinyTokenizer() throws -> BPETokenizer {
        var tokens = ["<|end|>"] + (0 ..< 256).map { String(ByteLevel.scalar[$0]) }
        tokens += ["ab", "abc", "ca"]
        var types = [Int](repeating: 1, count: tokens.count)
        types[0] = 3
        return try BPETokenizer(tokens: tokens, tokenTypes: types, merges: ["a b", "ab c", "c a"], preTokenizer: .gpt2, eosID: 0)
    }
}
