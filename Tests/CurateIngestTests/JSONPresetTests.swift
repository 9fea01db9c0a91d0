import CurateCore
import CurateIngest
import XCTest

final class JSONPresetTests: XCTestCase {
    func testSAMSumArrayIsStreamedElementByElementAndABrokenElementRejected() throws {
        let all = try events(fixture: "samsum.json", preset: .samsum)
        XCTAssertEqual(all.compactMap(\.conversation).map(\.externalID), ["13818513", "13862856", "13730747"])
        let first = try XCTUnwrap(all[0].conversation)
        XCTAssertEqual(first.turns.map(\.speaker), ["Amanda", "Jerry", "Amanda"], "\\r\\n line breaks split turns")
        XCTAssertEqual(first.turns[1].text, "Sure!")
        XCTAssertEqual(first.provenance.locator, "line 2")
        let broken = try XCTUnwrap(all[2].rejection)
        XCTAssertTrue(broken.description.contains("samsum.json:4:65: not valid JSON: expected ',' or '}' in an object"), broken.description)
    }

    func testTruncatedArrayKeepsWhatCameBeforeAndSaysSo() throws {
        let all = try events(fixture: "samsum-truncated.json", preset: .samsum)
        XCTAssertEqual(all.compactMap(\.conversation).count, 1)
        let d = try XCTUnwrap(all.last?.rejection)
        XCTAssertEqual(d.reason, "truncated")
        XCTAssertTrue(d.description.contains("samsum-truncated.json:3:3: the file ends inside the array element that starts here"))
    }

    func testOpenAIChatRolesAndAnEmptyMessageList() throws {
        let all = try events(fixture: "openai-chat.jsonl", preset: .openAIChat)
        let first = try XCTUnwrap(all[0].conversation)
        XCTAssertEqual(first.turns.map(\.role), [.system, .user, .assistant])
        XCTAssertEqual(first.turns[1].text, "My order is late.")
        XCTAssertEqual(all[2].rejection?.reason, "missing-field")
    }

    func testShareGPTFromLabelsMapToRoles() throws {
        let all = try events(fixture: "sharegpt.json", preset: .shareGPT)
        let first = try XCTUnwrap(all[0].conversation)
        XCTAssertEqual(first.externalID, "sg1")
        XCTAssertEqual(first.turns.map(\.role), [.system, .user, .assistant])
        XCTAssertEqual(first.turns.map(\.speaker), ["system", "human", "gpt"], "the source label stays the speaker")
        XCTAssertTrue(try XCTUnwrap(all[1].rejection).message.contains("turn 2 has no text at 'conversations.1.value'"))
    }

    func testSGDSlotSpansBecomeEntitiesAndAnOutOfRangeSpanIsRejected() throws {
        let all = try events(fixture: "sgd.json", preset: .sgd)
        let dialogue = try XCTUnwrap(all[0].conversation)
        XCTAssertEqual(dialogue.turns.map(\.role), [.user, .assistant, .user])
        XCTAssertEqual(dialogue.turns[0].entities, [EntitySpan(label: "time", start: 56, end: 83, text: "half past 11 in the morning")])
        XCTAssertEqual(dialogue.turns[2].entities.map(\.text), ["San Jose", "Sino"], "spans of every frame, in order")
        let d = try XCTUnwrap(all[1].rejection)
        XCTAssertEqual(d.reason, "entity-offset-mismatch")
        XCTAssertTrue(d.message.contains("the city span 30..<40 lies outside turn 1 (25 characters)"), d.message)
    }

    func testYelpReviewIsOneRatedUserTurnAndTheTruncatedLastLineIsRejected() throws {
        let all = try events(fixture: "yelp.jsonl", preset: .yelp)
        let review = try XCTUnwrap(all[0].conversation)
        XCTAssertEqual(review.turns.count, 1)
        XCTAssertEqual(review.turns[0].role, .user)
        XCTAssertEqual(review.annotations.rating, Rating(value: 4, original: "4", scale: "stars"))
        XCTAssertEqual(all[2].rejection?.reason, "bad-rating")
        XCTAssertTrue(try XCTUnwrap(all[3].rejection).description.contains("yelp.jsonl:4:111: not valid JSON: unterminated string"))
    }
}

final class TaskmasterAndBotFrameworkTests: XCTestCase {
    func testTaskmasterSegmentsBecomeCheckedEntitySpans() throws {
        let all = try events(fixture: "taskmaster.json", preset: .taskmaster)
        let dialog = try XCTUnwrap(all.first?.conversation)
        XCTAssertEqual(dialog.externalID, "dlg-00055f4e-4a46-48bf-8d99-4e477663eb23")
        XCTAssertEqual(dialog.turns.map(\.role), [.user, .assistant, .user, .assistant, .user])
        XCTAssertEqual(dialog.turns[4].entities.map(\.label), ["restaurant_reservation.name.restaurant.accept",
                                                               "restaurant_reservation.num.guests.accept", "restaurant_reservation.time.reservation.accept"])
        XCTAssertEqual(dialog.turns[4].entities.map(\.text), ["Jongro BBQ", "4 people", "7 pm"])
        XCTAssertEqual(dialog.turns[2].entities.first.map { [$0.start, $0.end] }, [13, 49])
        let bad = try XCTUnwrap(all.last?.rejection)
        XCTAssertEqual(bad.reason, "entity-offset-mismatch")
        XCTAssertTrue(bad.message.contains("is '2 ' but the entity is 'two'"), bad.message)
    }

    func testBotFrameworkKeepsMessagesSkipsOtherActivitiesAndRejectsCardOnlyMessages() throws {
        let all = try events(fixture: "botframework.transcript", preset: .botFramework)
        let conversation = try XCTUnwrap(all.compactMap(\.conversation).first)
        XCTAssertEqual(conversation.externalID, "a9f3c2e1-7b1d")
        XCTAssertEqual(conversation.turns.map(\.text), ["Hello! How can I help?", "I need to reset my password", "I've sent a reset link to your email."])
        XCTAssertEqual(conversation.turns.map(\.role), [.assistant, .user, .assistant])
        XCTAssertEqual(conversation.turns[1].time, "2019-05-02T10:00:09.480Z")
        XCTAssertEqual(all.compactMap(\.conversation).count, 1)
        XCTAssertEqual(all.compactMap(\.rejection).map(\.reason), ["empty-turn", "incomplete-conversation"],
                       "the hero card has no text, so its conversation would have a hole")
    }

    func testDetection() throws {
        for (name, preset) in [("taskmaster.json", "taskmaster"), ("botframework.transcript", "botframework")] {
            let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
            XCTAssertEqual(try FormatDetector.detect(path: url.path).name, preset)
        }
    }
}
