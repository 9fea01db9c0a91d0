import Foundation
import XCTest
@testable import CurateEval

/// Scores and stems must equal rouge_score's (bench/trainer/make_rouge_golden.py) to 1e-6.
/// CURATE_ROUGE_GOLDEN points at another golden file, as bench/trainer/check_rouge.sh does.
final class RougeTests: XCTestCase {
    struct Golden: Decodable {
        struct Case: Decodable {
            let stem: Bool
            let targets: [String]
            let prediction: String
            let scores: [String: [Double]]
        }
        let stems: [String: String]
        let cases: [Case]
    }

    func golden() throws -> (Golden, String) {
        let env = ProcessInfo.processInfo.environment["CURATE_ROUGE_GOLDEN"]
        let url = env.map { URL(fileURLWithPath: $0) } ?? TestFiles.fixture("rouge_golden.json")
        return (try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url)), url.lastPathComponent)
    }

    func testTheIssueExample() {
        let s = Rouge().score(target: "#Person1# wants to book a table for two.\n#Person2# suggests 7 pm.",
                              prediction: "#Person1# is booking a table for two people at 7 pm.")
        XCTAssertEqual(s[.n(1)]!.fmeasure, 0.6957, accuracy: 5e-5)
        XCTAssertEqual(s[.n(2)]!.fmeasure, 0.4762, accuracy: 5e-5)
        XCTAssertEqual(s[.l]!.fmeasure, 0.6957, accuracy: 5e-5)
    }

    func testStemsMatchNLTK() throws {
        let (g, name) = try golden()
        let wrong = g.stems.filter { PorterStemmer.stem($0.key) != $0.value }
        for (w, want) in wrong.prefix(20) { XCTFail("stem(\(w)) = \(PorterStemmer.stem(w)), NLTK says \(want)") }
        print("porter golden \(name): \(g.stems.count - wrong.count)/\(g.stems.count) stems exact")
    }

    func testScoresMatchRougeScore() throws {
        let (g, name) = try golden()
        let types = ["rouge1", "rouge2", "rouge3", "rougeL", "rougeLsum"].map { RougeType($0)! }
        let scorers = [true: Rouge(types: types, useStemmer: true), false: Rouge(types: types, useStemmer: false)]
        var worst = 0.0, bad = 0
        for c in g.cases {
            let got = scorers[c.stem]!.score(targets: c.targets, prediction: c.prediction)
            var ok = true
            for (type, want) in c.scores {
                let s = got[RougeType(type)!]!
                for (x, y) in zip([s.precision, s.recall, s.fmeasure], want) {
                    worst = max(worst, abs(x - y))
                    if abs(x - y) > 1e-6 { ok = false }
                }
            }
            if !ok {
                bad += 1
                if bad <= 5 { XCTFail("\(c.targets) vs \(c.prediction.debugDescription) stem=\(c.stem): got \(got), want \(c.scores)") }
            }
        }
        print("rouge golden \(name): \(g.cases.count - bad)/\(g.cases.count) cases within 1e-6 (max abs diff \(worst))")
        XCTAssertEqual(bad, 0)
    }

    func testTypeNames() {
        XCTAssertEqual(RougeType("rougeLsum"), .lsum)
        XCTAssertEqual(RougeType("rouge2"), .n(2))
        XCTAssertNil(RougeType("rouge0"))
        XCTAssertEqual(RougeType.standard.map(\.description), ["rouge1", "rouge2", "rougeL", "rougeLsum"])
    }
}
