import CurateCore
import CurateIngest
import XCTest

/// The CSV reader on RFC 4180 corner cases and every kind of broken quoting.
final class CSVReaderTests: XCTestCase {
    func testQuotedMultiLineCellsWithCRLFAndDoubledQuotes() throws {
        let all = try events(fixture: "samsum-diasynth.csv", preset: .samsumCSV).compactMap(\.conversation)
        XCTAssertEqual(all.count, 3, "three rows; the blank line is not a row")
        XCTAssertEqual(all[0].turns.map(\.speaker), ["A", "B", "A"])
        XCTAssertEqual(all[0].turns[2].text, "Can you go with me to the \"animal shelter\"?")
        XCTAssertEqual(all[0].annotations.summaries, ["A asks Tom to come to the shelter. "], "raw text; cleaning trims later")
        XCTAssertEqual(all.map(\.provenance.locator), ["line 2", "line 5", "line 8"], "the line each row starts on (the first spans three)")
        XCTAssertNil(all[0].externalID, "DiaSynth's id column is a running number, not the SAMSum id")
        XCTAssertEqual(all[2].annotations.summaries, [], "an empty cell is a missing field")
    }

    func testByteOrderMarkAndSniffedSemicolonDelimiter() throws {
        let all = try events(fixture: "samsum-semicolon.csv", preset: .samsumCSV).compactMap(\.conversation)
        XCTAssertEqual(all.map { $0.turns.map(\.text) }, [["Tea?", "Yes; please"], ["Bye"]])
        XCTAssertEqual(all[0].annotations.summaries, ["Ann offers tea."])
    }

    func testBrokenQuotingIsRejectedWithLineAndColumnAndReadingGoesOn() throws {
        let all = try events(fixture: "bad-quoting.csv", preset: .samsumCSV)
        XCTAssertEqual(all.compactMap(\.conversation).map { $0.turns[0].text }, ["fine", "next row is fine"])
        let rejections = all.compactMap(\.rejection)
        XCTAssertEqual(rejections.map(\.reason), ["csv-bad-quote", "csv-bad-quote", "csv-cell-count", "csv-unclosed-quote"])
        XCTAssertTrue(rejections[0].description.hasSuffix(
            "bad-quoting.csv:3:12: ' ' after the closing quote of a cell — write a quote inside a quoted cell twice (\"\"), or end the cell after the quote"),
            rejections[0].description)
        XCTAssertTrue(rejections[1].description.contains("bad-quoting.csv:4:6: a quote inside an unquoted cell"), rejections[1].description)
        XCTAssertTrue(rejections[2].description.contains("bad-quoting.csv:6: the row has 3 cells but the header has 2"))
        XCTAssertTrue(rejections[3].description.contains("bad-quoting.csv:7:1: the quoted cell that opens here never closes"))
    }

    func testOneMessagePerRowGroupedByKeyAndOrderedByTurnColumn() throws {
        let preset = Preset(
            name: "support-rows", summary: "", container: .csv(CSVOptions()),
            mapping: .messagePerRecord(MessageMapping(grouping: .key("chat_id"), order: "seq", speaker: "sender", text: "message",
                                                      role: "role", roles: ["customer": .user, "agent": .assistant])),
            signature: ["chat_id"], example: "")
        let all = try events(fixture: "messages.csv", preset: preset)
        let conversations = all.compactMap(\.conversation)
        XCTAssertEqual(conversations.map(\.externalID), ["c1", "c2"])
        XCTAssertEqual(conversations[0].turns.map(\.text), ["My parcel never arrived.", "Hi Maya! Let me check.", "It ships tomorrow."],
                       "ordered by seq numerically (10 after 2)")
        XCTAssertEqual(conversations[0].turns.map(\.role), [.user, .assistant, .assistant])
        let late = try XCTUnwrap(all.last?.rejection)
        XCTAssertEqual(late.reason, "unsorted-conversation")
        XCTAssertTrue(late.description.contains("messages.csv:6: conversation 'c1' continues here after other conversations — sort the file by 'chat_id'"),
                      late.description)
    }
}
