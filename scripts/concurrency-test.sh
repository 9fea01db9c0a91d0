#!/usr/bin/env bash
# Several processes on one store (README "What curate guarantees"): in each trial 2 to 4
# `curate ingest` writers start at once on overlapping slices of the DialogSum train file
# (half the trials on a store that does not exist yet, so they also race to create and
# migrate it) while a reader runs `curate stats` and direct SQL reads in a loop. Every command
# must succeed, and every write must be accounted for: the stored conversations are exactly
# a single process's, the printed stored / duplicate / reject counts add up to the rows, and
# the store passes integrity_check with no run left 'running'.
#
#   CONCURRENCY_TRIALS=30 scripts/concurrency-test.sh       # default 8
set -euo pipefail
cd "$(dirname "$0")/.."
data=${CURATE_DATA:-../shared/data}
[ -d "$data/dialogsum" ] || { echo "concurrency-test: $data/dialogsum not found — set CURATE_DATA to the shared data folder" >&2; exit 1; }
data=$(cd "$data" && pwd)
trials=${CONCURRENCY_TRIALS:-8}
# CURATE_BIN runs a curate built elsewhere; by default the release build (CI's demo made it).
curate=${CURATE_BIN:-}
[ -n "$curate" ] || { swift build -c release --product curate > /dev/null; curate=$PWD/.build/release/curate; }
check="python3 $PWD/scripts/store_check.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Four slices of 4,000 records that overlap by 1,000 (the same dialogue in two files is a
# duplicate whichever writer gets there first); the last also gets the committed bad lines.
train="$data/dialogsum/dialogsum.train.2021-05.converted.jsonl"
for slice in 0 1 2 3; do
    sed -n "$((slice * 3000 + 1)),$((slice * 3000 + 4000))p" "$train" > "$work/slice$slice.jsonl"
done
cat Tests/CurateIngestTests/Fixtures/bad-lines.jsonl >> "$work/slice3.jsonl"
seed_file="$data/dialogsum/dialogsum.dev.jsonl"

# conversations STORE: the content hashes it holds, one per line, sorted.
conversations() { python3 -c "import sqlite3,sys; print('\n'.join(sorted(r[0] for r in sqlite3.connect(sys.argv[1]).execute('SELECT content_hash FROM conversations'))))" "$1"; }

total_writes=0; total_reads=0
for ((trial = 1; trial <= trials; trial++)); do
    writers=$((2 + trial % 3))
    store="$work/trial$trial.db"
    files=("$work"/slice{0..3}.jsonl); files=("${files[@]:0:$writers}")
    seeded=$((trial % 2 == 0))
    # The reference: one process ingesting the same files.
    reference="$work/reference-$writers-$seeded.db"
    if [ ! -e "$reference" ]; then
        if ((seeded)); then "$curate" ingest "$seed_file" --preset dialogsum --store "$reference" > /dev/null 2>&1; fi
        "$curate" ingest "${files[@]}" --preset dialogsum --store "$reference" > /dev/null 2>&1 || [ $? -eq 3 ]
    fi
    if ((seeded)); then "$curate" ingest "$seed_file" --preset dialogsum --store "$store" > /dev/null; fi
    pids=()
    for ((w = 0; w < writers; w++)); do
        "$curate" ingest "${files[$w]}" --preset dialogsum --store "$store" > "$work/w$w.out" 2> "$work/w$w.err" &
        pids+=($!)
    done
    reads=0
    while kill -0 "${pids[@]}" 2> /dev/null; do
        if [ -s "$store" ]; then
            "$curate" stats --store "$store" > /dev/null 2> "$work/reader.err" || { cat "$work/reader.err" >&2; echo "concurrency-test: FAIL: curate stats during writes" >&2; exit 1; }
            python3 -c "import sqlite3,sys; sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True, timeout=60).execute('SELECT COUNT(*) FROM conversations').fetchone()" "$store" \
                || { echo "concurrency-test: FAIL: a SQL reader during writes" >&2; exit 1; }
            reads=$((reads + 1))
        fi
    done
    for ((w = 0; w < writers; w++)); do
        status=0; wait "${pids[$w]}" || status=$?
        [ "$status" -eq 0 ] || [ "$status" -eq 3 ] || { cat "$work/w$w.err" >&2; echo "concurrency-test: FAIL: writer $w exited $status" >&2; exit 1; }
    done
    # Every printed write is a row: the writers' stored conversations, duplicates and rejects
    # (rows of the run that made the store before the race are left out).
    printed=$(cat "$work"/w*.out | awk '/slice[0-9]\.jsonl/ {s += $3; d += $4; r += $5} END {print s, d, r}')
    rows=$(python3 -c "
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
seed = db.execute('SELECT id FROM runs ORDER BY rowid LIMIT 1').fetchone()[0] if sys.argv[2] == '1' else ''
print(*(db.execute(f'SELECT COUNT(*) FROM {table} WHERE run_id != ?', (seed,)).fetchone()[0] for table in ('conversations', 'duplicates', 'rejects')))
" "$store" "$seeded")
    [ "$printed" = "$rows" ] || { echo "concurrency-test: FAIL: trial $trial printed stored/duplicates/rejected $printed, rows $rows" >&2; exit 1; }
    $check runs "$store" > /dev/null
    # Which writer reads a shared dialogue first decides its source and which copy is the
    # duplicate; the set of conversations must not depend on it.
    [ "$(conversations "$store")" = "$(conversations "$reference")" ] \
        || { echo "concurrency-test: FAIL: trial $trial stored other conversations than one process does" >&2; exit 1; }
    rm -f "$work"/w*.out
    total_writes=$((total_writes + writers)); total_reads=$((total_reads + reads))
    echo "ok  trial $trial: $writers writers on $( ((seeded)) && echo "an existing store" || echo "a store they race to create"), $reads stats + SQL reads during the writes; stored/duplicates/rejected rows = printed ($rows)"
done
echo "concurrency-test: $trials trials, $total_writes concurrent ingests, $total_reads reads, every write accounted for"
