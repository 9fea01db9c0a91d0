"""Checks the reliability harnesses (crash-test.sh, fuzz-test.sh, concurrency-test.sh) share:
a store's content in a form that does not depend on row ids or run ids, so a store rebuilt
after kills can be compared with a clean one; SQLite's integrity check; what runs were left
in; and whether a shard folder is exactly what its manifest says.

    python3 store_check.py same STORE REFERENCE     the two stores hold the same data
    python3 store_check.py runs STORE               integrity ok, no run left 'running', prints interrupted count
    python3 store_check.py folder DIR               DIR is absent or matches its manifest.json
    python3 store_check.py counts STORE SOURCE      prints read stored duplicates rejected for one source's rows
"""
import hashlib
import json
import os
import sqlite3
import sys


def fail(message):
    sys.exit(f"store_check: FAIL: {message}")


def connect(path):
    if not os.path.exists(path):
        fail(f"{path}: no store")
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


# Every table a stage writes, as rows that name other rows by content, not by id.
QUERIES = {
    "sources": "SELECT path, sha256, bytes, preset, dataset, split FROM sources",
    "conversations": """SELECT c.content_hash, c.external_id, c.split, s.path, c.locator, c.turn_count, c.turns, c.annotations
                        FROM conversations c JOIN sources s ON s.id = c.source_id""",
    "duplicates": """SELECT d.kind, s.path, d.locator, c.content_hash FROM duplicates d
                     LEFT JOIN sources s ON s.id = d.source_id LEFT JOIN conversations c ON c.id = d.duplicate_of""",
    "rejects": """SELECT r.stage, s.path, r.locator, r.reason, r.message, r.excerpt FROM rejects r
                  LEFT JOIN sources s ON s.id = r.source_id""",
    "examples": """SELECT e.content_hash, c.content_hash, e.task, e.template_id, e.variant, e.split, e."references",
                   (SELECT group_concat(x.content_hash, ',') FROM json_each(e.exemplars) j JOIN conversations x ON x.id = j.value)
                   FROM examples e JOIN conversations c ON c.id = e.conversation_id""",
    "mixtures": "SELECT name, spec, report FROM mixtures",
    "mixture_examples": """SELECT m.name, me.position, e.content_hash, me.epoch FROM mixture_examples me
                           JOIN mixtures m ON m.id = me.mixture_id JOIN examples e ON e.id = me.example_id""",
}


def content(path):
    db = connect(path)
    tables = {name: sorted(map(repr, db.execute(sql).fetchall())) for name, sql in QUERIES.items()}
    db.close()
    return tables


def same(store, reference):
    got, want = content(store), content(reference)
    for table in QUERIES:
        if got[table] != want[table]:
            missing = sorted(set(want[table]) - set(got[table]))[:3]
            extra = sorted(set(got[table]) - set(want[table]))[:3]
            fail(f"{store}: table {table} has {len(got[table])} rows, the clean run {len(want[table])} "
                 f"(missing e.g. {missing}, extra e.g. {extra})")
    print(" ".join(f"{t}={len(got[t])}" for t in QUERIES))


def runs(path):
    db = connect(path)
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    if integrity != "ok":
        fail(f"{path}: integrity_check says {integrity}")
    running = db.execute("SELECT id, command FROM runs WHERE status = 'running'").fetchall()
    if running:
        fail(f"{path}: runs left 'running' after a later open: {running}")
    # A run that stopped before finishing and left rows must say so.
    unmarked = db.execute("""SELECT id, status FROM runs r WHERE status NOT IN ('ok', 'rejects', 'interrupted')
                             AND (EXISTS (SELECT 1 FROM conversations WHERE run_id = r.id)
                                  OR EXISTS (SELECT 1 FROM examples WHERE run_id = r.id))""").fetchall()
    if unmarked:
        fail(f"{path}: runs that left rows but are not marked interrupted: {unmarked}")
    print(db.execute("SELECT COUNT(*) FROM runs WHERE status = 'interrupted'").fetchone()[0])


def folder(path):
    """A shard folder is absent, or every file its manifest lists is there with its size and
    sha256, and no shard file it does not list is."""
    manifest_path = os.path.join(path, "manifest.json")
    if not os.path.exists(path):
        print("absent")
        return
    if not os.path.exists(manifest_path):
        if any(name.endswith(".jsonl") for name in os.listdir(path)):
            fail(f"{path}: shard files without a manifest.json")
        print("no manifest")
        return
    manifest = json.load(open(manifest_path))
    listed = set()
    for shard in manifest["shards"]:
        data = open(os.path.join(path, shard["file"]), "rb").read()
        if len(data) != shard["bytes"] or hashlib.sha256(data).hexdigest() != shard["sha256"]:
            fail(f"{path}/{shard['file']}: size or sha256 differs from manifest.json")
        listed.add(shard["file"])
    unlisted = sorted(name for name in os.listdir(path) if name.endswith(".jsonl") and name not in listed)
    if unlisted:
        fail(f"{path}: shard files the manifest does not list: {unlisted[:3]}")
    print(f"consistent ({len(listed)} files)")


def counts(path, source):
    db = connect(path)
    row = db.execute("""SELECT (SELECT COUNT(*) FROM conversations c WHERE c.source_id = s.id),
                               (SELECT COUNT(*) FROM duplicates d WHERE d.source_id = s.id),
                               (SELECT COUNT(*) FROM rejects r WHERE r.source_id = s.id)
                        FROM sources s WHERE s.path = ?""", (source,)).fetchone()
    print(*(row or (0, 0, 0)))


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    {"same": same, "runs": runs, "folder": folder, "counts": counts}[command](*arguments)
