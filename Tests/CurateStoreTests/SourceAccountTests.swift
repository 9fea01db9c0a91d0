import CurateCore
import CurateStore
import GRDB
import XCTest

/// Licences kept per source, and the per-source accounting dataset cards and reports show.
final class SourceAccountTests: XCTestCase {
    var temp: TemporaryStore!

    override func setUpWithError() throws { temp = try TemporaryStore() }

    override func tearDown() { temp.cleanup() }

    private func register(_ path: String, sha: String, license: String, dataset: String = "dialogsum", run: String) throws -> Int64 {
        try temp.store.registerSource(path: path, sha256: sha, bytes: 1, preset: "dialogsum", dataset: dataset, split: .train,
                                      license: license, runID: run)
    }

    func testALicenceFillsInUnknownAndAConflictingOneIsRefused() throws {
        let run = try temp.store.beginRun(command: "ingest", arguments: [], toolVersion: "test")
        let id = try register("a.jsonl", sha: "a", license: DataLicense.unknown, run: run)
        XCTAssertEqual(try register("a.jsonl", sha: "a", license: "CC-BY-NC-SA-4.0", run: run), id)
        XCTAssertEqual(try temp.store.sourceAccounts().map(\.license.identifier), ["CC-BY-NC-SA-4.0"], "a known licence replaces unknown")
        XCTAssertEqual(try register("a.jsonl", sha: "a", license: DataLicense.unknown, run: run), id, "no licence given keeps the stored one")
        XCTAssertThrowsError(try register("a.jsonl", sha: "a", license: "MIT", run: run)) {
            XCTAssertTrue("\($0)".contains("a.jsonl: this file was ingested before under licence 'CC-BY-NC-SA-4.0' — ingest it with --license CC-BY-NC-SA-4.0"), "\($0)")
        }
    }

    func testCountsPerSourceAddUpWithDuplicateKindsAndAFilteredTable() throws {
        let run = try temp.store.beginRun(command: "ingest", arguments: [], toolVersion: "test")
        let a = try register("a.jsonl", sha: "a", license: "CC-BY-4.0", run: run)
        let b = try register("b.jsonl", sha: "b", license: "CC-BY-NC-4.0", dataset: "other", run: run)
        let db = try DatabaseQueue(path: temp.store.path)
        try db.write { db in
            try db.execute(sql: """
                INSERT INTO conversations (content_hash, split, source_id, locator, run_id, turn_count, turns, annotations) VALUES
                  ('h1', 'train', \(a), 'line 1', '\(run)', 1, '[]', '{}'), ('h2', 'train', \(a), 'line 2', '\(run)', 1, '[]', '{}');
                INSERT INTO duplicates (kind, source_id, locator, duplicate_of, run_id) VALUES
                  ('conversation', \(a), 'line 3', 1, '\(run)'), ('near-duplicate', \(a), 'line 4', 1, '\(run)'),
                  ('contaminated', \(a), 'line 5', 2, '\(run)');
                INSERT INTO rejects (stage, source_id, locator, reason, message, excerpt, run_id) VALUES
                  ('ingest', \(a), 'line 6', 'empty-turn', 'a.jsonl:6: empty', '', '\(run)'),
                  ('ingest', \(b), 'line 1', 'malformed-json', 'b.jsonl:1: bad', '', '\(run)');
                """)
        }
        var accounts = try temp.store.sourceAccounts()
        XCTAssertEqual(accounts.map(\.read), [6, 1], "no filtered table: nothing filtered")
        XCTAssertEqual(accounts[0].duplicates, ["conversation": 1, "near-duplicate": 1, "contaminated": 1], "every kind, as stored")
        XCTAssertEqual(accounts[0].rejected, ["empty-turn": 1])
        XCTAssertTrue(accounts[1].license.isNonCommercial)

        try db.write { db in
            try db.execute(sql: """
                CREATE TABLE filtered (id INTEGER PRIMARY KEY, source_id INTEGER, locator TEXT, reason TEXT);
                INSERT INTO filtered (source_id, locator, reason) VALUES (\(a), 'line 7', 'pii-email'), (\(a), 'line 8', 'too-short');
                """)
        }
        accounts = try temp.store.sourceAccounts()
        XCTAssertEqual(accounts[0].filtered, ["pii-email": 1, "too-short": 1])
        XCTAssertEqual(accounts[0].read, 8, "read = stored 2 + duplicates 3 + rejected 1 + filtered 2")
        XCTAssertEqual(try temp.store.sourceAccounts(datasets: ["other"]).map(\.path), ["b.jsonl"])
        XCTAssertEqual(try temp.store.rejectSamples(perReason: 1).map(\.message), ["a.jsonl:6: empty", "b.jsonl:1: bad"])
    }
}
