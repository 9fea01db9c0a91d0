import Foundation
import XCTest

/// What a user sees when curate is killed, pointed at the wrong path, or shares its store
/// (issue 13), run through the built binary.
final class ReliabilityCLITests: XCTestCase {
    var cli: CLIFixture!

    override func setUpWithError() throws { cli = try CLIFixture(self) }

    func testRecordsOnOneLineKeepTheirAuditRowsSoTablesEqualThePrintedCounts() throws {
        try cli.write("one-line.json", #"[{"id":"1","dialogue":"A: hi\nB: yo","summary":"s"},{"id":"2","dialogue":"A: hi\nB: yo","summary":"s"},{"id":"3"},{"id":"4"}]"# + "\n")
        let result = try cli.curate(["ingest", "one-line.json", "--preset", "samsum"])
        XCTAssertEqual(result.status, 3)
        XCTAssertTrue(result.out.contains("one-line.json     4       1           1         2"), result.out)
        let stats = try cli.curate(["stats"]).out
        XCTAssertTrue(matches(stats, #"ingest\s+missing-field\s+2"#), stats)
        XCTAssertTrue(matches(stats, #"conversation\s+1"#), stats)
        let again = try cli.curate(["ingest", "one-line.json", "--preset", "samsum"])
        XCTAssertTrue(again.out.contains("one-line.json     4       0           2         2"), "a re-read is all duplicates: \(again.out)")
        XCTAssertTrue(matches(try cli.curate(["stats"]).out, #"conversation\s+1\n"#), "and adds no audit rows")
    }

    func testReadOnlyCommandsNeverCreateAStore() throws {
        let stats = try cli.curate(["stats", "--store", "typo.db"])
        XCTAssertEqual(stats.status, 1)
        XCTAssertTrue(stats.err.contains("typo.db: no such store — check --store"), stats.err)
        let render = try cli.curate(["render", "--tasks", "summarize", "--store", "typo.db"])
        XCTAssertEqual(render.status, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.folder.appendingPathComponent("typo.db").path))
        XCTAssertTrue(try cli.curate(["--help"]).out.contains("curate stats --store out/demo.db"), "the quick start names the demo's store")
    }

    func testAFolderWithAFilePresetSaysWhatToPass() throws {
        try FileManager.default.createDirectory(at: cli.folder.appendingPathComponent("exports"), withIntermediateDirectories: true)
        try cli.write("exports/a.json", "[]")
        let result = try cli.curate(["ingest", "exports", "--preset", "samsum"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("error: exports: is a folder, and the samsum preset reads files — pass the files inside it (e.g. exports/*)"), result.err)
        XCTAssertFalse(result.err.contains("NSCocoaErrorDomain"), result.err)
    }

    func testAKilledIngestIsMarkedInterruptedAndStatsSaysWhatIsIncomplete() throws {
        let lines = (0..<20_000).map { ##"{"fname": "k\##($0)", "dialogue": "#Person1#: Hello number \##($0).\n#Person2#: Hi.", "summary": "Greeting \##($0)."}"## }
        try cli.write("big.jsonl", lines.joined(separator: "\n") + "\n")
        let process = Process()
        process.executableURL = Bundle.main.bundleURL.appendingPathComponent("curate")
        process.arguments = ["ingest", "big.jsonl", "--preset", "dialogsum"]
        process.currentDirectoryURL = cli.folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let wal = cli.folder.appendingPathComponent("curate.db-wal").path
        let deadline = Date().addingTimeInterval(60)
        // Kill it once it has committed something (the WAL grows with every batch).
        while process.isRunning, Date() < deadline,
              ((try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0) < 1_000_000 {
            usleep(20_000)
        }
        XCTAssertTrue(process.isRunning, "the ingest must still be running to be killed part way")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let stats = try cli.curate(["stats"])
        XCTAssertEqual(stats.status, 0, stats.err)
        XCTAssertTrue(stats.out.contains("runs: 1 (1 interrupted)"), stats.out)
        XCTAssertTrue(stats.out.contains("incomplete: these runs were killed before they finished"), stats.out)
        XCTAssertTrue(stats.out.contains("curate ingest big.jsonl --preset dialogsum"), stats.out)
        let rerun = try cli.curate(["ingest", "big.jsonl", "--preset", "dialogsum"])
        XCTAssertEqual(rerun.status, 0, rerun.err)
        let after = try cli.curate(["stats"]).out
        XCTAssertTrue(matches(after, #"train\s+20000"#), "the rerun finished the job: \(after)")
        XCTAssertTrue(after.contains("runs: 2 (1 interrupted, 1 of them finished by a later run)"), after)
        XCTAssertFalse(after.contains("incomplete:"), after)
    }

    func testConcurrentIngestsAndAReaderShareOneStore() throws {
        for writer in 0..<3 {
            let lines = (0..<3_000).map { ##"{"fname": "w\##(writer)-\##($0)", "dialogue": "#Person1#: Writer \##(writer) line \##($0 % 2_500).\n#Person2#: Ok.", "summary": "S."}"## }
            try cli.write("w\(writer).jsonl", lines.joined(separator: "\n") + "\n")
        }
        // The store exists before the race, as it would for a team sharing one.
        XCTAssertEqual(try cli.curate(["ingest", "w0.jsonl", "--preset", "dialogsum", "--store", "shared.db"]).status, 0)
        let writers = (1..<3).map { writer -> Process in
            let process = Process()
            process.executableURL = Bundle.main.bundleURL.appendingPathComponent("curate")
            process.arguments = ["ingest", "w\(writer).jsonl", "--preset", "dialogsum", "--store", "shared.db"]
            process.currentDirectoryURL = cli.folder
            process.standardOutput = FileHandle.nullDevice
            return process
        }
        for process in writers { try process.run() }
        var reads = 0
        while writers.contains(where: \.isRunning) || reads == 0 {
            let stats = try cli.curate(["stats", "--store", "shared.db"])
            XCTAssertEqual(stats.status, 0, "a reader during writes: \(stats.err)")
            reads += 1
        }
        for process in writers {
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0)
        }
        let stats = try cli.curate(["stats", "--store", "shared.db"]).out
        XCTAssertTrue(matches(stats, #"train\s+7500"#), "2,500 distinct dialogues per writer, every one stored: \(stats)")
        XCTAssertTrue(matches(stats, #"conversation\s+1500"#), "and each repeat recorded: \(stats)")
    }
}

func matches(_ text: String, _ pattern: String) -> Bool {
    text.range(of: pattern, options: .regularExpression) != nil
}
