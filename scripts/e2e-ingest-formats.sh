#!/usr/bin/env bash
# End-to-end checks of the CSV, JSON-array and XML presets on the real public datasets in
# ../shared/data (not in the repo; CI has them). Every file is ingested with its preset
# detected (no --preset), and the counts each file must give are checked. Any failure exits
# non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${CURATE_DATA:-../shared/data}
[ -d "$data/samsum" ] || { echo "e2e: $data/samsum not found — set CURATE_DATA to the shared data folder" >&2; exit 1; }
swift build --product curate
curate=$PWD/.build/debug/curate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# check FILE PRESET READ STORED DUPLICATES REJECTED: ingests FILE into a fresh store and
# compares the printed row (and the detected preset) with the expected counts.
check() {
    local file=$1 preset=$2 expected="$3 $4 $5 $6" store="$work/$(basename "$1").db"
    set +e; "$curate" ingest "$file" --store "$store" > "$work/out" 2> "$work/err"; local status=$?; set -e
    [ "$status" -eq 0 ] || [ "$status" -eq 3 ] || { cat "$work/err" >&2; echo "e2e: FAIL: $file: exit $status" >&2; exit 1; }
    grep -q "^ingest ($preset, train)" "$work/out" || { cat "$work/out" >&2; echo "e2e: FAIL: $file: not detected as $preset" >&2; exit 1; }
    local got
    got=$(grep -F "$file" "$work/out" | awk '{print $2, $3, $4, $5}')
    [ "$got" = "$expected" ] || { cat "$work/out" "$work/err" >&2; echo "e2e: FAIL: $file: read stored duplicates rejected = $got, expected $expected" >&2; exit 1; }
    echo "ok  $preset  $(basename "$file"): read $3 = stored $4 + duplicates $5 + rejected $6"
}

check "$data/samsum/samsum.test.json" samsum 819 819 0 0
check "$data/samsum/samsum.val.json" samsum 818 818 0 0
check "$data/samsum/samsum_val_test.diasynth.csv" samsum-csv 1637 1633 4 0
# 996 spans match exactly, 356 differ only in case (kept); 235 cut out other text and 99 run
# past the end of the instruction (Python's slicing clips those silently): 334 rejected.
check "$data/bitext_customer_support/Bitext_Sample_Customer_Support_Training_Dataset.csv" bitext 4514 4180 0 334
check "$data/sgd_schema_guided_dialogue/dev_dialogues_001.json" sgd 128 128 0 0
# The sample was cut mid-record: the last line is rejected as unterminated JSON.
check "$data/yelp_reviews_sample/yelp_academic_dataset_review.head.jsonl" yelp 3611 3610 0 1
for session in "$data"/nps_chat/*posts.xml; do
    check "$session" nps-chat 1 1 0 0
done

# The corpus README counts 10,567 posts; 2,632 of them are class System (kept as role system).
"$curate" ingest "$data"/nps_chat/*posts.xml --store "$work/nps.db" > /dev/null
posts=$(sqlite3 "$work/nps.db" "SELECT SUM(turn_count) || ' ' || (SELECT COUNT(*) FROM conversations c, json_each(c.turns) t WHERE t.value->>'role' = 'system') FROM conversations")
[ "$posts" = "10567 2632" ] || { echo "e2e: FAIL: NPS posts (all, system) = $posts, expected 10567 2632" >&2; exit 1; }
echo "ok  nps-chat  15 sessions: 10567 posts as turns, 2632 of them system"

echo "== bitext rejections by reason"
sqlite3 "$work/Bitext_Sample_Customer_Support_Training_Dataset.csv.db" "SELECT reason, COUNT(*) FROM rejects GROUP BY reason"
echo "== sgd slot spans kept"
sqlite3 "$work/dev_dialogues_001.json.db" "SELECT COUNT(*) FROM conversations c, json_each(c.turns) t, json_each(t.value->'entities')"
