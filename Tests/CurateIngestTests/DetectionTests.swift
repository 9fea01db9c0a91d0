import CurateCore
import CurateIngest
import XCTest

final class DetectionTests: XCTestCase {
    func path(_ name: String) throws -> String {
        try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")).path
    }

    func testEachFixtureIsDetectedAsItsPreset() throws {
        let expected = [
            "dialogsum-test.jsonl": "dialogsum", "samsum.json": "samsum", "samsum-diasynth.csv": "samsum-csv",
            "samsum-semicolon.csv": "samsum-csv", "bitext.csv": "bitext", "twcs.csv": "twcs", "openai-chat.jsonl": "openai-chat",
            "sharegpt.json": "sharegpt", "sgd.json": "sgd", "yelp.jsonl": "yelp", "nps-chat.xml": "nps-chat",
            "adium.chatlog": "adium", "msn.xml": "msn", "taskmaster.json": "taskmaster", "botframework.transcript": "botframework",
            "slack-export": "slack", "bad-lines.jsonl": "dialogsum",
        ]
        for (fixture, preset) in expected {
            XCTAssertEqual(try FormatDetector.detect(path: path(fixture)).name, preset, fixture)
        }
    }

    func testAFileThatFitsSeveralPresetsNamesThemAndHowToChoose() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ambiguous-\(UUID().uuidString).jsonl")
        try Data(#"{"messages": [], "conversations": []}"#.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertThrowsError(try FormatDetector.detect(path: url.path)) { error in
            XCTAssertTrue("\(error)".contains("fits several presets: openai-chat, sharegpt"), "\(error)")
            XCTAssertTrue("\(error)".contains("choose one with --preset"), "\(error)")
        }
    }

    func testAnUnknownShapeAsksForAPreset() throws {
        XCTAssertThrowsError(try FormatDetector.detect(path: path("messages.csv"))) { error in
            XCTAssertTrue("\(error)".contains("no preset matches this csv file (it has 'chat_id', 'message', 'role', 'sender', 'seq') — pass --preset"), "\(error)")
        }
    }

    func testAFolderThatIsNoSlackExportSaysWhatFoldersCanBe() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("not-slack-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertThrowsError(try FormatDetector.detect(path: folder.path)) { error in
            XCTAssertTrue("\(error)".contains("is a folder without users.json"), "\(error)")
        }
    }

    func testAZipArchiveIsNamedAsOne() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).zip")
        try Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertThrowsError(try FormatDetector.detect(path: url.path)) { error in
            XCTAssertTrue("\(error)".contains("is a zip archive — unzip it first"), "\(error)")
        }
    }
}
