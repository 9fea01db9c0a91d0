import CurateCore
@testable import CurateEval
import XCTest

/// Bootstrap intervals, backward transfer and the forgetting table, on scores made by hand.
final class ForgettingReportTests: XCTestCase {
    func rating(_ predicted: [Int?], _ reference: [Int]) -> [ExampleScore] {
        zip(predicted, reference).map { .rating(.init(predicted: $0, reference: $1)) }
    }

    func topic(_ rougeL: [Double]) -> [ExampleScore] { rougeL.map { .topic(.init(exact: $0 == 1, rougeL: $0)) } }

    func testPercentileInterpolatesAsNumpyDoes() {
        // numpy.percentile([1, 2, 3, 4], [2.5, 97.5]) == [1.075, 3.925]
        XCTAssertEqual(Bootstrap.percentile([1, 2, 3, 4], 0.025), 1.075, accuracy: 1e-12)
        XCTAssertEqual(Bootstrap.percentile([1, 2, 3, 4], 0.975), 3.925, accuracy: 1e-12)
    }

    /// Two examples, one right and one wrong: a resample's accuracy is 0, ½ or 1 with
    /// probabilities ¼, ½, ¼, so 1000 resamples put both ends of the 95% interval at 0 and 1.
    func testTheIntervalOfTwoExamplesSpansWhatResamplingCanGive() {
        let scores = rating([4, 1], [4, 5])
        let ci = Bootstrap(resamples: 1000, seed: 3).interval(.rating, scores, stream: "t")
        XCTAssertEqual(ci, 0 ... 1)
        let same = Bootstrap(resamples: 1000, seed: 3).interval(.rating, rating([4, 4, 4], [4, 4, 4]), stream: "t")
        XCTAssertEqual(same, 1 ... 1, "no spread, no interval")
    }

    /// A paired difference: when b is a plus the same change on every example, every resample
    /// gives that change exactly, however spread a is.
    func testAPairedDifferenceOfAConstantShiftHasNoSpread() {
        let a = topic([0.1, 0.5, 0.9, 0.3]), b = topic([0.2, 0.6, 1.0, 0.4])
        let ci = Bootstrap(seed: 1).differenceInterval(.topic, a, b, stream: "d")
        XCTAssertEqual(ci.lowerBound, 0.1, accuracy: 1e-12)
        XCTAssertEqual(ci.upperBound, 0.1, accuracy: 1e-12)
        XCTAssertGreaterThan(Bootstrap(seed: 1).interval(.topic, a, stream: "a").upperBound - Bootstrap(seed: 1).interval(.topic, a, stream: "a").lowerBound, 0.2)
    }

    func arms() -> [ArmScores] {
        func arm(_ name: String, _ method: String, _ start: String?, ratings: [Int?], topics: [Double]) -> ArmScores {
            ArmScores(name: name, method: method, data: method == "none" ? "none" : "single", startedFrom: start,
                      scores: ["rating": rating(ratings, [4, 2, 5, 1]), "topic": topic(topics)], metrics: [:],
                      validationLoss: ["rating": 1.5, "topic": 2.25], trainSeconds: method == "none" ? nil : 12, tokensPerSecond: method == "none" ? nil : 100)
        }
        return [arm("base", "none", nil, ratings: [4, nil, 3, 1], topics: [0.2, 0.4, 0.6, 0.8]),          // accuracy .5, ROUGE-L .5
                arm("tuned", "full", nil, ratings: [4, 2, 5, 1], topics: [0.1, 0.2, 0.3, 0.4]),           // 1.0, .25
                arm("again", "full", "tuned", ratings: [3, 3, 3, 3], topics: [0.1, 0.2, 0.3, 0.4])]        // 0, .25
    }

    /// Target rating, other task topic: gain = 1.0 − 0.5, BWT = 0.25 − 0.5, the sequential
    /// arm's drop from "tuned" on topic = 0.
    func testGainBackwardTransferAndDropFromStartAreTheHandComputedChanges() throws {
        let report = try ForgettingReport(target: "rating", others: ["topic"], arms: arms(), bootstrap: Bootstrap(resamples: 200, seed: 5))
        let (base, tuned, again) = (report.arms[0], report.arms[1], report.arms[2])
        XCTAssertEqual(report.value(base, "rating"), 0.5)
        XCTAssertEqual(report.change(tuned, from: base, "rating").value, 0.5, accuracy: 1e-12)
        XCTAssertEqual(report.meanChange(tuned, from: base).value, -0.25, accuracy: 1e-12)
        XCTAssertTrue(report.meanChange(tuned, from: base).significant, "every topic example got worse: the paired interval is below 0")
        XCTAssertEqual(report.meanChange(again, from: tuned).value, 0, accuracy: 1e-12)
        XCTAssertFalse(report.meanChange(again, from: tuned).significant)
        let json = report.json
        let arms = json["arms"]!.arrayValue!
        XCTAssertEqual(arms[1]["target_gain"]?["value"], .double(0.5))
        XCTAssertEqual(arms[1]["bwt"]?["value"], .double(-0.25))
        XCTAssertEqual(arms[0]["bwt"], .null)
        XCTAssertEqual(arms[2]["started_from"], .string("tuned"))
        XCTAssertEqual(arms[2]["drop_from_start"]?["value"], .double(0))
        XCTAssertEqual(arms[1]["tasks"]?["topic"]?["validation_loss"], .double(2.25))
        let markdown = report.markdown
        // 2 of the 4 examples were right at base already: +50 is not beyond its interval.
        XCTAssertTrue(markdown.contains("| tuned | 100.0 [100.0, 100.0] (+50.0) | 25.0 ["), markdown)
        XCTAssertTrue(markdown.contains("| −25.0* |"), markdown)
    }

    func testArmsScoredOnOtherExamplesAreRefused() {
        var arms = self.arms()
        arms[1].scores["topic"]!.removeLast()
        XCTAssertThrowsError(try ForgettingReport(target: "rating", others: ["topic"], arms: arms)) {
            XCTAssertTrue("\($0)".contains("every arm must see the same examples"), "\($0)")
        }
    }

    func testExampleScoresReadBackExactly() throws {
        let scores: [(ExampleScore, TaskScorer.Task)] = [
            (TaskScorer.score(.summarize, references: ["a b c d", "b c"], prediction: "a c e"), .summarize),
            (TaskScorer.score(.topic, references: ["job interview"], prediction: "Job interview."), .topic),
            (TaskScorer.score(.rating, references: ["4"], prediction: "I'd say 4"), .rating),
            (TaskScorer.score(.ner, references: ["city: Paris; date: May 3"], prediction: "city: paris"), .ner),
        ]
        for (score, task) in scores {
            let back = try XCTUnwrap(ExampleScore(json: try JSONParser.parse(score.json.text()), task: task))
            XCTAssertEqual(TaskScorer.metrics(task, [back]), TaskScorer.metrics(task, [score]), "\(task)")
        }
    }
}
