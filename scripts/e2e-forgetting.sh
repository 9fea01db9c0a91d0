#!/usr/bin/env bash
# `curate experiment forgetting --quick` on the real datasets: every arm trains (LoRA and full,
# single-task, multi-task, sequential, replay) and is scored on the same held-out examples;
# forgetting.json holds every arm × task and the table renders; a rerun keeps every arm.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${CURATE_DATA:-../shared/data}
[ -d "$data/dialogsum" ] || { echo "e2e: $data/dialogsum not found — set CURATE_DATA to the shared data folder" >&2; exit 1; }
swift build -c release --product curate   # training is compute-bound: a debug build is several times slower
curate=$PWD/.build/release/curate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
recipe=$work/recipes/forgetting.yaml
mkdir -p "$work/recipes"
# The recipe's paths are relative to it: point them at this checkout's templates and data.
sed -e "s#\.\./\.\./shared/data#$(cd "$data" && pwd)#g" -e "s#^templates: \.\./templates#templates: $PWD/templates#" \
    recipes/forgetting.yaml > "$recipe"

/usr/bin/env time -f "%e s" "$curate" experiment forgetting --recipe "$recipe" --out "$work/f" --quick --store "$work/f.db" > "$work/first.log" 2> "$work/first.err" \
    || { tail -n 40 "$work/first.log" "$work/first.err" >&2; exit 1; }
tail -n 1 "$work/first.err"
sed -n '/^# Forgetting/,/^Details/p' "$work/first.log"
"$curate" experiment forgetting --recipe "$recipe" --out "$work/f" --quick --store "$work/f.db" > "$work/second.log" 2>&1
python3 scripts/check_forgetting_e2e.py "$work"
