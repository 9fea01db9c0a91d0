#!/usr/bin/env bash
# End-to-end checks of the ecosystem fit (issue 15) on the real data in ../shared/data (CI has
# it): a recipe with DialogSum and SAMSum (both non-commercial) renders with a token budget,
# shards in every trainer format and compression, and scripts/check_ecosystem_e2e.py loads
# each shard folder with Hugging Face `datasets` (load_dataset(DIR), data_dir= and the glob),
# checks splits and counts against the manifest, the dataset card's licences and configs,
# the --json objects, and --max-reject-rate exit statuses. The recipe names no templates
# folder and runs from a scratch folder: the templates built into curate are used.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${CURATE_DATA:-../shared/data}
[ -d "$data/samsum" ] || { echo "e2e: $data not found — set CURATE_DATA to the shared data folder" >&2; exit 1; }
data=$(cd "$data" && pwd)
swift build --product curate
curate=$PWD/.build/debug/curate
[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
bench/.venv/bin/python -c "import datasets, zstandard" 2>/dev/null || bench/.venv/bin/pip install -q datasets zstandard
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

source scripts/e2e_common.sh

cat > "$work/eco.yaml" <<YAML
name: eco
seed: 7
max_reject_rate: 0.01
ingest:
  - {preset: dialogsum, split: train, files: [$data/dialogsum/dialogsum.dev.jsonl]}
  - {preset: dialogsum, split: test, files: [$data/dialogsum/dialogsum.test.jsonl]}
  - {preset: samsum, split: train, files: [$data/samsum/samsum.val.json]}
  - {preset: samsum, split: test, files: [$data/samsum/samsum.test.json]}
render: {tasks: [summarize, topic], shots: 2, max_prompt_tokens: 512}
mix: {name: eco, strategy: temperature, temperature: 2, total: 2000, fewshot_ratio: 0.5}
shard: {out: openai-chat, format: openai-chat, shard_size: 800}
YAML

echo "== recipe with a token budget, from a folder without templates/"
(cd "$work" && "$curate" run eco.yaml --store e.db > run.out 2> run.err) || { cat "$work/run.err" >&2; exit 1; }
sed -n '/^mixture/,/^summarize templates/p' "$work/run.out"
for format in prompt-completion conversational-prompt-completion alpaca sharegpt; do
    "$curate" shard --mix eco --store "$work/e.db" --out "$work/$format" --format "$format" --compress gzip --shard-size 800 --json \
        > "$work/$format.json" 2> "$work/$format.err"
done
"$curate" shard --mix eco --store "$work/e.db" --out "$work/zstd" --format openai-chat --compress zstd --json > "$work/zstd.json" 2>/dev/null
"$curate" stats --store "$work/e.db" --json > "$work/stats.json" 2> "$work/stats.err"
"$curate" mix --tasks summarize,topic --strategy equal --name preview --store "$work/e.db" --dry-run --json > "$work/dry.json" 2>/dev/null
(cd "$work" && "$curate" templates list > templates.out && "$curate" templates show rating > rating.yaml)

echo "== --max-reject-rate on Yelp's cut last line (1 of 3,611 records)"
yelp=$data/yelp_reviews_sample/yelp_academic_dataset_review.head.jsonl
expect_status 3 "$curate" ingest "$yelp" --store "$work/y1.db" > /dev/null 2>&1
expect_status 0 "$curate" ingest "$yelp" --store "$work/y2.db" --max-reject-rate 0.001 --json > "$work/yelp-ok.json" 2>/dev/null
expect_status 3 "$curate" ingest "$yelp" --store "$work/y3.db" --max-reject-rate 0.0001 --json > "$work/yelp-over.json" 2>/dev/null

bench/.venv/bin/python scripts/check_ecosystem_e2e.py "$work"
