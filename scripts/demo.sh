#!/usr/bin/env bash
# The demo, end to end: installs missing system packages, builds curate (release), runs
# recipes/demo.yaml on the sample that ships in recipes/sample/, and shows what the store holds.
# Output: out/demo.db (the SQLite store) and out/demo/ (shards + manifest.json).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/system-packages.sh

swift build -c release --product curate
curate=.build/release/curate
rm -rf out/demo out/demo.db* out/demo-run out/demo-eval-*
"$curate" run recipes/demo.yaml
"$curate" stats --store out/demo.db
echo
echo "first training record (out/demo/train-00000-of-00003.jsonl):"
head -n 1 out/demo/train-00000-of-00003.jsonl
echo
echo "== the model before and after the LoRA run, on the demo's validation split"
"$curate" eval --model smollm2-135m --shards out/demo --split validation --out out/demo-eval-base
"$curate" eval --model out/demo-run --shards out/demo --split validation --out out/demo-eval-run
python3 - out/demo-eval-base/metrics.json out/demo-eval-run/metrics.json <<'PY'
import json, sys
before, after = (json.load(open(p))["tasks"] for p in sys.argv[1:])
print(f"{'task':<10} {'metric':<12} {'before':>7} {'after':>7}")
for task, key, sub in [("summarize", "rouge1", "f"), ("topic", "rougeL_f", None), ("rating", "accuracy", None)]:
    if task in before:
        value = lambda m: m[task][key][sub] if sub else m[task][key]
        print(f"{task:<10} {key:<12} {100 * value(before):7.1f} {100 * value(after):7.1f}")
PY
