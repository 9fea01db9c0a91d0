"""Checks what scripts/e2e-forgetting.sh produced (see its header)."""
import json
import os
import sys

from e2e_common import check

work = sys.argv[1]
report = json.load(open(os.path.join(work, "f", "forgetting.json")))
arms = [a["name"] for a in report["arms"]]
expected = ["base", "lora-single", "full-single", "lora-multi", "full-multi", "sequential", "sequential-lora",
            "replay-1%", "replay-5%", "replay-25%"]
check(arms == expected, f"every arm, in order: {', '.join(arms)}")
tasks = report["tasks"]
check(tasks == ["summarize", "ner", "rating", "topic"], "the target task, then the others")
for arm in report["arms"]:
    for task in tasks:
        entry = arm["tasks"][task]
        lo, hi = entry["ci"]
        check(lo <= entry["value"] <= hi, f"{arm['name']} {task}: {entry['metric']} {entry['value']:.3f} within its interval [{lo:.3f}, {hi:.3f}]")
        check(entry["validation_loss"] is not None, f"{arm['name']} {task}: held-out loss {entry['validation_loss']:.3f}")
    if arm["name"] != "base":
        check(arm["bwt"] is not None and arm["train_seconds"] > 0, f"{arm['name']}: BWT {arm['bwt']['value']:+.3f}, trained {arm['train_seconds']:.0f} s")
counts = report["eval_examples"]
check(len(set(counts.values())) == 1 and list(counts.values())[0] == 3, f"3 evaluation examples per task ({counts})")
for arm in expected[1:]:
    predictions = [json.loads(l) for l in open(os.path.join(work, "f", "arms", arm, "eval", "predictions.jsonl"))]
    base = [json.loads(l) for l in open(os.path.join(work, "f", "arms", "base", "eval", "predictions.jsonl"))]
    check([p["example"] for p in predictions] == [p["example"] for p in base], f"{arm} is scored on the base's examples")
table = open(os.path.join(work, "f", "forgetting.md")).read()
check(all(f"| {a} |" in table for a in expected), "forgetting.md has a row per arm")
second = open(os.path.join(work, "second.log")).read()
check(second.count("finished earlier with the same settings — kept") == len(expected), "a rerun keeps every finished arm")
