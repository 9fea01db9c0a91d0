import CurateCore
import CurateIngest
import Foundation
import XCTest

/// Each source's rating scale maps onto the common 1–5 scale, keeping the original value.
final class RatingScaleTests: XCTestCase {
    func rating(_ value: String, scale: String) throws -> IngestEvent {
        let preset = try JSONDecoder().decode(MappingDeclaration.self, from: Data("""
            {"turns": "messages", "speaker": "from", "text": "body", "rating": "score", "rating_scale": "\(scale)"}
            """.utf8)).preset(format: "jsonl", name: "mapping")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rating-\(UUID().uuidString).jsonl")
        try Data(#"{"messages": [{"from": "Ann", "body": "Thanks!"}], "score": "\#(value)"}"#.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var seen: [IngestEvent] = []
        try Ingestor(preset: preset).read(try SourceFile(path: url.path)) { seen.append($0) }
        return try XCTUnwrap(seen.first)
    }

    func testNPSZeroToTenMapsLinearlyAndKeepsTheOriginal() throws {
        XCTAssertEqual(try rating("0", scale: "nps").conversation?.annotations.rating, Rating(value: 1, original: "0", scale: "nps"))
        XCTAssertEqual(try rating("7", scale: "nps").conversation?.annotations.rating?.value ?? 0, 3.8, accuracy: 1e-12)
        XCTAssertEqual(try rating("10", scale: "nps").conversation?.annotations.rating?.value, 5)
        let bad = try XCTUnwrap(try rating("11", scale: "nps").rejection)
        XCTAssertEqual(bad.reason, "bad-rating")
        XCTAssertTrue(bad.message.contains("'score' is 11, not a 0–10 NPS score"), bad.message)
    }

    func testCSATAndStars() throws {
        XCTAssertEqual(try rating("Good", scale: "good-bad").conversation?.annotations.rating, Rating(value: 5, original: "Good", scale: "good-bad"))
        XCTAssertEqual(try rating("bad", scale: "good-bad").conversation?.annotations.rating?.value, 1)
        XCTAssertEqual(try rating("4.0", scale: "stars").conversation?.annotations.rating, Rating(value: 4, original: "4.0", scale: "stars"))
        XCTAssertEqual(try rating("meh", scale: "good-bad").rejection?.reason, "bad-rating")
    }
}
