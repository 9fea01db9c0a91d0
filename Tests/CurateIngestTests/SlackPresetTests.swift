import CurateCore
import CurateIngest
import XCTest

/// The fixture is a small Slack export: a thread whose last reply is filed under the next
/// day, a join notice, a bot message, a person's file share (with `"bot_id": null`) and a
/// comment on it, a day of file shares without text, a day of join notices only, a message
/// without a ts, a one-message "thread", a user_profile override and every kind of markup.
final class SlackPresetTests: XCTestCase {
    var all: [IngestEvent] = []
    var conversations: [Conversation] { all.compactMap(\.conversation) }

    override func setUpWithError() throws {
        all = try events(fixture: "slack-export", preset: .slack)
    }

    func testThreadsAcrossDaysAndChannelDaysBecomeConversations() {
        XCTAssertEqual(conversations.map(\.externalID), [
            "general/2024-03-04", "general/thread/1709546400.000200", "general/2024-03-05", "general/2024-03-07", "support/2024-03-04",
        ], "a day of join notices alone (general/2024-03-09) is no conversation")
        let thread = conversations[1]
        XCTAssertEqual(thread.turns.map(\.text), [
            "The deploy is red again, @Bo Park can you look? Logs: run 42",
            "On it. Looks like the cache & the #support bot both timed out",
            "Thanks, green now!",
        ], "the reply filed under 2024-03-05 joins its thread; mentions, channels, links and entities resolved")
        XCTAssertEqual(thread.turns.map(\.time), ["1709546400.000200", "1709546460.000300", "1709629200.000100"])
        XCTAssertEqual(thread.provenance.locator, "general/2024-03-04.json line 9")
    }

    func testSpeakersRolesAndNoticesFollowTheExport() {
        let day = conversations[0]
        XCTAssertEqual(day.turns.map(\.speaker), ["cy", "cy", "deploybot"], "users.json handle when there is no display or real name; a bot's username")
        XCTAssertEqual(day.turns.map(\.role), [.system, .user, .assistant])
        XCTAssertEqual(day.turns[1].text, "lunch anyone? <3")
        XCTAssertEqual(conversations[2].turns.map(\.text), ["@here standup moved to 10:30"],
                       "a thread of one message goes back to its day")
        XCTAssertEqual(conversations[4].turns.map(\.speaker), ["bo-support", "Ann"], "the message's user_profile wins over users.json")
        XCTAssertEqual(conversations[4].turns[1].text, "Resent it to them Mar 4", "a date token is its fallback text, not a mention")
    }

    func testOnlyBotsAreAssistantsAndAFileCommentIsItsCommenters() {
        let files = conversations[3]
        XCTAssertEqual(files.turns.map(\.role), [.user, .user], "a person's file share is theirs, even with \"bot_id\": null")
        XCTAssertEqual(files.turns.map(\.speaker), ["Ann", "Bo Park"], "the comment's author is comment.user")
        XCTAssertEqual(files.turns.map(\.text), ["Here is the dashboard @Bo Park", "the p99 line is new"])
    }

    func testBrokenMessagesAreRejectedWithTheirDayFileAndLine() throws {
        let rejected = all.compactMap(\.rejection)
        XCTAssertEqual(rejected.map(\.reason), ["missing-field", "empty-turn", "empty-turn", "missing-field", "empty-file", "incomplete-conversation"])
        XCTAssertEqual(rejected.map(\.sourceLocator), [
            "users.json line 5", "general/2024-03-08.json line 2", "general/2024-03-08.json line 10",
            "support/2024-03-05.json line 3", "support/2024-03-06.json line 1", "support/2024-03-05.json line 2",
        ], "locators name the day file, so rejects at one line of two days stay apart")
        XCTAssertTrue(rejected[0].description.contains("slack-export/users.json:5: the user has no 'id'"), rejected[0].description)
        XCTAssertTrue(rejected[1].description.contains("slack-export/general/2024-03-08.json:2: the message has no text"), rejected[1].description)
        XCTAssertTrue(rejected[3].description.contains("slack-export/support/2024-03-05.json:3: the message has no 'ts'"), rejected[3].description)
        XCTAssertTrue(rejected[4].description.contains("slack-export/support/2024-03-06.json:1: the day file is empty"), rejected[4].description)
        XCTAssertTrue(rejected[5].description.contains("conversation 'support/2024-03-05' is left out whole: 1 of its 3 messages could not be read (support/2024-03-05.json line 3)"),
                      rejected[5].description)
    }

    func testADayOfAttachmentsWithoutTextRejectsEachAndStoresNothing() {
        XCTAssertFalse(conversations.contains { $0.externalID == "general/2024-03-08" })
        XCTAssertEqual(all.compactMap(\.rejection).filter { $0.member == "general/2024-03-08.json" }.map(\.reason), ["empty-turn", "empty-turn"],
                       "no conversation reject on top: none of its messages was read")
    }

    func testOneDayFileIsNotAnExport() throws {
        let day = try XCTUnwrap(Bundle.module.url(forResource: "slack-export/general/2024-03-04.json", withExtension: nil, subdirectory: "Fixtures"))
        XCTAssertThrowsError(try Ingestor(preset: .slack).read(try SourceFile(path: day.path)) { _ in }) { error in
            XCTAssertTrue("\(error)".contains("the slack preset reads a whole export folder"), "\(error)")
        }
    }

    func testTheFolderFingerprintChangesWithAnyDayFile() throws {
        let fixture = try XCTUnwrap(Bundle.module.url(forResource: "slack-export", withExtension: nil, subdirectory: "Fixtures"))
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("slack-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: fixture, to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        let before = try SourceFile(path: copy.path)
        XCTAssertEqual(before.sha256, try SourceFile(path: fixture.path).sha256, "the folder's name is not part of it")
        try Data("[]".utf8).write(to: copy.appendingPathComponent("support/2024-03-04.json"))
        XCTAssertNotEqual(try SourceFile(path: copy.path).sha256, before.sha256)
    }
}

final class EmptyFileTests: XCTestCase {
    func testAnEmptyFileIsOneRejectionNotASilentZero() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString).jsonl")
        try Data("\u{FEFF}\n  \n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var seen: [IngestEvent] = []
        try Ingestor(preset: .dialogsum).read(try SourceFile(path: url.path)) { seen.append($0) }
        let d = try XCTUnwrap(seen.first?.rejection)
        XCTAssertEqual(seen.count, 1)
        XCTAssertEqual(d.reason, "empty-file")
        XCTAssertTrue(d.description.hasSuffix(".jsonl:1: the file is empty (7 bytes, no records) — check that the export or download finished, or leave the file out"), d.description)
    }
}
