import CurateCore
import XCTest

final class JSONParserTests: XCTestCase {
    func testParsesEveryKindOfValueKeepingKeyOrder() throws {
        let value = try JSONParser.parse(#" {"b": [1, -2.5e3, true, false, null], "a": {"x": "y"}, "big": 18446744073709551615} "#)
        XCTAssertEqual(value.text(), #"{"b":[1,-2500.0,true,false,null],"a":{"x":"y"},"big":18446744073709551615}"#)
        XCTAssertEqual(value["a"]?["x"]?.stringValue, "y")
        XCTAssertNil(value["missing"])
    }

    func testEscapesAndUnicode() throws {
        let value = try JSONParser.parse(#"["a\"b\\c\/d\n\t\u00e9\ud83d\ude00\ud800x", "café 😀"]"#)
        XCTAssertEqual(value.arrayValue?.compactMap(\.stringValue), ["a\"b\\c/d\n\té😀\u{FFFD}x", "café 😀"])
    }

    /// Whatever the writer produces, the parser reads back to the same text.
    func testRoundTripsTheWriterOnRandomValues() throws {
        var generator = SeededRandom(seed: 7)
        for _ in 0..<300 {
            let value = randomValue(&generator, depth: 0)
            XCTAssertEqual(try JSONParser.parse(value.text()).text(), value.text())
        }
    }

    func testErrorsGiveTheByteOffset() {
        let cases: [(String, Int, String)] = [
            (#"{"a": 1,}"#, 8, "expected a quoted key"),
            (#"{"a" 1}"#, 5, "expected ':' after a key"),
            (#"[1 2]"#, 3, "expected ',' or ']' in an array"),
            (#""abc"#, 4, "unterminated string"),
            (#"{'a': 1}"#, 1, "expected a quoted key"),
            ("tru", 0, "unexpected character 't'"),
            ("01", 1, "unexpected text after the JSON value"),
            ("\"a\u{01}\"", 2, "unescaped control character in a string"),
            (#""\x""#, 2, #"invalid escape '\x'"#),
            ("", 0, "unexpected end of input"),
        ]
        for (text, offset, message) in cases {
            XCTAssertThrowsError(try JSONParser.parse(text), text) { error in
                XCTAssertEqual(error as? JSONParser.Failure, JSONParser.Failure(offset: offset, message: message), text)
            }
        }
    }

    func testDeepNestingIsAnErrorNotACrash() {
        XCTAssertThrowsError(try JSONParser.parse(String(repeating: "[", count: 100_000)))
    }

    private func randomValue(_ g: inout SeededRandom, depth: Int) -> JSONValue {
        switch g.nextIndex(below: depth > 3 ? 5 : 7) {
        case 0: return .string(String((0..<g.nextIndex(below: 12)).map { _ in
            Character(Unicode.Scalar([0x22, 0x5C, 0x0A, 0x01, 0x41, 0xE9, 0x1F600][g.nextIndex(below: 7)])!) }))
        case 1: return .int(Int(truncatingIfNeeded: g.next()) >> g.nextIndex(below: 64))
        case 2: return .double(Double(Int64(truncatingIfNeeded: g.next()) >> 20) / 1024)
        case 3: return .bool(g.nextIndex(below: 2) == 0)
        case 4: return .null
        case 5: return .array((0..<g.nextIndex(below: 4)).map { _ in randomValue(&g, depth: depth + 1) })
        default: return .object((0..<g.nextIndex(below: 4)).map { ("k\($0)", randomValue(&g, depth: depth + 1)) })
        }
    }
}
