#!/usr/bin/env bash
# The demo, end to end: installs missing system packages, builds curate (release), runs
# recipes/demo.yaml on the sample that ships in recipes/sample/, and shows what the store holds.
# Output: out/demo.db (the SQLite store) and out/demo/ (shards + manifest.json).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/system-packages.sh

swift build -c release --product curate
curate=.build/release/curate
rm -rf out/demo out/demo.db*
"$curate" run recipes/demo.yaml
"$curate" stats --store out/demo.db
echo
echo "first training record (out/demo/train-00000-of-00003.jsonl):"
head -n 1 out/demo/train-00000-of-00003.jsonl
