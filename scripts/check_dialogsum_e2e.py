"""Assertions for scripts/e2e-shared-data.sh on the outputs it leaves in WORK.

Every expected number here was computed independently from the DialogSum files with Python
(json + the same turn-text normalization), not copied from curate's output.
"""
import hashlib
import json
import os
import sqlite3
import sys

from e2e_common import check, check_identical_runs, sidecar_lines

work, data = sys.argv[1], sys.argv[2]


def expected_duplicates():
    """Exact duplicates by turn texts (speakers ignored, whitespace folded), first copy wins."""
    seen, counts = {}, {}
    files = [("train", "dialogsum.train.2021-05.converted.jsonl"), ("validation", "dialogsum.dev.jsonl"),
             ("test", "dialogsum.test.jsonl")]
    for split, name in files:
        for line in open(os.path.join(data, "dialogsum", name), encoding="utf-8"):
            turns = []
            for raw in json.loads(line)["dialogue"].replace("\r", "\n").split("\n"):
                raw = raw.strip()
                if not raw:
                    continue
                if raw.startswith("#") and "#:" in raw[1:]:
                    turns.append(raw.split("#:", 1)[1].strip())
                elif turns:
                    turns[-1] += " " + raw
            key = "\x1e".join(" ".join(t.split()) for t in turns)
            if any(not t for t in turns):
                continue  # rejected: a speaker with no text
            if key in seen:
                counts[split] = counts.get(split, 0) + 1
            else:
                seen[key] = split
    return counts


runs = json.load(open(os.path.join(work, "a", "manifest.json")))
dups = expected_duplicates()
db = sqlite3.connect(os.path.join(work, "a.db"))
per_split = dict(db.execute("SELECT split, COUNT(*) FROM conversations GROUP BY split"))
check(per_split == {"train": 12460 - 5 - dups["train"], "validation": 500 - dups["validation"], "test": 500 - dups["test"]},
      f"conversations per split {per_split} = read - rejected - duplicates {dups}")
rejects = db.execute("SELECT reason, COUNT(*) FROM rejects GROUP BY reason").fetchall()
check(rejects == [("empty-turn", 5)], f"the 5 train dialogues with an empty '#PersonN#:' turn are rejected: {rejects}")
check(db.execute("SELECT COUNT(*) FROM duplicates").fetchone()[0] == sum(dups.values()), "every duplicate is recorded")
row = db.execute("SELECT turns, annotations, locator FROM conversations WHERE external_id = 'test_0'").fetchone()
check(row is not None and len(json.loads(row[1])["summaries"]) == 3 and len(json.loads(row[1])["topics"]) == 3,
      "test_0 keeps its three summaries and topics")
check(row[2] == "line 1", "provenance locator of test_0 is line 1")
sources = db.execute("SELECT sha256 FROM sources WHERE path LIKE '%dialogsum.test.jsonl'").fetchone()[0]
check(sources == hashlib.sha256(open(os.path.join(data, "dialogsum", "dialogsum.test.jsonl"), "rb").read()).hexdigest(),
      "source sha256 matches the file")

pyrepr = sqlite3.connect(os.path.join(work, "pyrepr.db"))
check(pyrepr.execute("SELECT reason, COUNT(*) FROM rejects GROUP BY reason").fetchall() == [("python-repr", 12460)],
      "all 12,460 Python-repr lines are rejected as python-repr and stored")
err = open(os.path.join(work, "pyrepr.err"), encoding="utf-8").read()
check("dialogsum.train.2021-05.pyrepr.jsonl:1: this line is a Python dict literal" in err, "rejection names file:line and what it is")
check("dialogsum.train.2021-05.converted.jsonl instead" in err, "the hint names the converted file")

rerun = open(os.path.join(work, "rerun.out"), encoding="utf-8").read().split()
check(rerun[-4:] == ["12460", "0", str(12460 - 5), "5"], f"re-ingest stores nothing: {rerun[-4:]}")

# Determinism and splits.
check_identical_runs(os.path.join(work, "a"), os.path.join(work, "b"))
conversations = set()
for split, meta in sidecar_lines(os.path.join(work, "a"), runs):
    conversations.add(meta["conversation"])
    if split == "test" and meta["task"] == "summarize":
        assert len(meta["references"]) == 3, meta
check(True, f"{len(conversations)} conversations, none in two splits; every test summary has 3 references")
check(runs["splits"]["train"]["tasks"] == {"summarize": 8000, "topic": 8000}, "proportional mix with cap 8000")
for shard in runs["shards"]:
    body = open(os.path.join(work, "a", shard["file"]), "rb").read()
    assert hashlib.sha256(body).hexdigest() == shard["sha256"], shard["file"]
check(True, "manifest sha256 matches every shard")
first = json.loads(open(os.path.join(work, "a", "train-00000-of-00004.jsonl"), encoding="utf-8").readline())
check([m["role"] for m in first["messages"]] == ["user", "assistant"], "openai-chat records are user/assistant pairs")
print("e2e: all DialogSum checks passed")
