import CurateCore
import GRDB

extension Store {
    /// Visits stored conversations in id order (stable across runs), decoding one at a time so
    /// memory stays flat however large the store is.
    public func forEachConversation(splits: [Split] = Split.allCases, _ body: (StoredConversation) throws -> Void) throws {
        try pool.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT c.id, c.content_hash, c.split, s.dataset, c.turns, c.annotations
                FROM conversations c JOIN sources s ON s.id = c.source_id
                WHERE c.split IN (\(Self.placeholders(splits.count))) ORDER BY c.id
                """, arguments: StatementArguments(splits.map(\.rawValue)))
            while let row = try rows.next() {
                try body(StoredConversation(
                    id: row["id"], contentHash: row["content_hash"], split: Split(rawValue: row["split"])!, dataset: row["dataset"],
                    turns: try StoredJSON.turns(row["turns"]), annotations: try StoredJSON.annotations(row["annotations"])))
            }
        }
    }

    public func conversationCount(splits: [Split] = Split.allCases) throws -> Int {
        try pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM conversations WHERE split IN (\(Self.placeholders(splits.count)))",
                             arguments: StatementArguments(splits.map(\.rawValue)))!
        }
    }

    static func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ",") }
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
        let batch = pending.map { e in
            (e, ContentKey.example(task: e.task, prompt: e.prompt, target: e.target),
             JSONValue.array(e.references.map(JSONValue.string)).text(), JSONValue.array(e.exemplars.map { .int(Int($0)) }).text())
        }
        pending.removeAll(keepingCapacity: true)
        counts = try store.pool.write { db in
            var counts = self.counts
            let insert = try db.cachedStatement(sql: """
                INSERT INTO examples (content_hash, conversation_id, task, template_id, variant, split, prompt, target, "references",
                                      exemplars, characters, words, dialogue_start, dialogue_end, tokens, run_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (content_hash) DO NOTHING
                """)
            // A re-render with a tokenizer fills in the lengths of examples stored without one.
            let fillTokens = try db.cachedStatement(sql: "UPDATE examples SET tokens = ? WHERE content_hash = ? AND tokens IS NULL")
            for (e, key, references, exemplars) in batch {
                try insert.execute(arguments: [
                    key, e.conversationID, e.task, e.templateID, e.variant.description, e.split.rawValue, e.prompt, e.target,
                    references, exemplars, e.prompt.unicodeScalars.count + e.target.unicodeScalars.count,
                    whitespaceTokenCount(e.prompt) + whitespaceTokenCount(e.target),
                    e.dialogueSpan?.lowerBound, e.dialogueSpan?.upperBound, e.tokens, runID,
                ])
                if db.changesCount > 0 { counts.stored += 1 } else {
                    counts.duplicates += 1
                    if let tokens = e.tokens { try fillTokens.execute(arguments: [tokens, key]) }
                }
            }
            return counts
        }
    }
}

extension Store {
    /// Every example of `tasks` in `split`, in id order, with its dataset: the pools mixing
    /// draws from.
    public func exampleSummaries(tasks: [String], split: Split) throws -> [ExampleSummary] {
        try pool.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT e.id, e.task, s.dataset, e.conversation_id, e.template_id, e.variant, e.characters, e.words, e.tokens
                FROM examples e JOIN conversations c ON c.id = e.conversation_id JOIN sources s ON s.id = c.source_id
                WHERE e.split = ? AND e.task IN (\(Self.placeholders(tasks.count))) ORDER BY e.id
                """, arguments: StatementArguments([split.rawValue] + tasks))
            var result: [ExampleSummary] = []
            while let row = try rows.next() {
                result.append(ExampleSummary(exampleID: row["id"], task: row["task"], dataset: row["dataset"], conversationID: row["conversation_id"],
                                      templateID: row["template_id"], variant: try Self.variant(row), characters: row["characters"], words: row["words"],
                                      tokens: row["tokens"]))
            }
            return result
        }
    }

    private static func span(_ start: Int?, _ end: Int?) -> Range<Int>? {
        guard let start, let end, start <= end else { return nil }
        return start ..< end
    }

    private static func variant(_ row: Row) throws -> ExampleVariant {
        guard let variant = ExampleVariant(name: row["variant"]) else {
            throw CurateError("example \(row["id"] as Int64) has an unknown variant '\(row["variant"] as String)' — was the store edited by hand?")
        }
        return variant
    }

    /// The examples with these ids, in the order given.
    public func examples(ids: [Int64]) throws -> [StoredExample] {
        try pool.read { db in
            var byID: [Int64: StoredExample] = [:]
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(start + 500, ids.count)])
                let rows = try Row.fetchAll(db, sql: """
                    SELECT id, conversation_id, task, template_id, variant, split, prompt, target, "references", exemplars,
                           dialogue_start, dialogue_end
                    FROM examples WHERE id IN (\(Self.placeholders(chunk.count)))
                    """, arguments: StatementArguments(chunk))
                for row in rows {
                    byID[row["id"]] = StoredExample(id: row["id"], example: Example(
                        conversationID: row["conversation_id"], task: row["task"], templateID: row["template_id"],
                        variant: try Self.variant(row), split: Split(rawValue: row["split"])!,
                        prompt: row["prompt"], target: row["target"],
                        references: try StoredJSON.strings(row["references"], column: "references"),
                        exemplars: try StoredJSON.ids(row["exemplars"], column: "exemplars"),
                        dialogueSpan: Self.span(row["dialogue_start"], row["dialogue_end"])))
                }
            }
            return ids.map { byID[$0]! }
        }
    }
}
