#!/usr/bin/env bash
# Ingest throughput and peak memory by format and size, curate against Python peers measured
# in the same run (see bench/README.md):
#
#   JSONL  curate ingest --preset curate          vs  json.loads per line
#   CSV    curate run (a declared message-per-row mapping: group by conv_id, order by seq)
#                                                 vs  pandas read_csv + groupby into conversations
#   XML    curate ingest --preset msn             vs  ElementTree.iterparse grouped by SessionID, elem.clear()
#
# curate's rows include everything `curate ingest` does (normalizing, hashing, SQLite writes);
# the peers only parse and group. Sizes: 10 and 100 MB; BENCH_1GB=1 adds 1 GB (long on 2
# cores; BENCH_SIZES="1 10" picks others). Output: bench/results/ingest-<date>.tsv and a table on stdout.
#   CURATE_BIN  curate binary (default .build/release/curate, built if missing)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
RESULTS=$REPO/bench/results
VENV=$REPO/bench/.venv
CURATE=${CURATE_BIN:-$REPO/.build/release/curate}
SIZES=${BENCH_SIZES:-"10 100"}; [[ ${BENCH_1GB:-0} = 1 ]] && SIZES="$SIZES 1000"
log() { printf '== %s\n' "$*" >&2; }

/usr/bin/time -f '%e %M' -o /dev/null true 2>/dev/null || { echo "run.sh: needs GNU time at /usr/bin/time" >&2; exit 1; }
[[ -x $CURATE ]] || (cd "$REPO" && swift build -c release --product curate)
[[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
"$VENV/bin/python" -c "import pandas" 2>/dev/null || "$VENV/bin/python" -m pip install -q --disable-pip-version-check pandas
PY=$VENV/bin/python
mkdir -p "$RESULTS"
out=$RESULTS/ingest-$(date +%Y%m%d-%H%M%S).tsv
printf 'size_mb\tformat\ttool\twall_s\tpeak_rss_mib\tconversations\tturns\n' > "$out"

# measure NAME -- COMMAND…: wall seconds and peak RSS KiB of COMMAND into $wall $rss.
measure() {
    /usr/bin/time -f '%e %M' -o "$RESULTS/.time" "$@" > "$RESULTS/.stdout" 2> "$RESULTS/.stderr" \
        || [[ $? -eq 3 ]] || { cat "$RESULTS/.stderr" >&2; exit 1; }
    read -r wall rss < "$RESULTS/.time"
}

for size in $SIZES; do
    data=$RESULTS/data-$size
    if [[ ! -s $data/messages.xml ]]; then
        log "generating $size MB per format in $data"
        mkdir -p "$data"
        python3 "$HERE/generate.py" "$size" "$data"
    fi
    cat > "$data/messages.yaml" <<YAML
name: bench-messages
ingest:
  - split: train
    format: csv
    files: [messages.csv]
    mapping: {conversation: conv_id, order: seq, speaker: speaker, role: role, text: text, roles: {agent: assistant, customer: user}}
YAML
    for format in jsonl csv xml; do
        store=$data/$format.db; rm -f "$store"*
        case $format in
            jsonl) measure "$CURATE" ingest "$data/chats.jsonl" --preset curate --store "$store" ;;
            csv)   measure "$CURATE" run "$data/messages.yaml" --store "$store" ;;
            xml)   measure "$CURATE" ingest "$data/messages.xml" --preset msn --store "$store" ;;
        esac
        read -r conversations turns < <(sqlite3 -separator ' ' "$store" "SELECT COUNT(*), SUM(turn_count) FROM conversations")
        printf '%s\t%s\tcurate\t%s\t%d\t%s\t%s\n' "$size" "$format" "$wall" $((rss / 1024)) "$conversations" "$turns" >> "$out"
        rm -f "$store"*
        file=$data/$(case $format in jsonl) echo chats.jsonl;; csv) echo messages.csv;; xml) echo messages.xml;; esac)
        measure "$PY" "$HERE/peers.py" "$format" "$file"
        printf '%s\t%s\tpeer\t%s\t%d\t%s\t\n' "$size" "$format" "$wall" $((rss / 1024)) "$(cat "$RESULTS/.stdout")" >> "$out"
        log "$size MB $format done"
    done
done

# The table: MB/s and conversations/s per row, and curate ÷ peer in throughput and memory.
python3 - "$out" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
peer = {(r["size_mb"], r["format"]): r for r in rows if r["tool"] == "peer"}
names = {"jsonl": "json.loads", "csv": "pandas read_csv+groupby", "xml": "ElementTree.iterparse"}
print("| size | format | curate s | MB/s | conv/s | RSS MiB | peer | peer s | peer RSS MiB | speed curate÷peer | RSS curate÷peer |")
print("| ---: | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |")
for r in rows:
    if r["tool"] != "curate":
        continue
    p = peer[(r["size_mb"], r["format"])]
    wall, size = float(r["wall_s"]), float(r["size_mb"])
    conv = int(r["conversations"])
    print(f'| {r["size_mb"]} MB | {r["format"]} | {wall:.2f} | {size / wall:.1f} | {conv / wall:,.0f} | {r["peak_rss_mib"]} | '
          f'{names[r["format"]]} | {float(p["wall_s"]):.2f} | {p["peak_rss_mib"]} | {float(p["wall_s"]) / wall:.2f}× | '
          f'{int(r["peak_rss_mib"]) / int(p["peak_rss_mib"]):.2f}× |')
print(f"\nraw: {sys.argv[1]}")
PY
