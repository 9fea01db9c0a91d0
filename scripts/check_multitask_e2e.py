"""Assertions for scripts/e2e-multitask.sh on what it leaves in WORK (two runs of
recipes/multitask.yaml, a and b). The NER check parses targets with its own implementation of
the format README documents, so it tests the documentation as much as the code.

Usage: check_multitask_e2e.py WORK NER_TEMPLATE_YAML
"""
import json
import os
import sqlite3
import sys

from e2e_common import check, check_identical_runs, sidecar_lines

work, ner_yaml = sys.argv[1], sys.argv[2]

# Determinism: the same recipe and seed give the same bytes.
check_identical_runs(os.path.join(work, "a"), os.path.join(work, "b"))

manifest = json.load(open(os.path.join(work, "a", "manifest.json")))
report = manifest["mixture_report"]
check(report["examples"] == 30000 == manifest["splits"]["train"]["examples"], "the mixture has the recipe's total of 30000")
leaves = [line for line in report["lines"] if line["dataset"] is not None]
check({(l["task"], l["dataset"]) for l in leaves} == {("summarize", "dialogsum"), ("summarize", "samsum"), ("topic", "dialogsum"),
                                                     ("ner", "bitext"), ("ner", "sgd"), ("rating", "support"), ("rating", "yelp")},
      "the report has a line per (task, dataset) the recipe draws on")
check(all(abs(l["examples"] - l["requested_share"] * 30000) <= 2 for l in leaves),
      "every dataset's examples are its requested share of 30000 (largest-remainder rounding)")
for l in leaves:
    n = l["examples"]
    check(l["few_shot"] == round(n * 0.25 + 1e-9) or l["few_shot"] == int(n * 0.25), f"{l['task']}/{l['dataset']}: 25% few-shot ({l['few_shot']} of {n})")
rating = [l for l in leaves if l["task"] == "rating"]
check(all(abs(l["with_options"] - l["examples"] / 2) <= 0.5 for l in rating), "half of rating's examples list the options")
check(all(l["with_options"] == 0 for l in leaves if l["task"] != "rating"), "only rating has answer options")

# Leakage: a conversation is in one split only, and few-shot exemplars come from the train split.
db = sqlite3.connect(os.path.join(work, "a.db"))
split_of = dict(db.execute("SELECT id, split FROM conversations"))
dataset_of = dict(db.execute("SELECT c.id, s.dataset FROM conversations c JOIN sources s ON s.id = c.source_id"))
owner, exemplar_uses = {}, 0
for split, meta in sidecar_lines(os.path.join(work, "a"), manifest):
    owner[meta["conversation"]] = split
    for exemplar in meta.get("exemplars", []):
        exemplar_uses += 1
        if split_of[exemplar] != "train" or split != "train" or exemplar == meta["conversation"]:
            sys.exit(f"e2e: FAIL: example {meta['example']} shows exemplar {exemplar} ({split_of[exemplar]})")
        if dataset_of[exemplar] != dataset_of[meta["conversation"]]:
            sys.exit(f"e2e: FAIL: example {meta['example']} shows an exemplar from another dataset")
check(len(owner) > 15000, f"{len(owner)} conversations in the shards, none in two splits")
check(exemplar_uses > 10000, f"{exemplar_uses} few-shot exemplars shown, every one a train conversation of the same dataset, never its own")
stored = db.execute("""SELECT COUNT(*) FROM examples e, json_each(e.exemplars) x JOIN conversations c ON c.id = x.value
                       WHERE c.split != 'train' OR e.split != 'train'""").fetchone()[0]
check(stored == 0, "no stored example (of any mixture) has an exemplar from or in an evaluation split")

# Every template of every task renders on every dataset that claims the task.
templates = {}
for task, template in db.execute("SELECT DISTINCT task, template_id FROM examples"):
    templates.setdefault(task, set()).add(template)
claims = {"summarize": ["dialogsum", "samsum", "support"], "topic": ["dialogsum", "bitext", "support"],
          "ner": ["sgd", "bitext"], "rating": ["yelp", "support"]}
for task, datasets in claims.items():
    for dataset in datasets:
        seen = {t for (t,) in db.execute("""SELECT DISTINCT e.template_id FROM examples e JOIN conversations c ON c.id = e.conversation_id
                                             JOIN sources s ON s.id = c.source_id WHERE e.task = ? AND s.dataset = ? AND e.split = 'train'""",
                                          (task, dataset))}
        check(seen == templates[task], f"all {len(templates[task])} {task} templates render on {dataset}")


# NER round trip on all SGD and Bitext data, with an independent parser of the documented format:
# `label: text; label: text`, `\;` and `\\` escapes, `none` for no entity.
def unescape(text):
    out, i = "", 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out, i = out + text[i + 1], i + 2
        else:
            out, i = out + text[i], i + 1
    return out


def parse(target):
    if target.strip().lower() == "none":
        return []
    items, current, i = [], "", 0
    while i < len(target):
        c = target[i]
        if c == "\\" and i + 1 < len(target):
            current += target[i:i + 2]
            i += 2
            continue
        if c == ";":
            items.append(current)
            current = ""
            i += 2 if target[i + 1:i + 2] == " " else 1
            continue
        current += c
        i += 1
    items.append(current)
    return [(unescape(item.split(": ", 1)[0]), unescape(item.split(": ", 1)[1])) for item in items]


labels, inside = {}, False
for line in open(ner_yaml, encoding="utf-8"):
    if line.startswith("entity_labels:"):
        inside = True
    elif inside and line.startswith("  ") and ":" in line:
        key, value = line.strip().split(":", 1)
        labels[key.strip()] = value.strip()
    elif inside and not line.startswith("  "):
        inside = False


def fmt(spans):
    escape = lambda s: s.replace("\\", "\\\\").replace(";", "\\;")
    return "; ".join(f"{escape(label)}: {escape(text)}" for label, text in spans) or "none"


rows = db.execute("""SELECT c.id, c.turns, e.template_id, e.prompt, e.target FROM conversations c JOIN sources s ON s.id = c.source_id
                     JOIN examples e ON e.conversation_id = c.id AND e.task = 'ner' AND e.variant = 'zero-shot'
                     WHERE s.dataset IN ('sgd', 'bitext')""").fetchall()
checked, parsed = set(), 0
for conversation, turns, template, prompt, target in rows:
    # Reading order: turn by turn, by start offset within a turn.
    spans = [(labels.get(s["label"]) or labels[s["label"].lower()], s["text"]) for t in json.loads(turns)
             for s in sorted(t.get("entities", []), key=lambda s: (s["start"], s["end"]))]
    if template.startswith("ner.inverted"):
        # The entity list is the question: it must be in the prompt exactly as documented.
        if fmt(spans) not in prompt:
            sys.exit(f"e2e: FAIL: conversation {conversation}: {fmt(spans)!r} is not in the inverted prompt {prompt!r}")
    else:
        if target != fmt(spans) or parse(target) != spans:
            sys.exit(f"e2e: FAIL: conversation {conversation}: {target!r} parses to {parse(target)}, spans are {spans}")
        parsed += 1
    checked.add(conversation)
total = db.execute("""SELECT COUNT(*) FROM conversations c JOIN sources s ON s.id = c.source_id
                      WHERE s.dataset IN ('sgd', 'bitext')""").fetchone()[0]
check(len(checked) == total, f"all {total} SGD and Bitext conversations have NER examples; {parsed} targets are the documented "
      f"format of their spans and parse back to them exactly, and {len(rows) - parsed} inverted prompts quote that list")
span_texts_ok = all(
    "".join(list(t["text"])[s["start"]:s["end"]]) == s["text"]
    for (turns,) in db.execute("SELECT c.turns FROM conversations c JOIN sources s ON s.id = c.source_id WHERE s.dataset IN ('sgd', 'bitext')")
    for t in json.loads(turns) for s in t.get("entities", []))
check(span_texts_ok, "every stored span's offsets (Unicode scalars) cut out its text from its turn")
print("e2e: all multi-task checks passed")
