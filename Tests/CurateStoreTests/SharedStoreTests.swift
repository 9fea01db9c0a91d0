@testable import CurateStore
import CurateCore
import Foundation
import GRDB
import XCTest

/// A store that several processes share, that is read-only, older or newer (issue 13).
final class SharedStoreTests: XCTestCase {
    var temp: TemporaryStore!

    override func setUpWithError() throws { temp = try TemporaryStore() }
    override func tearDown() { temp.cleanup() }

    func testCommandsThatDoNotIngestRefuseAPathWithoutAStore() throws {
        let typo = temp.folder.appendingPathComponent("typo.db").path
        for access in [Store.Access.existing, .readOnly] {
            XCTAssertThrowsError(try Store(path: typo, access: access)) { error in
                XCTAssertTrue("\(error)".contains("typo.db: no such store — check --store"), "\(error)")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: typo), "nothing was created")
    }

    func testAStoreAppearsOnlyWhenCompleteWhileOthersRaceToCreateIt() throws {
        let path = temp.folder.appendingPathComponent("raced.db").path
        // What a creator killed mid-way leaves: a staging file of a process that is gone.
        let abandoned = temp.folder.appendingPathComponent(".raced.db.creating-4194305-dead").path
        XCTAssertTrue(FileManager.default.createFile(atPath: abandoned, contents: Data("half".utf8)))
        let creators = 4
        let done = DispatchSemaphore(value: 0)
        let failures = Failures()
        for _ in 0..<creators {
            DispatchQueue.global().async {
                do { _ = try Store(path: path) } catch { failures.add("creator: \(error)") }
                done.signal()
            }
        }
        var finished = 0
        while finished < creators {
            if done.wait(timeout: .now()) == .success { finished += 1 }
            guard FileManager.default.fileExists(atPath: path) else { continue }
            do {
                _ = try Store(path: path, access: .readOnly).stats()
            } catch {
                failures.add("reader: \(error)")
            }
        }
        XCTAssertEqual(failures.all, [], "a reader never sees a store that is half-made")
        XCTAssertEqual(try Store(path: path, access: .readOnly).appliedMigrations(), Schema.migrator.migrations)
        let left = try FileManager.default.contentsOfDirectory(atPath: temp.folder.path).filter { $0.contains("creating") }
        XCTAssertEqual(left, [], "no staging file is left, the abandoned one included")
    }

    func testAReadOnlyOpenWritesNothing() throws {
        let path = temp.store.path
        _ = try temp.store.beginRun(command: "ingest", arguments: [], toolVersion: "test")
        try markRunsDead(path)
        let reader = try Store(path: path, access: .readOnly)
        XCTAssertEqual(try reader.interruptedRuns().count, 1, "seen as interrupted without writing the mark")
        XCTAssertEqual(try statuses(path), ["running"])
        XCTAssertThrowsError(try reader.beginRun(command: "x", arguments: [], toolVersion: "test"))
    }

    func testARunWhoseProcessIsGoneIsMarkedInterruptedOnTheNextOpen() throws {
        let path = temp.store.path
        let live = try temp.store.beginRun(command: "ingest", arguments: ["ingest", "a.jsonl"], toolVersion: "test")
        let dead = try temp.store.beginRun(command: "render", arguments: ["render", "--tasks", "summarize"], toolVersion: "test")
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "UPDATE runs SET process = ? WHERE id = ?",
                           arguments: [RunProcess(host: RunProcess.current.host, pid: 4_194_305, start: "1").description, dead])
            try db.execute(sql: "INSERT INTO runs (id, command, arguments, tool_version, started_at, status) VALUES ('old', 'ingest', '[]', '0.1.0', 't', 'running')")
        }
        let reopened = try Store(path: path)
        XCTAssertEqual(try statuses(path, id: live), ["running"], "this process is alive")
        XCTAssertEqual(try statuses(path, id: dead), ["interrupted"], "no process has that pid")
        XCTAssertEqual(try statuses(path, id: "old"), ["interrupted"], "a run from before runs named their process")
        XCTAssertEqual(Set(try reopened.stats().interrupted.map(\.id)), [dead, "old"])
    }

    func testAPidThatWasReusedDoesNotKeepADeadRunAlive() {
        let current = RunProcess.current
        XCTAssertTrue(current.mayBeAlive)
        XCTAssertFalse(RunProcess(host: current.host, pid: current.pid, start: "0").mayBeAlive, "same pid, other start time")
        XCTAssertTrue(RunProcess(host: "another-host", pid: 1, start: "0").mayBeAlive, "another machine cannot be checked")
        XCTAssertEqual(RunProcess("h 12 345"), RunProcess(host: "h", pid: 12, start: "345"))
    }

    func testAStoreFromANewerCurateIsRefusedNamingTheMigration() throws {
        let path = temp.store.path
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
        }
        XCTAssertThrowsError(try Store(path: path)) { error in
            XCTAssertTrue("\(error)".contains("the store was written by a newer curate (it has migration 'v9-from-the-future', which curate \(CurateVersion.current) does not know) — use that newer curate"), "\(error)")
        }
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v9-from-the-future'")
            try db.execute(sql: "PRAGMA user_version = 99")
        }
        XCTAssertThrowsError(try Store(path: path, access: .readOnly)) { error in
            XCTAssertTrue("\(error)".contains("(schema version 99; curate \(CurateVersion.current) knows \(Schema.migrator.migrations.count))"), "\(error)")
        }
    }

    func testAnUpToDateStoreOpensWithoutTakingTheWriteLock() throws {
        let path = temp.store.path
        XCTAssertEqual(try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "PRAGMA user_version") }, Schema.migrator.migrations.count)
        // Another connection holds the write lock; opening must not wait for it or fail.
        var unsafe = Configuration()
        unsafe.allowsUnsafeTransactions = true
        let holder = try DatabaseQueue(path: path, configuration: unsafe)
        try holder.inDatabase { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        defer { try? holder.inDatabase { db in try db.execute(sql: "ROLLBACK") } }
        let started = Date()
        _ = try Store(path: path, access: .existing)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testAnOlderStoreIsMigratedOnlyByAWritableOpen() throws {
        let folder = temp.folder.appendingPathComponent("old")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("v2.db").path
        let old = try DatabasePool(path: path)
        try Schema.migrator.migrate(old, upTo: "v2-datasets-exemplars-lengths")
        try old.close()
        XCTAssertThrowsError(try Store(path: path, access: .readOnly)) { error in
            XCTAssertTrue("\(error)".contains("needs migration 'v3-dialogue-spans' before this curate can read it, and it is opened read-only"), "\(error)")
        }
        XCTAssertEqual(try Store(path: path, access: .existing).appliedMigrations(), Schema.migrator.migrations)
    }

    func testDiskErrorsNameTheStoreAndWhatToDo() {
        let full = StoreErrors.explain(DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full"), path: "out/x.db", action: "write to")
        XCTAssertTrue(full.hasPrefix("out/x.db: cannot write to the store: the disk is full — free some space"), full)
        let io = StoreErrors.explain(DatabaseError(resultCode: .SQLITE_IOERR, message: "disk I/O error"), path: "out/x.db", action: "write to")
        XCTAssertTrue(io.contains("most often a full disk"), io)
    }

    private func markRunsDead(_ path: String) throws {
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "UPDATE runs SET process = ?", arguments: [RunProcess(host: RunProcess.current.host, pid: 4_194_305, start: "1").description])
        }
    }

    private func statuses(_ path: String, id: String? = nil) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT status FROM runs WHERE ? IS NULL OR id = ? ORDER BY started_at", arguments: [id, id])
        }
    }
}

/// The record locators and counts of one ingest always match the audit tables.
final class AuditRowTests: XCTestCase {
    func testRejectsAtOneLineDifferentColumnsAreRowsOfTheirOwn() throws {
        let temp = try TemporaryStore()
        defer { temp.cleanup() }
        let run = try temp.store.beginRun(command: "ingest", arguments: [], toolVersion: "test")
        let source = try temp.store.registerSource(path: "one-line.json", sha256: "cd", bytes: 1, preset: "samsum", dataset: "samsum", split: .train, runID: run)
        let writer = IngestWriter(store: temp.store, runID: run, sourceID: source)
        try writer.add(conversation(["hi", "yo"], line: 1), split: .train)
        var repeated = conversation(["hi", "yo"], line: 1)
        repeated.provenance.locator = "line 1:53"
        try writer.add(repeated, split: .train)
        for column in [104, 115] {
            var missing = Diagnostic(file: "one-line.json", locator: "line 1", reason: "missing-field", message: "no dialogue", hint: "")
            missing.column = column
            try writer.reject(missing)
        }
        try writer.flush()
        XCTAssertEqual(writer.counts.duplicates, 1)
        XCTAssertEqual(writer.counts.rejected, 2)
        let stats = try temp.store.stats()
        XCTAssertEqual(stats.duplicates.first?.count, 1, "an in-file repeat is a duplicate, not a re-read of itself")
        XCTAssertEqual(stats.rejects.first?.count, 2)
    }
}

/// Messages collected from several threads.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var all: [String] { lock.withLock { messages } }
}
