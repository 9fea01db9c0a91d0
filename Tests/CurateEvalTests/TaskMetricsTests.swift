import XCTest
@testable import CurateEval

final class TaskMetricsTests: XCTestCase {
    func testRougeAccumulatorAveragesPerExample() {
        var acc = RougeAccumulator()
        acc.add(references: ["a b c d"], prediction: "a b c d")
        acc.add(references: ["a b"], prediction: "x y")
        XCTAssertEqual(acc.mean(.n(1)).fmeasure, 0.5, accuracy: 1e-12)
        XCTAssertEqual(acc.count, 2)
    }

    func testTopicExactMatchNormalises() {
        var acc = TopicAccumulator()
        acc.add(references: ["job interview"], prediction: "Job Interview.")
        acc.add(references: ["shopping", "buy clothes"], prediction: "  buy   clothes ")
        acc.add(references: ["travel"], prediction: "a trip")
        XCTAssertEqual(acc.exact, 2)
        XCTAssertEqual(acc.exactMatch, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(acc.meanRougeL, 2.0 / 3, accuracy: 1e-12)
    }

    func testEntityMicroF1CountsMultisets() {
        var acc = EntityAccumulator()
        let e = EntityAccumulator.Entity.init
        acc.add(gold: [e("PER", "Anna"), e("PER", "Anna"), e("LOC", "Paris")], predicted: [e("PER", " anna"), e("LOC", "London")])
        acc.add(gold: [], predicted: [e("ORG", "ACME")])
        XCTAssertEqual(acc.truePositives, 1)
        XCTAssertEqual(acc.precision, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(acc.recall, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(acc.f1, 1.0 / 3, accuracy: 1e-12)
    }

    func testRatingAccuracyAndMAE() {
        var acc = RatingAccumulator()
        XCTAssertEqual(acc.parse("I'd give it 4 stars out of 5"), 4)
        XCTAssertEqual(acc.parse("10/10, rating: 3"), 3)
        XCTAssertNil(acc.parse("great!"))
        acc.add(reference: 4, prediction: "4")
        acc.add(reference: 2, prediction: "Rating: 5")
        acc.add(reference: 3, prediction: "no idea")
        XCTAssertEqual(acc.accuracy, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(acc.meanAbsoluteError, 1.5, accuracy: 1e-12)
        XCTAssertEqual(acc.unparsed, 1)
    }
}
