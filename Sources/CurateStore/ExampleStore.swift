import CurateCore
import GRDB

extension Store {
    /// Visits stored conversations in id order (stable across runs), decoding one at a time so
    /// memory stays flat however large the store is.
    public func forEachConversation(splits: [Split] = Split.allCases, _ body: (StoredConversation) throws -> Void) throws {
        try pool.read { db in
            let placeholders = splits.map { _ in "?" }.joined(separator: ",")
            let rows = try Row.fetchCursor(db, sql: """
                SELECT id, content_hash, split, turns, annotations FROM conversations
                WHERE split IN (\(placeholders)) ORDER BY id
                """, arguments: StatementArguments(splits.map(\.rawValue)))
            while let row = try rows.next() {
                try body(StoredConversation(
                    id: row["id"], contentHash: row["content_hash"], split: Split(rawValue: row["split"])!,
                    turns: try StoredJSON.turns(row["turns"]), annotations: try StoredJSON.annotations(row["annotations"])))
            }
        }
    }

    public func conversationCount(splits: [Split] = Split.allCases) throws -> Int {
        try pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM conversations WHERE split IN (\(splits.map { _ in "?" }.joined(separator: ",")))",
                             arguments: StatementArguments(splits.map(\.rawValue)))!
        }
    }
}

/// What a render wrote: examples new to the store, and those it already held.
public struct RenderCounts: Sendable, Equatable {
    public var stored = 0
    public var duplicates = 0
    public init() {}
}

/// Writes examples in batched transactions. An example whose content key the store already
/// holds (same task, prompt and target) is counted as a duplicate, so re-rendering adds nothing.
public final class ExampleWriter {
    private let store: Store
    private let runID: String
    private var pending: [Example] = []
    public private(set) var counts = RenderCounts()

    public init(store: Store, runID: String) {
        self.store = store
        self.runID = runID
    }

    public func add(_ example: Example) throws {
        pending.append(example)
        if pending.count >= 2000 { try flush() }
    }

    public func flush() throws {
        guard !pending.isEmpty else { return }
        let batch = pending.map { ($0, ContentKey.example(task: $0.task, prompt: $0.prompt, target: $0.target),
                                   JSONValue.array($0.references.map(JSONValue.string)).text()) }
        pending.removeAll(keepingCapacity: true)
        counts = try store.pool.write { db in
            var counts = self.counts
            let insert = try db.cachedStatement(sql: """
                INSERT INTO examples (content_hash, conversation_id, task, template_id, variant, split, prompt, target, "references", run_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (content_hash) DO NOTHING
                """)
            for (e, key, references) in batch {
                try insert.execute(arguments: [key, e.conversationID, e.task, e.templateID, e.variant, e.split.rawValue,
                                               e.prompt, e.target, references, runID])
                if db.changesCount > 0 { counts.stored += 1 } else { counts.duplicates += 1 }
            }
            return counts
        }
    }
}

extension Store {
    /// Example ids per task for one split, in id order: the pools mixing draws from.
    public func examplePools(tasks: [String], split: Split) throws -> [String: [Int64]] {
        try pool.read { db in
            var pools: [String: [Int64]] = [:]
            for task in tasks {
                pools[task] = try Int64.fetchAll(db, sql: "SELECT id FROM examples WHERE task = ? AND split = ? ORDER BY id",
                                                 arguments: [task, split.rawValue])
            }
            return pools
        }
    }

    /// The examples with these ids, in the order given.
    public func examples(ids: [Int64]) throws -> [StoredExample] {
        try pool.read { db in
            var byID: [Int64: StoredExample] = [:]
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(start + 500, ids.count)])
                let rows = try Row.fetchAll(db, sql: """
                    SELECT id, conversation_id, task, template_id, variant, split, prompt, target, "references"
                    FROM examples WHERE id IN (\(chunk.map { _ in "?" }.joined(separator: ",")))
                    """, arguments: StatementArguments(chunk))
                for row in rows {
                    byID[row["id"]] = StoredExample(id: row["id"], example: Example(
                        conversationID: row["conversation_id"], task: row["task"], templateID: row["template_id"],
                        variant: row["variant"], split: Split(rawValue: row["split"])!, prompt: row["prompt"], target: row["target"],
                        references: try StoredJSON.strings(row["references"], column: "references")))
                }
            }
            return ids.map { byID[$0]! }
        }
    }
}

extension Store {
    /// Every example of `tasks` in a split, in id order: the evaluation side of a shard set,
    /// which is not resampled.
    public func examples(tasks: [String], split: Split) throws -> [StoredExample] {
        let ids = try examplePools(tasks: tasks, split: split)
        return try examples(ids: tasks.flatMap { ids[$0] ?? [] }.sorted())
    }
}
