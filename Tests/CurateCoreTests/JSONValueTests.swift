import CurateCore
import Foundation
import XCTest

/// Expected texts were produced with Python's
/// `json.dumps(value, ensure_ascii=False, separators=(",", ":"))` (and `indent=2` for the pretty
/// case), which follows the same "only the escapes RFC 8259 requires" policy.
final class JSONValueTests: XCTestCase {
    func testStringEscapes() {
        let value = JSONValue.string("q\"b\\s/\n\r\t\u{08}\u{0C}\u{01}\u{1F}")
        XCTAssertEqual(value.text(), #""q\"b\\s/\n\r\t\b\f\u0001\u001f""#)
        XCTAssertEqual(JSONValue.string("\u{00}").text(), #""\u0000""#)
    }

    /// DEL, non-ASCII letters, emoji and U+2028 are legal raw in JSON and are kept as UTF-8.
    func testUnicodeKeptRaw() {
        let s = "\u{7F} é😀\u{2028}漢"
        XCTAssertEqual(JSONValue.string(s).text(), "\"" + s + "\"")
        XCTAssertEqual(Array(JSONValue.string("e\u{301}").text().unicodeScalars).map(\.value), [0x22, 0x65, 0x301, 0x22],
                       "the writer must not re-normalize text")
    }

    func testScalarsAndEmptyContainers() {
        XCTAssertEqual(JSONValue.int(-42).text(), "-42")
        XCTAssertEqual(JSONValue.int(Int.max).text(), "9223372036854775807")
        XCTAssertEqual(JSONValue.bool(true).text(), "true")
        XCTAssertEqual(JSONValue.bool(false).text(), "false")
        XCTAssertEqual(JSONValue.null.text(), "null")
        XCTAssertEqual(JSONValue.array([]).text(), "[]")
        XCTAssertEqual(JSONValue.object([]).text(), "{}")
        XCTAssertEqual(JSONValue.array([]).prettyText(), "[]\n")
    }

    func testDoubles() {
        XCTAssertEqual(JSONValue.double(1.0).text(), "1.0")
        XCTAssertEqual(JSONValue.double(0.25).text(), "0.25")
        XCTAssertEqual(JSONValue.double(-2).text(), "-2.0")
        XCTAssertEqual(JSONValue.double(0.1).text(), "0.1")
        XCTAssertEqual(JSONValue.double(123_456_789).text(), "123456789.0")
        XCTAssertEqual(JSONValue.double(1.0 / 3.0).text(), "0.3333333333333333")
        XCTAssertEqual(JSONValue.double(.nan).text(), "null")
        XCTAssertEqual(JSONValue.double(.infinity).text(), "null")
        // Large integral values leave the "N.0" path but must still be valid JSON numbers.
        for d in [1e15, 1e300, -4.5e18] {
            let parsed = try? JSONSerialization.jsonObject(with: Data(JSONValue.double(d).text().utf8), options: [.fragmentsAllowed])
            XCTAssertEqual((parsed as? NSNumber)?.doubleValue, d, JSONValue.double(d).text())
        }
        XCTAssertNotEqual(JSONValue.double(1), JSONValue.int(1), "1.0 and 1 are written differently")
    }

    func testKeyOrderKept() {
        let value = JSONValue.object([("z", .int(1)), ("a", .int(2)), ("m", .array([.int(3), .null]))])
        XCTAssertEqual(value.text(), #"{"z":1,"a":2,"m":[3,null]}"#)
    }

    func testPrettyShape() {
        let value = JSONValue.object([
            ("a", .int(1)), ("b", .array([.int(2), .bool(true)])), ("c", .object([])), ("d", .array([])),
            ("e", .object([("f", .null), ("g", .string("x"))])),
        ])
        let expected = """
        {
          "a": 1,
          "b": [
            2,
            true
          ],
          "c": {},
          "d": [],
          "e": {
            "f": null,
            "g": "x"
          }
        }

        """
        XCTAssertEqual(value.prettyText(), expected)
    }

    func testRawEmbeddedVerbatim() {
        let spec = #"{"tasks":["b","a"],"seed":7}"#
        let value = JSONValue.object([("spec", .raw(spec)), ("n", .int(1))])
        XCTAssertEqual(value.text(), #"{"spec":{"tasks":["b","a"],"seed":7},"n":1}"#)
        XCTAssertTrue(value.prettyText().contains(#""spec": {"tasks":["b","a"],"seed":7},"#))
    }

    // MARK: - Property: every line written parses back to the same values

    /// Random trees (strings, ints, doubles, bools, nulls, nested arrays and objects) written
    /// compactly must stay on one line and parse back with JSONSerialization to the same values;
    /// the pretty form must parse back to the same values too.
    func testRandomValuesRoundTripThroughJSONSerialization() throws {
        var g = SeededRandom(seed: 0xC0FFEE)
        for i in 0..<400 {
            let value = randomValue(&g, depth: 0)
            let line = value.text()
            let bytes = Array(line.utf8)
            XCTAssertFalse(bytes.contains(0x0A) || bytes.contains(0x0D), "case \(i): a JSONL line must stay on one line")
            let parsed = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            XCTAssertTrue(matches(parsed, value), "case \(i) did not round-trip: \(line)")
            let pretty = try JSONSerialization.jsonObject(with: Data(value.prettyText().utf8), options: [.fragmentsAllowed])
            XCTAssertTrue(matches(pretty, value), "case \(i) pretty form did not round-trip")
        }
    }

    /// Scalar-exact string round trip, BOMs included. Uses JSONDecoder because Linux
    /// JSONSerialization drops a U+FEFF at the start of a string or right after an escape
    /// (a Foundation parser quirk, not the writer's: see `testBOMWrittenRawAndReadBack`).
    func testRandomStringsRoundTripExactly() throws {
        var g = SeededRandom(seed: 99)
        for i in 0..<2000 {
            let s = randomString(&g, allowBOM: true)
            let back = try JSONDecoder().decode([String].self, from: Data(JSONValue.array([.string(s)]).text().utf8))
            XCTAssertEqual(back.first?.unicodeScalars.map(\.value), s.unicodeScalars.map(\.value), "case \(i)")
        }
    }

    /// The writer emits U+FEFF raw (legal JSON); JSONDecoder reads it back. This pins down that
    /// the BOM loss seen with JSONSerialization on Linux is on the parsing side.
    func testBOMWrittenRawAndReadBack() throws {
        let text = JSONValue.array([.string("\u{FEFF}a\n\u{FEFF}")]).text()
        XCTAssertEqual(Array(text.utf8), Array("[\"\u{FEFF}a\\n\u{FEFF}\"]".utf8))
        let back = try JSONDecoder().decode([String].self, from: Data(text.utf8))
        XCTAssertEqual(back[0].unicodeScalars.map(\.value), [0xFEFF, 0x61, 0x0A, 0xFEFF])
    }

    private static let specials: [String] = [
        "\"", "\\", "/", "\n", "\r", "\r\n", "\t", "\u{00}", "\u{01}", "\u{08}", "\u{0C}", "\u{1B}", "\u{1F}", "\u{7F}",
        "é", "e\u{301}", "😀", "👩‍👩‍👧", "🇫🇷", "漢", "\u{2028}", "\u{2029}", "\u{200B}", "\u{FFFD}", " ", "a", "Z", "0",
    ]

    /// Mixes the specials with arbitrary scalars; U+FEFF only when `allowBOM` (see the
    /// Foundation quirk above).
    private func randomString(_ g: inout SeededRandom, allowBOM: Bool = false) -> String {
        let specials = allowBOM ? Self.specials + ["\u{FEFF}"] : Self.specials
        var s = ""
        for _ in 0..<g.nextIndex(below: 12) {
            if g.nextIndex(below: 3) == 0 {
                // any Unicode scalar value, skipping the surrogate range
                var v = UInt32(g.nextIndex(below: 0x110000 - 0x800))
                if v >= 0xD800 { v += 0x800 }
                if v == 0xFEFF, !allowBOM { v = 0xFEFE }
                s.unicodeScalars.append(Unicode.Scalar(v)!)
            } else {
                s += specials[g.nextIndex(below: specials.count)]
            }
        }
        return s
    }

    private func randomValue(_ g: inout SeededRandom, depth: Int) -> JSONValue {
        switch g.nextIndex(below: depth >= 3 ? 5 : 7) {
        case 0: return .string(randomString(&g))
        case 1: return .int(Int(truncatingIfNeeded: g.next()) >> g.nextIndex(below: 64))
        case 2: return .double(Double(Int64(truncatingIfNeeded: g.next()) >> 11) / Double(UInt64(1) << UInt64(g.nextIndex(below: 60))))
        case 3: return .bool(g.nextIndex(below: 2) == 0)
        case 4: return g.nextIndex(below: 2) == 0 ? .null : .unsigned(g.next())
        case 5: return .array((0..<g.nextIndex(below: 4)).map { _ in randomValue(&g, depth: depth + 1) })
        default:
            // Keys are made unique by an index prefix so the parsed dictionary keeps them all.
            return .object((0..<g.nextIndex(below: 4)).map { k in ("\(k):" + randomString(&g), randomValue(&g, depth: depth + 1)) })
        }
    }

    /// Structural comparison of a JSONSerialization result with the value that was written.
    private func matches(_ any: Any, _ value: JSONValue) -> Bool {
        switch value {
        case .string(let s):
            guard let parsed = any as? String else { return false }
            return parsed.unicodeScalars.elementsEqual(s.unicodeScalars)
        case .int(let i):
            return (any as? NSNumber)?.int64Value == Int64(i)
        case .unsigned(let u):
            return (any as? NSNumber)?.uint64Value == u
        case .double(let d):
            // Linux JSONSerialization returns long decimals as NSDecimalNumber, whose doubleValue
            // can be an ulp off; its decimal text is exactly what was parsed.
            if let decimal = any as? NSDecimalNumber { return Double(decimal.description) == d }
            return (any as? NSNumber)?.doubleValue == d
        case .bool(let b):
            return (any as? Bool) == b
        case .null:
            return any is NSNull
        case .array(let items):
            guard let parsed = any as? [Any], parsed.count == items.count else { return false }
            return zip(parsed, items).allSatisfy { matches($0, $1) }
        case .object(let pairs):
            guard let parsed = any as? [String: Any], parsed.count == pairs.count else { return false }
            return pairs.allSatisfy { key, v in
                guard let entry = parsed.first(where: { $0.key.unicodeScalars.elementsEqual(key.unicodeScalars) }) else { return false }
                return matches(entry.value, v)
            }
        case .raw:
            return false
        }
    }
}
