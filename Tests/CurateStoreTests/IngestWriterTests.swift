import CurateCore
import CurateStore
import GRDB
import XCTest

final class IngestWriterTests: XCTestCase {
    var temp: TemporaryStore!

    override func setUpWithError() throws { temp = try TemporaryStore() }
    override func tearDown() { temp.cleanup() }

    private func ingest(runID: String, sourceID: Int64) throws -> IngestCounts {
        let writer = IngestWriter(store: temp.store, runID: runID, sourceID: sourceID, batchSize: 2)
        try writer.add(conversation(["Hi.", "Hello."], summary: "Greeting.", line: 1), split: .train)
        try writer.add(conversation(["Hi.", "Hello."], line: 2), split: .train)                  // exact repeat
        try writer.add(conversation(["  Hi. ", "Hello."], line: 3), split: .test)              // repeat after normalization
        try writer.add(conversation(["Hi.", "Bye."], line: 4), split: .test)
        try writer.reject(Diagnostic(file: "f.jsonl", locator: "line 5", reason: "malformed-json", message: "not valid JSON", hint: "fix it"))
        try writer.flush()
        return writer.counts
    }

    private func source(_ runID: String) throws -> Int64 {
        try temp.store.registerSource(path: "f.jsonl", sha256: "ab", bytes: 10, preset: "dialogsum", dataset: "dialogsum", split: .train, runID: runID)
    }

    func testCountsAddUpAndDuplicatesAreRecordedWithWhatTheyRepeat() throws {
        let run = try temp.store.beginRun(command: "ingest", arguments: [], toolVersion: "test")
        let counts = try ingest(runID: run, sourceID: try source(run))
        XCTAssertEqual(counts.read, 5)
        XCTAssertEqual(counts.stored, 2)
        XCTAssertEqual(counts.duplicates, 2)
        XCTAssertEqual(counts.rejected, 1)
        XCTAssertEqual(counts.read, counts.stored + counts.duplicates + counts.rejected)

        let stats = try temp.store.stats()
        XCTAssertEqual(stats.duplicates.first?.count, 2)
        XCTAssertEqual(stats.rejects.map(\.reason), ["malformed-json"])
        XCTAssertEqual(stats.conversationsPerSplit.map(\.split), ["test", "train"], "the first copy keeps its split")
    }

    func testRerunAddsNothing() throws {
        let first = try temp.store.beginRun(command: "ingest", arguments: [], toolVersion: "test")
        _ = try ingest(runID: first, sourceID: try source(first))
        let before = try temp.store.stats()
        let second = try temp.store.beginRun(command: "ingest", arguments: [], toolVersion: "test")
        let counts = try ingest(runID: second, sourceID: try source(second))
        XCTAssertEqual(counts.stored, 0)
        XCTAssertEqual(counts.duplicates, 4)
        XCTAssertEqual(counts.rejected, 1, "still reported, so the run's counts add up")
        let after = try temp.store.stats()
        XCTAssertEqual(after.sources.count, before.sources.count)
        XCTAssertEqual(after.conversationsPerSplit.map(\.count), before.conversationsPerSplit.map(\.count))
        XCTAssertEqual(after.rejects.map(\.count), before.rejects.map(\.count), "the same reject is not stored twice")
        XCTAssertEqual(after.runs, 2)
    }

    func testStoredRowsKeepTurnsAnnotationsAndProvenance() throws {
        let run = try temp.store.beginRun(command: "ingest", arguments: [], toolVersion: "test")
        _ = try ingest(runID: run, sourceID: try source(run))
        var read: [StoredConversation] = []
        try temp.store.forEachConversation(splits: [.train]) { read.append($0) }
        XCTAssertEqual(read.count, 1)
        XCTAssertEqual(read[0].turns.map(\.text), ["Hi.", "Hello."])
        XCTAssertEqual(read[0].annotations.summaries, ["Greeting."])
        let db = try DatabaseQueue(path: temp.store.path)
        let row = try db.read { try Row.fetchOne($0, sql: "SELECT locator, run_id, source_id, external_id FROM conversations WHERE split = 'train'") }
        XCTAssertEqual(row?["locator"], "line 1")
        XCTAssertEqual(row?["run_id"], run)
        XCTAssertEqual(row?["external_id"], "c1")
    }

    func testTheSameFileUnderAnotherDatasetNameIsRefused() throws {
        let run = try temp.store.beginRun(command: "ingest", arguments: [], toolVersion: "test")
        let id = try source(run)
        XCTAssertEqual(try source(run), id, "registering again returns the same source")
        XCTAssertThrowsError(try temp.store.registerSource(path: "copy.jsonl", sha256: "ab", bytes: 10, preset: "dialogsum",
                                                            dataset: "chats", split: .train, runID: run)) { error in
            XCTAssertTrue("\(error)".contains("copy.jsonl: this file was ingested before as dataset 'dialogsum' — ingest it with --dataset dialogsum"), "\(error)")
        }
    }

    func testSchemaIsMigratedByNameAndUsesWAL() throws {
        let applied = try temp.store.appliedMigrations()
        XCTAssertEqual(Array(applied.prefix(3)), ["v1-sources-runs-conversations", "v1-examples-mixtures", "v2-datasets-exemplars-lengths"])
        XCTAssertTrue(applied.contains("v3-reliability"))
        let db = try DatabaseQueue(path: temp.store.path)
        XCTAssertEqual(try db.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }, "wal")
        let tables = try db.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb%' ORDER BY name") }
        XCTAssertEqual(tables, ["conversations", "duplicates", "examples", "mixture_examples", "mixtures", "rejects", "runs", "sources"])
    }
}
