import CurateCore
import CuratePipeline
import CurateStore
import Foundation
import XCTest

/// recipes/custom-mapping.yaml: a help-desk export read through a mapping declared in the
/// recipe, then through every later stage.
final class CustomMappingRecipeTests: XCTestCase {
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("curate-mapping-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(at: folder.appendingPathComponent("recipes"), withIntermediateDirectories: true)
        try fm.copyItem(at: repo.appendingPathComponent("templates"), to: folder.appendingPathComponent("templates"))
        try fm.copyItem(at: repo.appendingPathComponent("recipes/sample"), to: folder.appendingPathComponent("recipes/sample"))
        try fm.copyItem(at: repo.appendingPathComponent("recipes/custom-mapping.yaml"), to: folder.appendingPathComponent("recipes/custom-mapping.yaml"))
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func testHelpDeskRowsBecomeLabelledTicketsAndShards() throws {
        let recipe = try Recipe(contentsOf: folder.appendingPathComponent("recipes/custom-mapping.yaml"))
        let store = try Store(path: folder.appendingPathComponent("a.db").path)
        let run = try store.beginRun(command: "run", arguments: [], toolVersion: "test")
        var reports: [StageReport] = []
        try recipe.run(store: store, runID: run) { reports.append($0) }
        guard case .ingest(_, let ingest) = reports[0] else { return XCTFail("first stage is ingest") }
        XCTAssertEqual(ingest.total.read, 12)
        XCTAssertEqual(ingest.total.stored, 12)
        XCTAssertEqual(ingest.files[0].preset, "mapping")
        guard case .render(let render) = reports[1] else { return XCTFail("second stage is render") }
        XCTAssertEqual(render.perTask["summarize"]?[.zeroShot], 12)
        XCTAssertEqual(render.perTask["topic"]?[.zeroShot], 12)
        var tickets: [StoredConversation] = []
        try store.forEachConversation { tickets.append($0) }
        let refund = try XCTUnwrap(tickets.first { $0.annotations.summaries.first?.hasPrefix("Customer returned headphones") == true })
        XCTAssertEqual(refund.turns.first?.role, .user, "HD-1004's rows are sorted by sent_at: the question comes first")
        XCTAssertEqual(refund.annotations.topics, ["refund"])
        XCTAssertEqual(refund.annotations.rating?.value, 3, "from the ticket's last row")
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/custom-mapping/manifest.json").path))
    }

    func testAMappingWithoutAFormatOrWithAPresetIsRefused() throws {
        let path = folder.appendingPathComponent("recipes/bad.yaml")
        let cases = [
            ("ingest: [{split: train, files: [a.csv], mapping: {conversation: k, speaker: s, text: t}}]", "declares a mapping but no format — add format: jsonl|json|csv|xml"),
            ("ingest: [{split: train, files: [a.csv], preset: twcs, format: csv, mapping: {conversation: k, speaker: s, text: t}}]", "gives both a preset and a mapping"),
            ("ingest: [{split: train, files: [a.csv], format: csv, mapping: {conversation: k, speaker: s}}]", "ingest step 1: mapping: 'text' is required"),
            ("ingest: [{split: train, files: [a.csv], format: csv, mapping: {conversation: k, speaker: s, txt: t}}]", "unknown key 'txt'"),
        ]
        for (ingest, expected) in cases {
            try "name: bad\n\(ingest)\n".write(to: path, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try Recipe(contentsOf: path), ingest) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
            }
        }
    }
}
