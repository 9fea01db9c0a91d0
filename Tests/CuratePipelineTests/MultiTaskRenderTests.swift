import CurateCore
import CurateIngest
import CurateMix
import CuratePipeline
import CurateStore
import CurateTemplates
import Foundation
import XCTest

/// The four tasks rendered from every kind of source that claims them, on small hand-written
/// files in the real formats (Fixtures/multitask) plus the shipped support sample.
final class MultiTaskRenderTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = repo.appendingPathComponent("Tests/CuratePipelineTests/Fixtures/multitask")
    /// Which datasets carry what each task needs.
    static let claims = ["summarize": ["dialogsum", "samsum", "support"], "topic": ["bitext", "dialogsum", "support"],
                         "ner": ["bitext", "sgd"], "rating": ["support", "yelp"]]

    var store: Store!
    var library: TemplateLibrary!
    var render: RenderJob.Result!
    var conversations: [Int64: StoredConversation] = [:]
    var examples: [Example] = []

    override func setUpWithError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curate-multitask-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        store = try Store(path: folder.appendingPathComponent("m.db").path)
        let run = try store.beginRun(command: "test", arguments: [], toolVersion: "test")
        let f = Self.fixtures
        let jobs = [
            IngestJob(files: [f.appendingPathComponent("dialogsum.jsonl").path], preset: .dialogsum, split: .train),
            IngestJob(files: [Self.repo.appendingPathComponent("Tests/CurateIngestTests/Fixtures/dialogsum-test.jsonl").path],
                      preset: .dialogsum, split: .test),
            IngestJob(files: [f.appendingPathComponent("samsum.json").path], preset: .samsum, split: .train),
            IngestJob(files: [f.appendingPathComponent("sgd.json").path], preset: .sgd, split: .train),
            IngestJob(files: [f.appendingPathComponent("bitext.csv").path], preset: .bitext, split: .train),
            IngestJob(files: [f.appendingPathComponent("yelp.jsonl").path], preset: .yelp, split: .train),
            IngestJob(files: [Self.repo.appendingPathComponent("recipes/sample/support-chats.jsonl").path], preset: .curateNative,
                      split: .train, dataset: "support"),
        ]
        for job in jobs { XCTAssertEqual(try job.run(store: store, runID: run).total.rejected, 0) }
        library = try TemplateLibrary(directory: Self.repo.appendingPathComponent("templates"))
        render = try RenderJob(tasks: ["summarize", "topic", "ner", "rating"], templatesDirectory: Self.repo.appendingPathComponent("templates"),
                               configuration: .init(seed: 3, templatesPerConversation: 12, shots: 2, maxPromptWords: 400))
            .run(store: store, runID: run)
        try store.forEachConversation { conversations[$0.id] = $0 }
        let summaries = try store.exampleSummaries(tasks: ["summarize", "topic", "ner", "rating"], split: .train)
            + store.exampleSummaries(tasks: ["summarize", "topic", "ner", "rating"], split: .test)
        examples = try store.examples(ids: summaries.map(\.exampleID)).map(\.example)
    }

    func dataset(_ example: Example) -> String { conversations[example.conversationID]!.dataset }

    func testEveryTemplateRendersOnEverySourceThatClaimsItsTask() throws {
        for (task, datasets) in Self.claims {
            let ids = Set(library.sets[task]!.templates.map(\.id))
            for name in datasets {
                let rendered = Set(examples.filter { $0.task == task && $0.split == .train && dataset($0) == name }.map(\.templateID))
                XCTAssertEqual(rendered, ids, "\(task) on \(name)")
            }
            let others = Set(examples.filter { $0.task == task }.map(dataset)).subtracting(datasets + ["dialogsum"])
            XCTAssertEqual(others, [], "\(task) renders only on sources that carry its fields")
        }
        for example in examples {
            XCTAssertFalse(example.prompt.contains("{{") || example.target.contains("{{") || example.prompt.contains("}}"), example.prompt)
            XCTAssertFalse(example.prompt.isEmpty || example.target.isEmpty, example.templateID)
        }
    }

    /// Sources without a task's field are skipped with the field and a template named.
    func testSkipsNameTheMissingFieldAndATemplate() throws {
        let summarize = try XCTUnwrap(render.skipped["summarize"]?["no summary"])
        XCTAssertEqual(summarize.count, 3 + 5 + 4, "the sgd, bitext and yelp conversations")
        XCTAssertTrue(summarize.first.template.hasPrefix("summarize."))
        XCTAssertEqual(render.skipped["ner"]?["not entity-labelled"]?.count, 4 + 2 + 3 + 4 + 38, "dialogsum (train, test), samsum, yelp, support")
        XCTAssertEqual(render.skipped["rating"]?["no rating"]?.count, 4 + 2 + 3 + 3 + 5, "dialogsum (train, test), samsum, sgd, bitext")
    }

    func testNERTargetsListEverySpanWithItsLabelAndParseBack() throws {
        let set = library.sets["ner"]!
        let inverted = Set(set.templates.filter(\.inverted).map(\.id))
        let ner = examples.filter { $0.task == "ner" && !inverted.contains($0.templateID) && !$0.variant.fewShot }
        XCTAssertFalse(ner.isEmpty)
        for example in ner {
            let spans = conversations[example.conversationID]!.turns.flatMap { $0.entities.sorted { $0.start < $1.start } }
            let expected = spans.map { EntityList.Entry(label: set.entityLabels[$0.label]!, text: $0.text) }
            XCTAssertEqual(EntityList.parse(example.target), expected, example.target)
        }
        let flight = try XCTUnwrap(ner.first { $0.target.hasPrefix("city: Seattle") })
        XCTAssertEqual(flight.target, "city: Seattle; city: Denver; date: March 3rd; money: $212; time: 6:45 am",
                       "reading order, although the source lists the first turn's slots date, destination, origin")
        let invertedOnNone = examples.filter { $0.task == "ner" && inverted.contains($0.templateID) && $0.prompt.contains(": none") }
        XCTAssertEqual(invertedOnNone.count, 0, "no 'write a dialogue mentioning: none' questions")
        XCTAssertEqual(Set(ner.filter { dataset($0) == "bitext" }.map(\.target)),
                       ["order_id: 4587345", "money: $40", "none", "account_type: Platinum"],
                       "a Bitext row without an entity is an explicit none")
    }

    func testRatingOptionsAreListedOnlyWhereTheyBelong() throws {
        let withOptions = examples.filter(\.variant.options)
        XCTAssertFalse(withOptions.isEmpty)
        XCTAssertEqual(Set(withOptions.map(\.task)), ["rating"])
        XCTAssertFalse(withOptions.contains { $0.templateID.contains("inverted") })
        for example in withOptions {
            XCTAssertTrue(["1", "2", "3", "4", "5"].contains(example.target), example.target)
            XCTAssertTrue((1...5).allSatisfy { example.prompt.contains("\($0)") }, example.prompt)
        }
        let headers = Set(withOptions.compactMap { e in
            ["OPTIONS:", "Options:", "Choose from:", "Pick your answer from:", "Select from the following.", "Possible answers:",
             "Available choices:", "Choices:", "Answer with one of:"].first { e.prompt.contains($0) }
        })
        XCTAssertGreaterThan(headers.count, 3, "the options layout varies across examples")
        XCTAssertEqual(Set(examples.filter { $0.task == "rating" && dataset($0) == "yelp" && !$0.variant.options && !$0.variant.fewShot && !$0.templateID.contains("inverted") }.map(\.target)),
                       ["5", "1", "3", "4"])
    }

    /// Few-shot exemplars come from other training conversations of the same task and
    /// dataset, fit the word budget, and evaluation examples are zero-shot.
    func testFewShotExemplarsStayInTheTrainPoolOfTheirDataset() throws {
        let fewShot = examples.filter(\.variant.fewShot)
        XCTAssertGreaterThan(fewShot.count, 50)
        for example in fewShot {
            XCTAssertFalse(example.exemplars.isEmpty)
            XCTAssertFalse(example.exemplars.contains(example.conversationID), "never its own conversation")
            for id in example.exemplars {
                XCTAssertEqual(conversations[id]!.split, .train, "never an evaluation conversation")
                XCTAssertEqual(conversations[id]!.dataset, dataset(example))
            }
            XCTAssertLessThanOrEqual(whitespaceTokenCount(example.prompt), 400)
            XCTAssertEqual(example.prompt.components(separatedBy: "\n\n").count > 1, true)
        }
        let test = examples.filter { $0.split == .test }
        XCTAssertEqual(Set(test.map(\.variant)), [.zeroShot])
        XCTAssertEqual(Set(test.map(\.templateID)), ["summarize.01", "topic.01"])
        XCTAssertEqual(test.first { $0.task == "summarize" }?.references.count, 3)
    }

    /// Every prompt that shows its conversation records where (for trainers that must cut it),
    /// after any few-shot exemplars; prompts that show none (inverted tasks) record nothing.
    func testDialogueSpansCutOutTheQuestionsOwnDialogue() throws {
        var spans = 0
        for example in examples {
            let conversation = conversations[example.conversationID]!
            guard let span = example.dialogueSpan else {
                XCTAssertTrue(example.templateID.contains("inverted"), "\(example.templateID) shows its dialogue but has no span")
                continue
            }
            spans += 1
            let scalars = Array(example.prompt.unicodeScalars)
            let text = String(String.UnicodeScalarView(scalars[span]))
            XCTAssertTrue(text.contains(conversation.turns.first!.text) && text.contains(conversation.turns.last!.text),
                          "\(example.templateID): \(text.prefix(80))")
            if example.variant.fewShot {
                XCTAssertTrue(String(String.UnicodeScalarView(scalars[..<span.lowerBound])).contains("\n\n"), "exemplars come first")
            }
        }
        XCTAssertGreaterThan(spans, examples.count / 2)
    }

    /// A long few-shot prompt loses exemplars from the end: with a budget that fits the
    /// question and one exemplar, every few-shot example has exactly one.
    func testFewShotPromptsArePrunedToTheBudget() throws {
        let set = library.sets["summarize"]!
        let train = conversations.values.filter { $0.dataset == "dialogsum" && $0.split == .train }.sorted { $0.id < $1.id }
        var pool = ExemplarPool(seed: 3)
        for c in train { pool.offer(c, sets: [set]) }
        pool.finish()
        let generous = Renderer(sets: [set], configuration: .init(seed: 3, templatesPerConversation: 1, shots: 2, maxPromptWords: 1000), exemplars: pool)
        let tight = Renderer(sets: [set], configuration: .init(seed: 3, templatesPerConversation: 1, shots: 2, maxPromptWords: 70), exemplars: pool)
        let two = generous.render(train[0]).examples.filter(\.variant.fewShot)
        let one = tight.render(train[0]).examples.filter(\.variant.fewShot)
        XCTAssertEqual(two.map(\.exemplars.count), [2])
        XCTAssertEqual(one.map(\.exemplars.count), [1])
        XCTAssertEqual(one[0].exemplars[0], two[0].exemplars[0], "pruning drops from the end")
        let none = Renderer(sets: [set], configuration: .init(seed: 3, templatesPerConversation: 1, shots: 2, maxPromptWords: 20), exemplars: pool)
        XCTAssertEqual(none.render(train[0]).examples.filter(\.variant.fewShot).count, 0, "no few-shot form when no exemplar fits")
    }

    /// Taskmaster's entity types are not in ner.yaml's label set: the skip names the type.
    func testAnUnlabelledEntityTypeIsNamed() throws {
        let run = try store.beginRun(command: "test", arguments: [], toolVersion: "test")
        _ = try IngestJob(files: [Self.repo.appendingPathComponent("Tests/CurateIngestTests/Fixtures/taskmaster.json").path],
                          preset: .taskmaster, split: .train).run(store: store, runID: run)
        let result = try RenderJob(tasks: ["ner"], templatesDirectory: Self.repo.appendingPathComponent("templates"), configuration: .init(seed: 3))
            .run(store: store, runID: run)
        let skip = try XCTUnwrap(result.skipped["ner"]?.first { $0.key.hasPrefix("entity type") }?.value)
        XCTAssertTrue(skip.first.reason.hasPrefix("entity type 'restaurant_reservation."), skip.first.description)
        XCTAssertTrue(skip.first.description.hasSuffix("has no label in entity_labels (template \(skip.first.template))"), skip.first.description)
    }

    /// Train and test never share a conversation, and no training example's exemplars come
    /// from the test split, in the mixture that is written out.
    func testTheMixtureLeaksNothingIntoEvaluation() throws {
        let run = try store.beginRun(command: "test", arguments: [], toolVersion: "test")
        let spec = MixSpec(components: [.task("summarize", datasets: ["dialogsum": 1, "samsum": 1]), .task("ner", datasets: nil),
                                        .task("rating", datasets: ["yelp": 2, "support": 1])],
                           strategy: .equal, total: 300, seed: 9, fewShotRatio: 0.5, optionsRatio: 0.5)
        let mixture = try MixJob(name: "m", spec: spec).run(store: store, runID: run)
        let test = Set(conversations.values.filter { $0.split != .train }.map(\.id))
        let drawn = try store.examples(ids: mixture.entries.map(\.example.exampleID))
        XCTAssertTrue(drawn.allSatisfy { !test.contains($0.example.conversationID) && Set($0.example.exemplars).isDisjoint(with: test) })
        // rating's 100 split yelp 2 : support 1 → 67, 33; half of each, rounded: 34 + 17.
        XCTAssertEqual(mixture.report.lines.first { $0.task == "rating" && $0.dataset == nil }?.withOptions, 51)
        XCTAssertEqual(mixture.report.lines.first { $0.task == "summarize" && $0.dataset == nil }?.fewShot, 50)
    }
}
