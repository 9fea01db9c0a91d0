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
        XCTAssertEqual(all.compactMap(\.rejection).count, 0)
    }

    func testASessionWithAnUnreadablePostIsRejectedWholeNamingThePost() throws {
        let all = try events(fixture: "nps-empty-post.xml", preset: .npsChat)
        XCTAssertEqual(all.compactMap(\.conversation).count, 0, "a session with a hole is not stored")
        let rejected = all.compactMap(\.rejection)
        XCTAssertEqual(rejected.map(\.reason), ["empty-turn", "incomplete-conversation"])
        XCTAssertEqual(rejected.map(\.sourceLocator), ["line 6", "line 4"], "the post, then the session by its first post")
        XCTAssertTrue(rejected[1].message.contains("1 of its 3 messages could not be read (line 6)"), rejected[1].message)
    }

    func testBillionLaughsStopsWithAClearErrorAndNothingExpanded() throws {
        let all = try events(fixture: "billion-laughs.xml", preset: .npsChat)
        XCTAssertEqual(all.compactMap(\.conversation).count, 0)
        let d = try XCTUnwrap(all.last?.rejection)
        XCTAssertEqual(d.reason, "malformed-xml")
        XCTAssertTrue(d.message.contains("entity reference loop"), d.message)
    }

    func testUnescapedAmpersandGivesLineAndColumnAndTheSessionItCutsIsRejected() throws {
        let all = try events(fixture: "unescaped-ampersand.xml", preset: .npsChat)
        XCTAssertEqual(all.compactMap(\.conversation).count, 0, "the session ends at the error, so it lacks its later posts")
        let rejected = all.compactMap(\.rejection)
        XCTAssertEqual(rejected.map(\.reason), ["malformed-xml", "incomplete-conversation"])
        XCTAssertTrue(rejected[0].description.contains("unescaped-ampersand.xml:3:41: not well-formed XML"), rejected[0].description)
    }

    func testDocumentWithoutARootIsRejected() throws {
        let d = try XCTUnwrap(events(fixture: "no-root.xml", preset: .npsChat).last?.rejection)
        XCTAssertEqual(d.reason, "malformed-xml")
        XCTAssertTrue(d.description.contains("no-root.xml:"), d.description)
    }
}

final class XMLPathPresetTests: XCTestCase {
    func testAdiumTurnsAreMessagesWithTheirWholeTextAndEventsAreNotTurns() throws {
        let all = try events(fixture: "adium.chatlog", preset: .adium)
        let chat = try XCTUnwrap(all.compactMap(\.conversation).first)
        XCTAssertEqual(chat.turns.map(\.text), ["are you coming tonight?", "yes! this place, right?", "right & 8pm"],
                       "text collected from nested div/span/a")
        XCTAssertEqual(chat.turns.map(\.speaker), ["ann.lee@jabber.org", "bo.chan@jabber.org", "ann.lee@jabber.org"])
        XCTAssertEqual(chat.turns[0].time, "2012-03-04T19:50:35+01:00")
        XCTAssertEqual(all.compactMap(\.rejection).count, 0)
    }

    func testMSNSessionsAreConversationsAndInvitationsAreNotTurns() throws {
        let conversations = try events(fixture: "msn.xml", preset: .msn).compactMap(\.conversation)
        XCTAssertEqual(conversations.map(\.externalID), ["1", "2"])
        XCTAssertEqual(conversations[0].turns.map(\.speaker), ["Alice", "Bob"])
        XCTAssertEqual(conversations[0].turns.map(\.text), ["hi bob, got the notes?", "yes, sending now"])
        XCTAssertEqual(conversations[1].turns.first?.time, "2005-10-11T07:12:00.000Z")
    }

    func testDetectionKnowsAdiumAndMSNByTheirRoot() throws {
        for (name, preset) in [("adium.chatlog", "adium"), ("msn.xml", "msn")] {
            let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
            XCTAssertEqual(try FormatDetector.detect(path: url.path).name, preset)
        }
    }
}
