import CurateCore
import CurateTemplates
import XCTest

final class RendererTests: XCTestCase {
    let yaml = """
        task: summarize
        templates:
          - id: s.original
            prompt: "Summarize:\\n{{dialogue}}"
            target: "{{summary}}"
          - id: s.letters
            speakers: person-letter
            prompt: "{{dialogue}}\\nWhat happened?"
            target: "{{summary}}"
          - id: s.inverted
            inverted: true
            speakers: speaker-number
            prompt: "Write a dialogue: {{summary}}"
            target: "{{dialogue}}"
        """

    func conversation(split: Split, summaries: [String] = ["#Person1# asks #Person2# for help."]) -> StoredConversation {
        StoredConversation(id: 7, contentHash: "abc", split: split, dataset: "dialogsum",
                           turns: [Turn(speaker: "#Person1#", role: .other, text: "Can you help?"),
                                   Turn(speaker: "#Person2#", role: .other, text: "Sure.")],
                           annotations: Annotations(summaries: summaries))
    }

    func renderer(perConversation: Int = 3) throws -> Renderer {
        Renderer(sets: [try TemplateSet(yaml: yaml, file: "t.yaml")], configuration: .init(seed: 1, templatesPerConversation: perConversation))
    }

    func testInvertedPhrasingsCanBeLeftOut() throws {
        let set = try TemplateSet(yaml: yaml, file: "t.yaml")
        let renderer = Renderer(sets: [set], configuration: .init(seed: 1, templatesPerConversation: 3, inverted: false))
        XCTAssertEqual(Set(renderer.render(conversation(split: .train)).examples.map(\.templateID)), ["s.original", "s.letters"])
    }

    func testEveryPhrasingRendersWithConsistentSpeakerLabels() throws {
        let examples = try renderer().render(conversation(split: .train)).examples
        let byID = Dictionary(uniqueKeysWithValues: examples.map { ($0.templateID, $0) })
        XCTAssertEqual(byID["s.original"]?.prompt, "Summarize:\n#Person1#: Can you help?\n#Person2#: Sure.")
        XCTAssertEqual(byID["s.letters"]?.prompt, "Person A: Can you help?\nPerson B: Sure.\nWhat happened?")
        XCTAssertEqual(byID["s.letters"]?.target, "Person A asks Person B for help.", "the summary is relabelled like the dialogue")
        XCTAssertEqual(byID["s.inverted"]?.prompt, "Write a dialogue: Speaker 1 asks Speaker 2 for help.")
        XCTAssertEqual(byID["s.inverted"]?.target, "Speaker 1: Can you help?\nSpeaker 2: Sure.")
        XCTAssertTrue(examples.allSatisfy { $0.conversationID == 7 && $0.task == "summarize" && $0.split == .train && $0.variant == .zeroShot })
    }

    func testTemplateChoiceIsSeededByContentAndStable() throws {
        let once = try renderer(perConversation: 1).render(conversation(split: .train)).examples.map(\.templateID)
        let again = try renderer(perConversation: 1).render(conversation(split: .train)).examples.map(\.templateID)
        XCTAssertEqual(once, again)
        XCTAssertEqual(once.count, 1)
    }

    func testEvaluationSplitsUseTheEvaluationTemplateWithAllReferences() throws {
        let test = conversation(split: .test, summaries: ["#Person1# asks for help.", "Someone needs help.", "#Person2# agrees."])
        let examples = try renderer().render(test).examples
        XCTAssertEqual(examples.map(\.templateID), ["s.original"])
        XCTAssertEqual(examples[0].target, "#Person1# asks for help.")
        XCTAssertEqual(examples[0].references, ["#Person1# asks for help.", "Someone needs help.", "#Person2# agrees."])
    }

    /// A missing field names the field and the template that needed it, once per task.
    func testConversationWithoutTheFieldIsSkippedNamingFieldAndTemplate() throws {
        let result = try renderer().render(conversation(split: .train, summaries: []))
        XCTAssertTrue(result.examples.isEmpty)
        XCTAssertEqual(result.skipped.count, 1)
        XCTAssertEqual(result.skipped[0].reason, "no summary")
        XCTAssertTrue(["s.original", "s.letters", "s.inverted"].contains(result.skipped[0].template))
        XCTAssertEqual(result.skipped[0].description, "no summary (template \(result.skipped[0].template))")
    }

    func testRelabellingLeavesLongerWordsAlone() throws {
        let set = try TemplateSet(yaml: """
            task: summarize
            templates:
              - {id: x, speakers: person-letter, prompt: "{{dialogue}}", target: "{{summary}}"}
            """, file: "x.yaml")
        let c = StoredConversation(id: 1, contentHash: "h", split: .test, dataset: "d",
                                   turns: [Turn(speaker: "Ann", role: .user, text: "Hi"), Turn(speaker: "Bob", role: .assistant, text: "Yo")],
                                   annotations: Annotations(summaries: ["Ann pays her Annual fee to Bob."]))
        let example = try XCTUnwrap(Renderer(sets: [set], configuration: .init()).render(c).examples.first)
        XCTAssertEqual(example.target, "Person A pays her Annual fee to Person B.")
    }

    /// A review is one turn: the dialogue field is its text, with no speaker label.
    func testAOneTurnConversationRendersAsItsText() throws {
        let set = try TemplateSet(yaml: """
            task: rating
            templates:
              - {id: r, prompt: "{{dialogue}}\\nStars?", target: "{{rating}}"}
            """, file: "r.yaml")
        let review = StoredConversation(id: 3, contentHash: "r", split: .test, dataset: "yelp",
                                        turns: [Turn(speaker: "reviewer", role: .user, text: "Great pasta.")],
                                        annotations: Annotations(rating: Rating(value: 3.8, original: "7", scale: "nps")))
        let example = try XCTUnwrap(Renderer(sets: [set], configuration: .init()).render(review).examples.first)
        XCTAssertEqual(example.prompt, "Great pasta.\nStars?")
        XCTAssertEqual(example.target, "4", "the common-scale value, rounded")
    }
}
