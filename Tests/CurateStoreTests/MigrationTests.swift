@testable import CurateStore
import CurateCore
import Foundation
import GRDB
import XCTest

/// A store written before `v2-datasets-exemplars-lengths` upgrades in place when opened.
final class MigrationTests: XCTestCase {
    func testAVersionOneStoreGainsDatasetsLengthsAndEntityLabelling() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curate-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("old.db").path
        let old = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(old, upTo: "v1-examples-mixtures")
        try old.write { db in
            try db.execute(sql: """
                INSERT INTO runs (id, command, arguments, tool_version, started_at, status) VALUES ('r', 'ingest', '[]', '0', 't', 'ok');
                INSERT INTO sources (id, path, sha256, bytes, preset, split, first_run_id) VALUES (1, 'sgd.json', 'a', 1, 'sgd', 'train', 'r');
                INSERT INTO sources (id, path, sha256, bytes, preset, split, first_run_id) VALUES (2, 'd.jsonl', 'b', 1, 'dialogsum', 'train', 'r');
                INSERT INTO conversations (content_hash, split, source_id, locator, run_id, turn_count, turns, annotations) VALUES
                  ('h1', 'train', 1, 'line 1', 'r', 1, '[{"speaker":"USER","role":"user","text":"Paris","entities":[{"label":"city","start":0,"end":5,"text":"Paris"}]}]', '{}'),
                  ('h2', 'train', 1, 'line 2', 'r', 1, '[{"speaker":"USER","role":"user","text":"Hi"}]', '{}'),
                  ('h3', 'train', 2, 'line 1', 'r', 1, '[{"speaker":"#Person1#","role":"other","text":"Hi"}]', '{"summaries":["Hello."]}');
                INSERT INTO examples (content_hash, conversation_id, task, template_id, variant, split, prompt, target, "references", run_id)
                  VALUES ('e', 3, 'summarize', 's.01', 'zero-shot', 'train', 'Summarize: Hi there', 'Hello.', '["Hello."]', 'r');
                """)
        }
        let store = try Store(path: path)
        XCTAssertEqual(try store.appliedMigrations(), Schema.migrator.migrations, "every migration, in order")
        XCTAssertEqual(try store.sourceAccounts().map(\.license.identifier), ["unknown", "unknown"],
                       "v3-licenses: sources from before licences were kept say unknown")
        XCTAssertEqual(try store.exampleSummaries(tasks: ["summarize"], split: .train).map(\.tokens), [nil],
                       "v3-token-lengths: old examples have no token count")
        var conversations: [String: StoredConversation] = [:]
        try store.forEachConversation { conversations[$0.contentHash] = $0 }
        XCTAssertEqual(conversations["h1"]?.dataset, "sgd", "a source's dataset starts as its preset")
        XCTAssertEqual(conversations["h1"]?.annotations.entitiesLabelled, true)
        XCTAssertEqual(conversations["h2"]?.annotations.entitiesLabelled, true, "its source labels entities: it has none")
        XCTAssertEqual(conversations["h3"]?.annotations.entitiesLabelled, false)
        XCTAssertEqual(conversations["h3"]?.annotations.summaries, ["Hello."])
        let summary = try XCTUnwrap(try store.exampleSummaries(tasks: ["summarize"], split: .train).first)
        XCTAssertEqual(summary.characters, 19 + 6)
        XCTAssertEqual(summary.words, 3 + 1)
        XCTAssertEqual(summary.dataset, "dialogsum")
    }
}
