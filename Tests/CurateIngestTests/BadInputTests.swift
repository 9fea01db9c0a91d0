import CurateCore
import CurateIngest
import XCTest

/// Each line of bad-lines.jsonl is broken in one documented way; the reader must keep the good
/// line and reject every other one with a reason and an actionable message.
final class BadInputTests: XCTestCase {
    var all: [IngestEvent] = []

    override func setUpWithError() throws {
        all = try events(fixture: "bad-lines.jsonl", preset: .dialogsum)
    }

    func testGoodLineIsKeptAndEveryBadLineRejectedInOrder() {
        XCTAssertEqual(all.count, 8, "one event per line: nothing dropped silently")
        XCTAssertEqual(all.first?.conversation?.externalID, "train_9")
        XCTAssertEqual(all.dropFirst().compactMap(\.rejection).map(\.reason), [
            "python-repr", "malformed-json", "invalid-utf8", "empty-turn", "no-speaker", "missing-field", "not-an-object",
        ])
    }

    func testPythonReprSaysWhatTheLineIsAndHowToConvertIt() throws {
        let d = try XCTUnwrap(all[1].rejection)
        XCTAssertEqual(d.locator, "line 2")
        XCTAssertTrue(d.description.contains("bad-lines.jsonl:2: this line is a Python dict literal"), d.description)
        XCTAssertTrue(d.hint.contains("ast.literal_eval"), d.hint)
        XCTAssertTrue(d.excerpt.hasPrefix("{'fname': 'train_1'"))
    }

    func testMalformedJSONNamesTheLineAndParserDetail() throws {
        let d = try XCTUnwrap(all[2].rejection)
        // Line 3 is `{"fname": "train_2", "dialogue": "#Person1#: unterminated}` (58 bytes): the string
        // never closes, so the error is just past the end of the line.
        XCTAssertTrue(d.description.contains("bad-lines.jsonl:3:59: not valid JSON: unterminated string"), d.description)
    }

    func testInvalidUTF8GivesTheByteOffset() throws {
        let d = try XCTUnwrap(all[3].rejection)
        // The 0xE9 byte follows `{"fname": "train_3", "dialogue": "#Person1#: caf` (48 bytes).
        XCTAssertTrue(d.message.contains("at byte 49"), d.message)
        XCTAssertTrue(d.hint.contains("iconv"))
    }

    func testSpeakerWithoutTextAndTextWithoutSpeaker() throws {
        XCTAssertTrue(try XCTUnwrap(all[4].rejection).message.contains("turn 2 (#Person2#) has a speaker but no text"))
        XCTAssertTrue(try XCTUnwrap(all[5].rejection).message.contains("text before the first speaker label: \"Hello there\""))
    }

    func testMissingFieldNamesTheField() throws {
        XCTAssertTrue(try XCTUnwrap(all[6].rejection).message.contains("field 'dialogue' is missing"))
    }
}
