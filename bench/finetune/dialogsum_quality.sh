#!/usr/bin/env bash
# What the defaults buy on DialogSum: `curate train` with nothing but --shards and --out
# (LoRA r=16, alpha 32, all linear layers, one epoch, batch 4, lr 3e-4) on N DialogSum train
# summaries, then `curate eval` of the base model and of the run on the first M test dialogues
# (greedy, 64 new tokens). Prints both ROUGE tables, the run's speed and the peak RSS of
# training and evaluation.
#   bench/finetune/dialogsum_quality.sh [N=400] [M=100]
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-400} m=${2:-100}
data=${CURATE_DATA:-../shared/data}/dialogsum
swift build -c release --product curate > /dev/null
curate=$PWD/.build/release/curate
work=${WORK:-$(mktemp -d)}
S=$work/q.db
"$curate" ingest "$data/dialogsum.train.2021-05.converted.jsonl" --preset dialogsum --split train --store "$S" > /dev/null 2>&1 || true
"$curate" ingest "$data/dialogsum.test.jsonl" --preset dialogsum --split test --store "$S" > /dev/null
"$curate" ingest "$data/dialogsum.dev.jsonl" --preset dialogsum --split validation --store "$S" > /dev/null
"$curate" render --tasks summarize --shots 0 --no-inverted --store "$S" > /dev/null
"$curate" mix --tasks summarize --strategy equal --total "$n" --name q --store "$S" > /dev/null
"$curate" shard --mix q --out "$work/shards" --store "$S" > /dev/null
/usr/bin/time -f "train: %e s, peak RSS %M KB" "$curate" train --shards "$work/shards" --out "$work/run" --eval-examples 64 2>&1 | tail -n 3
for model in smollm2-135m "$work/run"; do
    /usr/bin/time -f "eval: %e s, peak RSS %M KB" "$curate" eval --model "$model" --shards "$work/shards" --split test --limit "$m" --out "$work/eval-$(basename "$model")" 2>&1 | tail -n 7
done
echo "work folder: $work"
