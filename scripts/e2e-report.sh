#!/usr/bin/env bash
# `curate report` in a real browser: runs the demo recipe (and a Yelp ingest for rejects),
# writes the report with the hand-made eval, training-run and forgetting fixtures of
# Tests/CurateCLITests/Fixtures/report (the formats of README "curate report"), renders it
# with headless Chromium (Debian's chromium, installed here if missing), and
# scripts/check_report_e2e.py checks the screenshot is not blank and that each chart has the
# bars its inputs call for, counted in the DOM Chromium built. Any failure exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${CURATE_DATA:-../shared/data}
[ -d "$data/yelp_reviews_sample" ] || { echo "e2e: $data not found — set CURATE_DATA to the shared data folder" >&2; exit 1; }
if ! command -v chromium >/dev/null; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
swift build --product curate
curate=$PWD/.build/debug/curate
fixtures=$PWD/Tests/CurateCLITests/Fixtures/report
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$curate" run recipes/demo.yaml --store "$work/r.db" --out "$work/shards" --skip-train > /dev/null
"$curate" ingest "$data/yelp_reviews_sample/yelp_academic_dataset_review.head.jsonl" --store "$work/r.db" --max-reject-rate 0.01 > /dev/null
"$curate" report --store "$work/r.db" --mix demo --eval "$fixtures/eval-base" --eval "$fixtures/eval-lora" \
    --train "$fixtures/run-lora" --forgetting "$fixtures/forgetting" --out "$work/report.html" --json > "$work/report.json"
browser=(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --user-data-dir="$work/profile")
timeout 120 "${browser[@]}" --window-size=1200,2400 --screenshot="$work/report.png" "file://$work/report.html" 2> "$work/chromium.err" \
    || { cat "$work/chromium.err" >&2; exit 1; }
timeout 120 "${browser[@]}" --dump-dom "file://$work/report.html" > "$work/dom.html" 2>> "$work/chromium.err"
python3 scripts/check_report_e2e.py "$work" "$fixtures"
[ -z "${CURATE_REPORT_SCREENSHOT:-}" ] || cp "$work/report.png" "$CURATE_REPORT_SCREENSHOT"
