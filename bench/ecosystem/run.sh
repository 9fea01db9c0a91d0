#!/usr/bin/env bash
# What token counting and shard compression cost, as ratios against curate's own plain path
# measured in the same run (release build, DialogSum train, summarize + topic, 2 shots):
#   render with --max-prompt-tokens (SmolLM2's tokenizer counts every example) ÷ without;
#   shard --compress gzip / zstd ÷ none, in wall time and in bytes of the train split.
# Best of 3 each. Results: bench/results/ecosystem-DATE.tsv.
set -euo pipefail
cd "$(dirname "$0")/../.."
data=${CURATE_DATA:-../shared/data}
swift build -c release --product curate >/dev/null
curate=$PWD/.build/release/curate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$curate" model fetch smollm2-135m > /dev/null
"$curate" ingest "$data/dialogsum/dialogsum.train.2021-05.converted.jsonl" --preset dialogsum --store "$work/base.db" --max-reject-rate 0.01 > /dev/null
best() {  # best WHAT command...: the fastest of three runs, in seconds
    local what=$1; shift; local fastest=
    for _ in 1 2 3; do
        local start=$(date +%s.%N); "$@" > /dev/null 2>&1; local end=$(date +%s.%N)
        fastest=$(python3 -c "a='$fastest'; t=$end-$start; print(t if not a else min(float(a), t))")
    done
    printf '%s\t%.2f\n' "$what" "$fastest"
}
render() {  # render DB [options]: a fresh copy of the ingested store, rendered
    cp "$work/base.db" "$work/$1"; local db=$1; shift
    "$curate" render --tasks summarize,topic --shots 2 --store "$work/$db" "$@"
}
out=bench/results/ecosystem-$(date -u +%Y%m%d-%H%M).tsv
mkdir -p bench/results
{
    best "render (words)" render w.db
    best "render --max-prompt-tokens 1024" render t.db --max-prompt-tokens 1024
    "$curate" mix --tasks summarize,topic --strategy proportional --name m --store "$work/t.db" > /dev/null
    for c in none gzip zstd; do
        best "shard --compress $c" "$curate" shard --mix m --store "$work/t.db" --out "$work/$c" --compress "$c"
        printf 'bytes %s\t%s\n' "$c" "$(cat "$work/$c"/train-* | wc -c)"
    done
} | tee "$out"
python3 - "$out" <<'PY'
import sys
rows = dict(line.rstrip("\n").split("\t") for line in open(sys.argv[1]))
f = lambda k: float(rows[k])
print(f"token counting: render {f('render --max-prompt-tokens 1024') / f('render (words)'):.2f}x the time without it")
for c in ("gzip", "zstd"):
    print(f"{c}: shard {f('shard --compress ' + c) / f('shard --compress none'):.2f}x the time, train bytes {f('bytes ' + c) / f('bytes none'):.3f}x")
PY
