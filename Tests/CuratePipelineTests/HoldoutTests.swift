import CurateCore
@testable import CuratePipeline
import XCTest

/// --holdout and --test-holdout carve validation and test out of one file by content hash.
final class HoldoutTests: XCTestCase {
    func conversation(_ id: String, _ text: String) -> Conversation {
        Conversation(externalID: id, turns: [Turn(speaker: "A", role: .user, text: text)], annotations: Annotations(),
                     provenance: Provenance(sourcePath: "f", sourceSHA256: "", locator: "line 1"))
    }

    func testValidationAndTestSharesAreDisjointAndFollowTheContent() {
        let job = IngestJob(files: [], preset: nil, split: .train, holdout: 0.1, testHoldout: 0.2)
        var counts: [Split: Int] = [:]
        for i in 0 ..< 5000 {
            let conversation = self.conversation("\(i)", "message number \(i)")
            let split = job.split(for: conversation)
            counts[split, default: 0] += 1
            let renamed = self.conversation("other-\(i)", "message number \(i)")
            XCTAssertEqual(job.split(for: renamed), split, "the split depends on the turns, not the id or order")
        }
        XCTAssertEqual(Double(counts[.validation]!) / 5000, 0.1, accuracy: 0.015)
        XCTAssertEqual(Double(counts[.test]!) / 5000, 0.2, accuracy: 0.02)
        XCTAssertEqual(counts.values.reduce(0, +), 5000)
        let validationOnly = IngestJob(files: [], preset: nil, split: .train, holdout: 0.1)
        for i in 0 ..< 500 {
            let c = conversation("\(i)", "message number \(i)")
            if job.split(for: c) == .validation { XCTAssertEqual(validationOnly.split(for: c), .validation, "test comes after validation") }
        }
    }
}
