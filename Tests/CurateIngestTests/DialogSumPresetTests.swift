import CurateCore
import CurateIngest
import XCTest

final class DialogSumPresetTests: XCTestCase {
    func testSplitsTranscriptIntoTurnsWithSpeakers() throws {
        let conversations = try events(fixture: "dialogsum-test.jsonl", preset: .dialogsum).compactMap(\.conversation)
        XCTAssertEqual(conversations.count, 3, "two records plus a repeat; the blank line is not a record")
        let first = conversations[0]
        XCTAssertEqual(first.externalID, "test_1")
        XCTAssertEqual(first.turns.map(\.speaker), ["#Person1#", "#Person2#", "#Person1#"])
        XCTAssertEqual(first.turns.map(\.text), ["Hello, I'd like to book a table for two.", "Certainly. What time?", "Seven, please."])
        XCTAssertEqual(first.turns.map(\.role), [.other, .other, .other], "DialogSum does not say who is the user")
    }

    func testKeepsAllThreeReferenceSummariesAndTopics() throws {
        let first = try XCTUnwrap(events(fixture: "dialogsum-test.jsonl", preset: .dialogsum).first?.conversation)
        XCTAssertEqual(first.annotations.summaries, [
            "#Person1# books a table for two at seven.", "#Person1# reserves a table.", "#Person2# takes #Person1#'s booking for 7.",
        ])
        XCTAssertEqual(first.annotations.topics, ["booking", "restaurant", "reservation"])
    }

    func testContinuationLinesJoinThePreviousTurnAndCRLFIsALineBreak() throws {
        let second = try XCTUnwrap(events(fixture: "dialogsum-test.jsonl", preset: .dialogsum)[1].conversation)
        XCTAssertEqual(second.turns.count, 2)
        XCTAssertEqual(second.turns[0].text, "Is the café open?")
        XCTAssertEqual(second.turns[1].text, "Yes,   until nine.\nIt closes late on Fridays.", "raw text: normalizing is the clean stage's job")
    }

    func testProvenanceNamesFileHashAndLine() throws {
        let all = try events(fixture: "dialogsum-test.jsonl", preset: .dialogsum).compactMap(\.conversation)
        XCTAssertEqual(all.map(\.provenance.locator), ["line 1", "line 2", "line 4"], "line 3 is blank; the last line has no newline")
        XCTAssertTrue(all[0].provenance.sourcePath.hasSuffix("dialogsum-test.jsonl"))
        XCTAssertEqual(all[0].provenance.sourceSHA256.count, 64)
    }
}
