import CurateCore
@testable import CurateIngest
import XCTest

/// Inputs that used to crash, lose records silently or mislead (issue 13), on the fixtures
/// in Fixtures/reliability.
final class GroupedConversationTests: XCTestCase {
    let helpDesk = try! declaredMapping(#"{"conversation": "chat_id", "order": "seq", "speaker": "sender", "text": "message"}"#, format: "csv")

    func testAConversationIsStoredWholeOrRejectedWholeAndAllRejectedMessagesDoNotCrash() throws {
        let all = try events(fixture: "reliability/grouped-messages.csv", preset: helpDesk)
        XCTAssertEqual(all.compactMap(\.conversation).map(\.externalID), ["c1"])
        XCTAssertEqual(all.compactMap(\.rejection).map { "\($0.reason) \($0.sourceLocator)" }, [
            "csv-bad-quote line 5:15",
            "incomplete-conversation line 4",
            "empty-turn line 7", "empty-turn line 8",
            "csv-cell-count line 11",
            "incomplete-conversation line 9",
            "incomplete-conversation line 12",
        ], "c2 lost a row; c3's rows are all empty (no conversation, no crash); the unsplittable row between c4 and c5 may be either's")
        let c2 = try XCTUnwrap(all.compactMap(\.rejection).first { $0.reason == "incomplete-conversation" })
        XCTAssertTrue(c2.description.contains("conversation 'c2' is left out whole: 1 of its 3 messages could not be read (line 5:15)"), c2.description)
    }

    func testReplyIdsWrittenAsFloatsStillBuildThreadsAndAThreadWithAHoleIsRejected() throws {
        let all = try events(fixture: "reliability/twcs-pandas-floats.csv", preset: .twcs)
        let threads = all.compactMap(\.conversation)
        XCTAssertEqual(threads.map(\.externalID), ["1"])
        XCTAssertEqual(threads.first?.turns.count, 3, "'1.0' and '2.0' name tweets 1 and 2")
        XCTAssertEqual(all.compactMap(\.rejection).map(\.reason), ["empty-turn", "incomplete-conversation"],
                       "tweet 8 is blank, so thread 7 would skip from 7 to 9")
    }

    func testReplyIdsThatNeverMatchStopTheFileInsteadOfMakingOneTurnConversations() throws {
        XCTAssertThrowsError(try events(fixture: "reliability/twcs-unmatched-replies.csv", preset: .twcs)) { error in
            XCTAssertTrue("\(error)".contains("none of the 2 'in_response_to_tweet_id' values is an 'tweet_id' in the file (e.g. 'x1')"), "\(error)")
        }
    }
}

final class LocatorTests: XCTestCase {
    func testRecordsSharingALineHaveLocatorsOfTheirOwn() throws {
        let all = try events(fixture: "reliability/one-line.json", preset: .samsum)
        XCTAssertEqual(all.compactMap(\.conversation).map(\.provenance.locator), ["line 1", "line 1:53"])
        XCTAssertEqual(all.compactMap(\.rejection).map(\.sourceLocator), ["line 1:104", "line 1:115"])
        let xml = try events(fixture: "reliability/one-line.xml", preset: .npsChat)
        XCTAssertEqual(xml.compactMap(\.conversation).first?.turns.map(\.text), ["one", "two"])
    }

    func testAByteOrderMarkBeforeJSONLinesIsNotPartOfTheFirstRecord() throws {
        let all = try events(fixture: "reliability/bom.jsonl", preset: .dialogsum)
        XCTAssertEqual(all.compactMap(\.conversation).map(\.externalID), ["b1", "b2"])
        XCTAssertEqual(all.compactMap(\.rejection).count, 0)
    }
}

final class MappingValueTests: XCTestCase {
    let tickets = try! declaredMapping(#"{"turns": "messages", "id": "ticket", "speaker": "from", "text": "parts", "summary": "summaries"}"#, format: "jsonl")

    func testListsOfTextAreSegmentsOrSeveralReferences() throws {
        let all = try events(fixture: "reliability/lists.jsonl", preset: tickets)
        let first = try XCTUnwrap(all.first?.conversation)
        XCTAssertEqual(first.turns.map(\.text), ["My order is late.\nIt was due Monday.", "Sorry, it ships today."], "text segments are joined")
        XCTAssertEqual(first.annotations.summaries, ["Late order; ships today.", "The agent says the order ships today."],
                       "a list of summaries is several references")
        let second = try XCTUnwrap(all.last?.rejection)
        XCTAssertTrue(second.message.contains("turn 2 has no text at 'messages.1.parts' (it holds a list with items that are not text)"), second.message)
    }

    func testADeclaredPathThatNoRecordHasStopsTheFileBeforeAnythingIsRead() throws {
        let typo = try declaredMapping(#"{"turns": "messages", "speaker": "from", "text": "parts", "summary": "summary"}"#, format: "jsonl")
        XCTAssertThrowsError(try events(fixture: "reliability/lists.jsonl", preset: typo)) { error in
            XCTAssertTrue("\(error)".contains("lists.jsonl: no record in the file has the mapping's summary 'summary' — every conversation would be stored without it"), "\(error)")
        }
    }
}

final class JSONLayoutTests: XCTestCase {
    func testOnePrettyPrintedObjectIsOneRecord() throws {
        let all = try events(fixture: "reliability/one-object.json", preset: .samsum)
        XCTAssertEqual(all.compactMap(\.conversation).map(\.externalID), ["13818513"])
        XCTAssertEqual(all.count, 1, "not one reject per line")
    }

    func testPrettyPrintedRecordsOneAfterAnotherAreEachARecord() throws {
        let all = try events(fixture: "reliability/pretty-values.json", preset: .samsum)
        XCTAssertEqual(all.compactMap(\.conversation).map(\.externalID), ["p1", "p2"])
        XCTAssertEqual(all.compactMap(\.conversation).map(\.provenance.locator), ["line 1", "line 6"])
    }

    func testAnObjectWrappingItsRecordsInAListIsReadAndDetected() throws {
        let all = try events(fixture: "reliability/wrapped.json", preset: .samsum)
        XCTAssertEqual(all.compactMap(\.conversation).map(\.externalID), ["w1", "w2"])
        XCTAssertEqual(try FormatDetector.detect(path: fixturePath("reliability/wrapped.json")).name, "samsum")
    }

    func testAnObjectWithSeveralListsIsRefusedOnceOrReadByTheMappingsRecordsKey() throws {
        XCTAssertThrowsError(try events(fixture: "reliability/two-lists.json", preset: .samsum)) { error in
            XCTAssertTrue("\(error)".contains("two-lists.json: the file is one JSON object (keys 'train', 'test'), not samsum records, and holds several lists ('train', 'test') — declare a mapping with records: naming the list"), "\(error)")
        }
        let test = try declaredMapping(#"{"turns": "turns", "speaker": "s", "text": "t", "records": "test"}"#, format: "json")
        XCTAssertEqual(test.records, "test")
        XCTAssertThrowsError(try declaredMapping(#"{"conversation": "k", "speaker": "s", "text": "t", "records": "data"}"#, format: "csv"))
    }

    func testDetectionSkipsABrokenFirstLineAndNamesPythonLiterals() throws {
        XCTAssertEqual(try FormatDetector.detect(path: fixturePath("reliability/broken-first-line.jsonl")).name, "dialogsum")
        XCTAssertThrowsError(try FormatDetector.detect(path: fixturePath("reliability/python-literals.jsonl"))) { error in
            XCTAssertTrue("\(error)".contains("python-literals.jsonl: the first 2 records are Python dict literals (single-quoted keys), not JSON, so no preset can be detected — convert the file with python3 -c"), "\(error)")
        }
    }

    func testAFolderGivenToAFilePresetIsNamedAsOne() throws {
        let folder = URL(fileURLWithPath: fixturePath("reliability"))
        XCTAssertThrowsError(try Ingestor(preset: .samsum).read(try SourceFile(path: folder.path)) { _ in }) { error in
            XCTAssertTrue("\(error)".contains("reliability: is a folder, and the samsum preset reads files — pass the files inside it"), "\(error)")
        }
    }
}

final class XMLLimitTests: XCTestCase {
    /// 100,000 attributes on one element: libxml2 2.9 compares each with every earlier one.
    func testAnElementWithTooManyAttributesIsRejectedQuicklyAndTheRestIsRead() throws {
        let attributes = (0..<100_000).map { "a\($0)=\"x\"" }.joined(separator: " ")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("attributes-\(UUID().uuidString).xml")
        try Data("""
            <Log>
            <Message DateTime="2005-10-11T07:10:00.000Z" SessionID="1"><From><User FriendlyName="Ann"/></From><Text>hi</Text></Message>
            <Message DateTime="2005-10-11T07:11:00.000Z" SessionID="2" \(attributes)><From><User FriendlyName="Bo"/></From><Text>boom</Text></Message>
            <Message DateTime="2005-10-11T07:12:00.000Z" SessionID="3"><From><User FriendlyName="Cy"/></From><Text>still here</Text></Message>
            </Log>
            """.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let started = Date()
        var all: [IngestEvent] = []
        try Ingestor(preset: .msn).read(try SourceFile(path: url.path)) { all.append($0) }
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "linear, not quadratic")
        XCTAssertEqual(all.compactMap(\.conversation).map(\.externalID), ["1", "3"])
        let rejected = try XCTUnwrap(all.compactMap(\.rejection).first)
        XCTAssertEqual(rejected.reason, "xml-limit")
        XCTAssertEqual(rejected.sourceLocator, "line 3")
        XCTAssertTrue(rejected.message.contains("more than 1000 attributes"), rejected.message)
    }

    func testAnOverlongValueOrNameIsCutAndItsRecordRejected() throws {
        let long = String(repeating: "v", count: XMLInputGuard.maximumValueBytes + 10)
        let name = String(repeating: "n", count: XMLInputGuard.maximumNameBytes + 1)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("values-\(UUID().uuidString).xml")
        try Data("""
            <Log>
            <Message SessionID="1" Note="\(long)"><From><User FriendlyName="Ann"/></From><Text>hi</Text></Message>
            <Message SessionID="2"><From><User FriendlyName="Bo" \(name)="1" /></From><Text>yo</Text></Message>
            <Message SessionID="3"><From><User FriendlyName="Cy"/></From><Text>ok</Text></Message>
            </Log>
            """.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var all: [IngestEvent] = []
        try Ingestor(preset: .msn).read(try SourceFile(path: url.path)) { all.append($0) }
        XCTAssertEqual(all.compactMap(\.conversation).map(\.externalID), ["3"])
        XCTAssertEqual(all.compactMap(\.rejection).map { "\($0.reason) \($0.sourceLocator)" }, ["xml-limit line 2", "xml-limit line 3"])
    }
}

func fixturePath(_ name: String) -> String {
    Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")!.path
}

func declaredMapping(_ json: String, format: String) throws -> Preset {
    try JSONDecoder().decode(MappingDeclaration.self, from: Data(json.utf8)).preset(format: format, name: "custom")
}
