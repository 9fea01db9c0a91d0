import CurateCore
import CurateIngest
import Foundation
import XCTest

/// The curate preset on the demo sample that ships in recipes/sample.
final class CuratePresetTests: XCTestCase {
    func testDemoSampleReadsTurnsRolesTimesAndCSAT() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let source = try SourceFile(path: repo.appendingPathComponent("recipes/sample/support-chats.jsonl").path)
        var conversations: [Conversation] = []
        try Ingestor(preset: .curateNative).read(source) { event in
            guard case .conversation(let c) = event else { return XCTFail("unexpected rejection: \(event)") }
            conversations.append(c)
        }
        XCTAssertEqual(conversations.count, 40)
        let first = try XCTUnwrap(conversations.first)
        XCTAssertEqual(first.externalID, "nw-0001")
        XCTAssertEqual(first.turns[0].speaker, "Maya")
        XCTAssertEqual(first.turns[0].role, .user, "customer maps to user")
        XCTAssertEqual(first.turns[1].role, .assistant, "agent maps to assistant")
        XCTAssertEqual(first.turns[0].time, "2024-05-02T09:14:03Z")
        let ratings = conversations.compactMap(\.annotations.rating)
        XCTAssertEqual(ratings.count, 40)
        XCTAssertEqual(Set(ratings.map(\.value)), [1, 5], "good/bad CSAT maps to 5/1 on the common scale")
        XCTAssertTrue(ratings.allSatisfy { ["good", "bad"].contains($0.original) }, "the original value is kept")
        XCTAssertTrue(conversations.flatMap(\.turns).contains { $0.role == .assistant && $0.speaker == "Northwind Bot" })
    }
}
