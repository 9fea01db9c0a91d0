import CurateCore
import GRDB

/// The store's schema as named, ordered migrations. A new column or table is a new migration
/// appended here, never an edit to an old one: existing stores upgrade in place.
/// README "Store schema" documents every table for people querying with `sqlite3`.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-sources-runs-conversations") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id TEXT PRIMARY KEY,
                    command TEXT NOT NULL,
                    arguments TEXT NOT NULL,        -- JSON array
                    tool_version TEXT NOT NULL,
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    status TEXT NOT NULL,           -- running | ok | rejects | failed
                    counts TEXT                     -- JSON object of what the run printed
                );
                CREATE TABLE sources (
                    id INTEGER PRIMARY KEY,
                    path TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    bytes INTEGER NOT NULL,
                    preset TEXT NOT NULL,
                    split TEXT NOT NULL,
                    first_run_id TEXT NOT NULL REFERENCES runs(id),
                    UNIQUE (sha256, preset, split)      -- the same bytes at another path are the same source
                );
                CREATE TABLE conversations (
                    id INTEGER PRIMARY KEY,
                    content_hash TEXT NOT NULL UNIQUE,  -- exact-dedup key over normalized turn texts
                    external_id TEXT,                   -- the source's own id (DialogSum fname)
                    split TEXT NOT NULL,                -- train | validation | test
                    source_id INTEGER NOT NULL REFERENCES sources(id),
                    locator TEXT NOT NULL,              -- 'line 12' in the source
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    turn_count INTEGER NOT NULL,
                    turns TEXT NOT NULL,                -- JSON [{speaker, role, text, time?, entities?}]
                    annotations TEXT NOT NULL           -- JSON {summaries?, topics?, rating?}
                );
                CREATE INDEX conversations_split ON conversations(split);
                CREATE TABLE duplicates (
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL,                 -- conversation | example
                    source_id INTEGER REFERENCES sources(id),
                    locator TEXT NOT NULL,              -- where the duplicate was read
                    duplicate_of INTEGER NOT NULL,      -- conversations.id or examples.id it repeats
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    UNIQUE (kind, source_id, locator)
                );
                CREATE TABLE rejects (
                    id INTEGER PRIMARY KEY,
                    stage TEXT NOT NULL,                -- ingest | render
                    source_id INTEGER REFERENCES sources(id),
                    locator TEXT NOT NULL,
                    reason TEXT NOT NULL,               -- short category: python-repr, malformed-json …
                    message TEXT NOT NULL,              -- the full 'file:line: what — what to do' text
                    excerpt TEXT NOT NULL,
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    UNIQUE (stage, source_id, locator)
                );
                """)
        }
        migrator.registerMigration("v1-examples-mixtures") { db in
            try db.execute(sql: """
                CREATE TABLE examples (
                    id INTEGER PRIMARY KEY,
                    content_hash TEXT NOT NULL UNIQUE,  -- exact-dedup key over task, prompt, target
                    conversation_id INTEGER NOT NULL REFERENCES conversations(id),
                    task TEXT NOT NULL,
                    template_id TEXT NOT NULL,
                    variant TEXT NOT NULL,              -- zero-shot
                    split TEXT NOT NULL,                -- the conversation's split
                    prompt TEXT NOT NULL,
                    target TEXT NOT NULL,
                    "references" TEXT NOT NULL,         -- JSON array of every acceptable answer
                    run_id TEXT NOT NULL REFERENCES runs(id)
                );
                CREATE INDEX examples_task_split ON examples(task, split);
                CREATE TABLE mixtures (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    spec TEXT NOT NULL,                 -- JSON: tasks, strategy, cap, temperature, weights, total, seed
                    report TEXT NOT NULL,               -- JSON: per task pool, requested/achieved share, epochs
                    run_id TEXT NOT NULL REFERENCES runs(id)
                );
                CREATE TABLE mixture_examples (
                    mixture_id INTEGER NOT NULL REFERENCES mixtures(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,          -- order in the mixture (training order)
                    example_id INTEGER NOT NULL REFERENCES examples(id),
                    epoch INTEGER NOT NULL,             -- 0 for the first pass over a task's pool, 1+ when upsampled
                    PRIMARY KEY (mixture_id, position)
                );
                """)
        }
        migrator.registerMigration("v2-datasets-exemplars-lengths") { db in
            // dataset: the name a source was ingested as, which mixtures weigh within a task
            // (the preset's name unless the user gave one). exemplars: the conversations a
            // few-shot prompt shows, for leakage audits. characters/words: lengths that
            // mixture reports add up without reading every prompt back.
            try db.execute(sql: """
                ALTER TABLE sources ADD COLUMN dataset TEXT NOT NULL DEFAULT '';
                UPDATE sources SET dataset = preset;
                ALTER TABLE examples ADD COLUMN exemplars TEXT NOT NULL DEFAULT '[]';   -- JSON array of conversations.id
                ALTER TABLE examples ADD COLUMN characters INTEGER NOT NULL DEFAULT 0;  -- Unicode scalars, prompt + target
                ALTER TABLE examples ADD COLUMN words INTEGER NOT NULL DEFAULT 0;       -- whitespace tokens, prompt + target
                """)
            // Page by id so a large store is not read into memory at once.
            var last: Int64 = 0
            while true {
                let rows = try Row.fetchAll(db, sql: "SELECT id, prompt, target FROM examples WHERE id > ? ORDER BY id LIMIT 5000",
                                            arguments: [last])
                guard let end = rows.last?["id"] as Int64? else { break }
                for row in rows {
                    let (prompt, target): (String, String) = (row["prompt"], row["target"])
                    try db.execute(sql: "UPDATE examples SET characters = ?, words = ? WHERE id = ?",
                                   arguments: [prompt.unicodeScalars.count + target.unicodeScalars.count,
                                               whitespaceTokenCount(prompt) + whitespaceTokenCount(target), row["id"] as Int64])
                }
                last = end
            }
            // Sources that stored entity spans before the flag existed label entities: their
            // conversations without spans have none (the ner task's explicit "none").
            try db.execute(sql: """
                UPDATE conversations SET annotations = json_set(annotations, '$.entities_labelled', json('true'))
                WHERE source_id IN (SELECT DISTINCT c.source_id FROM conversations c, json_each(c.turns) t
                                    WHERE json_type(t.value, '$.entities') = 'array')
                """)
        }
        migrator.registerMigration("v3-dialogue-spans") { db in
            // Where each prompt shows its dialogue (Unicode scalars), so the trainer can shorten
            // an over-long prompt by cutting the dialogue and never the instruction. Examples
            // rendered before this migration have none: the trainer skips them if too long.
            try db.execute(sql: """
                ALTER TABLE examples ADD COLUMN dialogue_start INTEGER;
                ALTER TABLE examples ADD COLUMN dialogue_end INTEGER;
                """)
        }
        migrator.registerMigration("v3-licenses") { db in
            // license: the data licence a source was ingested under (--license, a recipe's
            // license:, or the preset's dataset default), carried into shard manifests and
            // dataset cards. Stores from before it say 'unknown' until the file is ingested again.
            try db.execute(sql: "ALTER TABLE sources ADD COLUMN license TEXT NOT NULL DEFAULT 'unknown'")
        }
        migrator.registerMigration("v3-token-lengths") { db in
            // tokens: prompt + target in model tokens, counted when render is given a tokenizer
            // (--tokenizer, --max-prompt-tokens); NULL when it was not, so mixture reports and
            // stats show token lengths only where they were measured.
            try db.execute(sql: "ALTER TABLE examples ADD COLUMN tokens INTEGER")
        }
        migrator.registerMigration("v3-reliability") { db in
            // process: 'HOST PID START' of the command's process, so a store opened after a
            // kill can tell a live run from a dead one and set the dead one's status to
            // 'interrupted' (a status value older stores never had).
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN process TEXT")
        }
        return migrator
    }
}

