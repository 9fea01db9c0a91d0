import CurateCore
@testable import CurateEval
import XCTest

/// Each task's scorer turns (references, prediction) pairs into the metrics `curate eval` reports.
final class TaskScorerTests: XCTestCase {
    func testScorersComputeTaskMetrics() throws {
        var topic = try TaskScorer(task: "topic")
        topic.add(references: ["billing", "payments"], prediction: "Billing")
        topic.add(references: ["delivery"], prediction: "a refund")
        XCTAssertEqual(topic.metrics["exact_match"], .double(0.5), "case-insensitive exact match against any reference")
        var rating = try TaskScorer(task: "rating")
        rating.add(references: ["4"], prediction: "I'd say 4 stars")
        rating.add(references: ["2"], prediction: "5")
        rating.add(references: ["3"], prediction: "no idea")
        XCTAssertEqual(rating.metrics["accuracy"], .double(0.333333))
        XCTAssertEqual(rating.metrics["mae"], .double(1.5), "|4-4| and |5-2| over the two parsed")
        XCTAssertEqual(rating.metrics["parse_failure_rate"], .double(0.333333))
        var ner = try TaskScorer(task: "ner")
        ner.add(references: ["person: Anna; city: Paris"], prediction: "person: anna; city: Rome")
        ner.add(references: ["none"], prediction: "I found nothing")
        XCTAssertEqual(ner.metrics["precision"], .double(0.5), "1 of 2 predicted entities right (case-insensitive text)")
        XCTAssertEqual(ner.metrics["recall"], .double(0.5))
        XCTAssertEqual(ner.metrics["parse_failure_rate"], .double(0.5))
        XCTAssertThrowsError(try TaskScorer(task: "translate"))
    }
}
