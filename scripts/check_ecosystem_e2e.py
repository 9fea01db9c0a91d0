"""Assertions for scripts/e2e-ecosystem.sh on the outputs it leaves in WORK, run in a venv with
Hugging Face `datasets`: every shard folder loads in one call, in each of the three ways a user
tries first, with the manifest's splits and counts; the records have each trainer format's
columns; cards carry configs and licences; --json objects agree with the files and the store."""
import glob
import gzip
import json
import os
import sqlite3
import sys
import warnings

from e2e_common import check

warnings.filterwarnings("ignore")
import datasets  # noqa: E402

datasets.disable_progress_bars()
datasets.logging.set_verbosity_error()
work = sys.argv[1]

COLUMNS = {
    "openai-chat": ["messages"], "prompt-completion": ["prompt", "completion"],
    "conversational-prompt-completion": ["prompt", "completion"], "alpaca": ["instruction", "input", "output"],
    "sharegpt": ["conversations"],
}
folders = ["openai-chat", "prompt-completion", "conversational-prompt-completion", "alpaca", "sharegpt", "zstd"]
for name in folders:
    folder = os.path.join(work, name)
    manifest = json.load(open(os.path.join(folder, "manifest.json")))
    want = {split: info["examples"] for split, info in manifest["splits"].items()}
    suffix = {"none": ".jsonl", "gzip": ".jsonl.gz", "zstd": ".jsonl.zst"}[manifest["compression"]]
    forms = {
        "load_dataset(DIR)": lambda: datasets.load_dataset(folder),
        "load_dataset('json', data_dir=DIR)": lambda: datasets.load_dataset("json", data_dir=folder),
        "load_dataset('json', data_files={split: DIR/split-*})": lambda: datasets.load_dataset(
            "json", data_files={s: os.path.join(folder, f"{s}-*{suffix}") for s in want}),
    }
    for form, load in forms.items():
        loaded = load()
        got = {split: ds.num_rows for split, ds in loaded.items()}
        check(got == want, f"{name}: {form} gives the manifest's splits and counts {want}")
        columns = loaded["train"].column_names
        check(columns == COLUMNS[manifest["format"]], f"{name}: records have exactly {columns}")
    check(sorted(os.listdir(os.path.join(folder, "meta"))) == [f"{i:05d}.jsonl" for i in range(len(manifest["shards"]) // 2)],
          f"{name}: one numbered sidecar per data file in meta/")
    check(not glob.glob(os.path.join(folder, "*.meta.jsonl")), f"{name}: no sidecar beside the data files")

# Trainer formats, record by record.
first = lambda name: json.loads(gzip.open(os.path.join(work, name, "train-00000-of-00003.jsonl.gz"), "rt").readline())
record = first("conversational-prompt-completion")
check([m["role"] for m in record["prompt"]] == ["user"] and [m["role"] for m in record["completion"]] == ["assistant"],
      "conversational prompt-completion: prompt [user], completion [assistant], as TRL reads it")
check(first("prompt-completion")["prompt"].endswith("\n"), "plain prompt-completion prompts end with the separator")
check([t["from"] for t in first("sharegpt")["conversations"]] == ["human", "gpt"], "sharegpt turns are human, gpt")
check(first("alpaca")["input"] == "", "alpaca: the whole prompt is the instruction, input empty")

# The card: configs per split, licences, the non-commercial flag, the mixture's tasks.
card = open(os.path.join(work, "openai-chat", "README.md"), encoding="utf-8").read()
front = card.split("---\n")[1]
check("- cc-by-nc-sa-4.0\n" in front and "- cc-by-nc-nd-4.0\n" in front, "card front matter lists DialogSum's and SAMSum's licences")
check("configs:\n- config_name: default\n  data_files:\n  - split: train\n" in front, "card maps splits to data files")
check("**Licence restrictions.**" in card and "dialogsum: CC-BY-NC-SA-4.0 (non-commercial)" in card
      and "samsum: CC-BY-NC-ND-4.0 (non-commercial, no derivatives)" in card, "card flags the non-commercial sources")
manifest = json.load(open(os.path.join(work, "openai-chat", "manifest.json")))
check({s["license"] for s in manifest["sources"]} == {"CC-BY-NC-SA-4.0", "CC-BY-NC-ND-4.0"}, "manifest sources carry the preset licences")
check(all(s["read"] == s["stored"] + sum(s["duplicates"].values()) + sum(s["rejected"].values()) + sum(s["filtered"].values())
          for s in manifest["sources"]), "per source, read = stored + duplicates + rejected + filtered")
for line in manifest["mixture_report"]["lines"]:
    check(f"| {('  ' + line['dataset']) if line['dataset'] else line['task']} |" in card, f"card lists {line['task']}/{line['dataset']}")

# Token lengths: counted for every example, reported per task by mix and stats.
db = sqlite3.connect(os.path.join(work, "e.db"))
check(db.execute("SELECT COUNT(*) FROM examples WHERE tokens IS NULL").fetchone()[0] == 0, "render counted every example's tokens")
stats = json.load(open(os.path.join(work, "stats.json")))
lengths = {t["task"]: t for t in stats["token_lengths"]}
check(set(lengths) == {"summarize", "topic"} and all(t["p50"] <= t["p95"] <= t["max"] for t in lengths.values()),
      f"stats --json: token p50 <= p95 <= max per task {lengths}")
for line in manifest["mixture_report"]["lines"]:
    check(line["tokens"] is not None and line["tokens"]["counted"] == line["examples"], f"mix report: token lengths for {line['task']}/{line['dataset']}")
dry = json.load(open(os.path.join(work, "dry.json")))
check(dry["dry_run"] is True and dry["report"]["examples"] == sum(l["examples"] for l in dry["report"]["lines"] if l["dataset"] is None),
      "mix --dry-run --json is one object whose task lines add up to the mixture")
check(db.execute("SELECT COUNT(*) FROM mixtures WHERE name = 'preview'").fetchone()[0] == 0, "the dry run stored nothing")

# --json objects agree with the store and the files.
shard = json.load(open(os.path.join(work, "alpaca.json")))
check(shard["manifest"] == json.load(open(os.path.join(work, "alpaca", "manifest.json"))), "shard --json prints the manifest written")
check(sum(s["stored"] for s in stats["sources"]) == db.execute("SELECT COUNT(*) FROM conversations").fetchone()[0],
      "stats --json source counts add up to the stored conversations")
ok, over = (json.load(open(os.path.join(work, f))) for f in ("yelp-ok.json", "yelp-over.json"))
check(ok["total"]["rejected"] == 1 and ok["total"]["read"] == 3611 and ok["exit_status"] == 0,
      "Yelp: 1 of 3,611 rejected is under --max-reject-rate 0.001: exit 0")
check(over["exit_status"] == 3 and over["files"][0]["license"] == "Yelp-Dataset-Terms", "over 0.0001: exit 3; the preset's licence is recorded")

templates = open(os.path.join(work, "templates.out"), encoding="utf-8").read()
check(templates.startswith("templates: built-in") and all(t in templates for t in ("summarize", "topic", "ner", "rating")),
      "templates list shows the built-in templates outside the checkout")
rating = open(os.path.join(work, "rating.yaml"), encoding="utf-8").read()
check(rating == open(os.path.join(os.path.dirname(__file__), "..", "templates", "rating.yaml"), encoding="utf-8").read(),
      "templates show rating prints the shipped templates/rating.yaml exactly")
print("e2e: all ecosystem checks passed")
