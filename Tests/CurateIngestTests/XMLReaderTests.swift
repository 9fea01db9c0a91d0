import CurateCore
import CurateIngest
import XCTest

final class XMLReaderTests: XCTestCase {
    func testNPSSessionIsOneConversationOfPostsWithSystemPostsAsSystemTurns() throws {
        let all = try events(fixture: "nps-chat.xml", preset: .npsChat)
        let session = try XCTUnwrap(all.compactMap(\.conversation).first)
        XCTAssertEqual(session.turns.map(\.text), ["now im left with this name", "PART", "hey everyone & hi <3"],
                       "the post's own text, not its <terminals>, entities decoded")
        XCTAssertEqual(session.turns.map(\.role), [.other, .system, .other])
        XCTAssertEqual(session.turns[0].speaker, "10-19-20sUser7")
        XCTAssertEqual(session.provenance.locator, "line 4")
        XCTAssertEqual(all.compactMap(\.rejection).map(\.locator), ["line 16"], "a post with no text of its own")
    }

    func testBillionLaughsStopsWithAClearErrorAndNothingExpanded() throws {
        let all = try events(fixture: "billion-laughs.xml", preset: .npsChat)
        XCTAssertEqual(all.compactMap(\.conversation).count, 0)
        let d = try XCTUnwrap(all.last?.rejection)
        XCTAssertEqual(d.reason, "malformed-xml")
        XCTAssertTrue(d.message.contains("entity reference loop"), d.message)
    }

    func testUnescapedAmpersandGivesLineAndColumnAfterTheRecordsBeforeIt() throws {
        let all = try events(fixture: "unescaped-ampersand.xml", preset: .npsChat)
        XCTAssertEqual(all.compactMap(\.conversation).first?.turns.map(\.text), ["fish & chips"])
        let d = try XCTUnwrap(all.compactMap(\.rejection).first)
        XCTAssertTrue(d.description.contains("unescaped-ampersand.xml:3:41: not well-formed XML"), d.description)
    }

    func testDocumentWithoutARootIsRejected() throws {
        let d = try XCTUnwrap(events(fixture: "no-root.xml", preset: .npsChat).last?.rejection)
        XCTAssertEqual(d.reason, "malformed-xml")
        XCTAssertTrue(d.description.contains("no-root.xml:"), d.description)
    }
}
