import CurateCore
import CurateTemplates
import Foundation
import XCTest

let repoTemplates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("templates")

final class TemplateLibraryTests: XCTestCase {
    func testShippedTemplatesMeetTheFLANStyleMinimums() throws {
        let library = try TemplateLibrary(directory: repoTemplates)
        let summarize = try XCTUnwrap(library.sets["summarize"])
        XCTAssertGreaterThanOrEqual(summarize.templates.count, 10)
        XCTAssertGreaterThanOrEqual(summarize.templates.filter(\.inverted).count, 2)
        XCTAssertTrue(summarize.templates.filter(\.inverted).allSatisfy { $0.targetFields == [.dialogue] },
                      "inverted summarize templates write the dialogue from the summary")
        let topic = try XCTUnwrap(library.sets["topic"])
        XCTAssertGreaterThanOrEqual(topic.templates.filter { !$0.inverted }.count, 5)
        XCTAssertGreaterThan(Set(summarize.templates.map(\.speakers)).count, 2, "speaker-label variants are used")
        XCTAssertFalse(summarize.evaluationTemplate.inverted)
    }

    func testUnknownFieldIsAnErrorNamingTemplateAndField() {
        let yaml = """
            task: summarize
            templates:
              - id: s.1
                prompt: "{{dialog}}"
                target: "{{summary}}"
            """
        XCTAssertThrowsError(try TemplateSet(yaml: yaml, file: "bad.yaml")) { error in
            XCTAssertEqual("\(error)", "bad.yaml: template s.1 uses {{dialog}}, which is not a field — fields are dialogue, summary, topic, entities, rating, options")
        }
    }

    func testDuplicateIdsAndAllInvertedAreRejected() {
        let duplicate = """
            task: t
            templates:
              - {id: a, prompt: "{{dialogue}}", target: "{{topic}}"}
              - {id: a, prompt: "{{dialogue}}", target: "{{topic}}"}
            """
        XCTAssertThrowsError(try TemplateSet(yaml: duplicate, file: "d.yaml")) { XCTAssertTrue("\($0)".contains("appears twice")) }
        let inverted = """
            task: t
            templates:
              - {id: a, inverted: true, prompt: "{{topic}}", target: "{{dialogue}}"}
            """
        XCTAssertThrowsError(try TemplateSet(yaml: inverted, file: "i.yaml")) { XCTAssertTrue("\($0)".contains("every template is inverted")) }
    }

    func testAskingForATaskWithoutTemplatesListsTheKnownOnes() throws {
        let library = try TemplateLibrary(directory: repoTemplates)
        XCTAssertThrowsError(try library.sets(for: ["summarize", "sentiment"])) { error in
            XCTAssertEqual("\(error)", "no templates for task sentiment — available: ner, rating, summarize, topic")
        }
    }
}
