#!/usr/bin/env bash
# End-to-end checks on the real public datasets in ../shared/data (not in the repo; CI has
# them). Run by .ci/run after the unit tests. Each check prints what it verified; any
# failure exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${CURATE_DATA:-../shared/data}
[ -d "$data/dialogsum" ] || { echo "e2e: $data/dialogsum not found — set CURATE_DATA to the shared data folder" >&2; exit 1; }
swift build --product curate
curate=$PWD/.build/debug/curate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

source scripts/e2e_common.sh

echo "== DialogSum recipe, twice, from another working directory"
for run in a b; do
    (cd "$work" && expect_status 3 "$curate" run "$OLDPWD/recipes/dialogsum.yaml" --store "$work/$run.db" --out "$work/$run" \
        > "$work/$run.out" 2> "$work/$run.err")
done
cat "$work/a.out"

echo "== the 2021 train file of Python reprs"
expect_status 3 "$curate" ingest "$data/dialogsum/dialogsum.train.2021-05.pyrepr.jsonl" --preset dialogsum --split train \
    --store "$work/pyrepr.db" > "$work/pyrepr.out" 2> "$work/pyrepr.err"
head -n 2 "$work/pyrepr.err"
tail -n 2 "$work/pyrepr.err"

echo "== re-ingesting the train file adds nothing"
expect_status 3 "$curate" ingest "$data/dialogsum/dialogsum.train.2021-05.converted.jsonl" --preset dialogsum --split train \
    --store "$work/a.db" > "$work/rerun.out" 2>/dev/null
cat "$work/rerun.out"

"$curate" stats --store "$work/a.db" > "$work/stats.out"
python3 scripts/check_dialogsum_e2e.py "$work" "$data"
