import CurateCore
import CurateIngest
import XCTest

final class CSVPresetTests: XCTestCase {
    func testBitextRowIsCustomerAndAgentTurnsWithACheckedEntitySpan() throws {
        let all = try events(fixture: "bitext.csv", preset: .bitext)
        let kept = all.compactMap(\.conversation)
        XCTAssertEqual(kept.count, 3)
        XCTAssertEqual(kept[0].turns.map(\.role), [.user, .assistant])
        XCTAssertEqual(kept[0].turns[0].entities, [EntitySpan(label: "order_id", start: 26, end: 41, text: "113542617735902")])
        XCTAssertTrue(kept[0].turns[1].text.hasSuffix("2. Open \"Order Details\"."), "quoted multi-line response")
        XCTAssertEqual(kept[0].annotations.topics, ["cancel_order", "ORDER"], "intent and category are kept")
        XCTAssertEqual(kept[1].turns[0].entities, [], "a row without an entity has no span")
        XCTAssertEqual(kept[2].turns[0].entities, [EntitySpan(label: "refund_amount", start: 23, end: 26, text: "$15")],
                       "offsets count Unicode scalars, not UTF-8 bytes")
    }

    func testBitextOffsetMismatchIsRejectedWithWhereTheEntityReallyIs() throws {
        let rejection = try XCTUnwrap(events(fixture: "bitext.csv", preset: .bitext).compactMap(\.rejection).first)
        XCTAssertEqual(rejection.reason, "entity-offset-mismatch")
        XCTAssertTrue(rejection.description.contains(
            "bitext.csv:6: the order_id span 35..<46 of 'instruction' is '00004587345' but the entity is '4587345' ('4587345' is at 39..<46)"),
            rejection.description)
    }

    func testTWCSRepliesAreRebuiltIntoThreads() throws {
        let all = try events(fixture: "twcs.csv", preset: .twcs)
        let threads = all.compactMap(\.conversation)
        XCTAssertEqual(threads.map(\.externalID), ["3", "5"], "one conversation per first tweet, in file order")
        XCTAssertEqual(threads[0].turns.map(\.speaker), ["115712", "sprintcare", "115712"])
        XCTAssertEqual(threads[0].turns.map(\.role), [.user, .assistant, .user], "inbound True is the customer")
        XCTAssertEqual(threads[0].turns[0].time, "Tue Oct 31 22:08:27 +0000 2017")
        XCTAssertEqual(threads[1].turns.map(\.text).last, "@115712 Sorry to hear that, \"worst\" is not what we aim for.",
                       "both replies to tweet 5, by id")
        XCTAssertEqual(all.compactMap(\.rejection).map(\.reason), ["empty-turn"], "tweet 8 has only spaces")
    }
}
