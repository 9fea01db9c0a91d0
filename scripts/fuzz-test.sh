#!/usr/bin/env bash
# Fuzzes `curate ingest` with seeded mutations of the committed fixtures (scripts/fuzz_ingest.py
# says which): zero crashes, zero hangs, and printed counts equal to the store's rows.
#
#   FUZZ_INPUTS=20000 FUZZ_SEED=7 scripts/fuzz-test.sh     # default 1000 inputs, seed 13
set -euo pipefail
cd "$(dirname "$0")/.."
# CURATE_BIN runs a curate built elsewhere; by default the release build (CI's demo made it).
curate=${CURATE_BIN:-}
[ -n "$curate" ] || { swift build -c release --product curate > /dev/null; curate=$PWD/.build/release/curate; }
work=$(mktemp -d)
python3 scripts/fuzz_ingest.py "$curate" "$PWD/Tests/CurateIngestTests/Fixtures" "$work" \
    "${FUZZ_INPUTS:-1000}" "${FUZZ_SEED:-13}"
rm -rf "$work"
