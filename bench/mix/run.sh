#!/usr/bin/env bash
# A 100,000-example multi-task mixture, curate against Hugging Face `datasets` in the same run
# (see bench/README.md "Mixing"):
#
#   curate mix                  summarize, topic, ner, rating from six real datasets, temperature 2,
#                               dataset weights, 25% few-shot, 50% of rating with options
#   curate mix + shard          the same, written as prompt-completion JSONL (10,000 per shard,
#                               plus the validation and test splits of the same tasks)
#   datasets                    load_dataset per pool + interleave_datasets with curate's requested
#                               probabilities + select 100,000 + to_json (same JSONL)
#
# Setup, untimed: `curate run recipes/multitask.yaml` fills a store (ingest + render), and each
# (task, dataset) pool's zero-shot examples are exported as JSONL for the peer. Each row is run
# BENCH_REPS times (default 3) under /usr/bin/time; the table shows medians of wall seconds and
# peak RSS. Needs ../shared/data (CURATE_DATA) and builds curate (release) if missing.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
RESULTS=$REPO/bench/results
VENV=$REPO/bench/.venv
CURATE=${CURATE_BIN:-$REPO/.build/release/curate}
REPS=${BENCH_REPS:-3}
N=100000
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
log() { printf '== %s\n' "$*" >&2; }

[[ -x $CURATE ]] || (cd "$REPO" && swift build -c release --product curate)
[[ -x $VENV/bin/python ]] || python3 -m venv "$VENV"
"$VENV/bin/python" -c "import datasets" 2>/dev/null || "$VENV/bin/python" -m pip install -q --disable-pip-version-check "datasets==5.2.0"
mkdir -p "$RESULTS"

log "setup: ingest + render recipes/multitask.yaml into $TMP/m.db"
"$CURATE" run "$REPO/recipes/multitask.yaml" --store "$TMP/m.db" --out "$TMP/recipe-shards" > /dev/null 2>&1 || [[ $? -eq 3 ]]
MIX=(mix --tasks summarize,topic,ner,rating --strategy temperature --temperature 2 --cap 12000 --total $N
     --fewshot-ratio 0.25 --options-ratio 0.5 --seed 1 --name bench --replace --store "$TMP/m.db"
     --datasets summarize:dialogsum=3,summarize:samsum=1,topic:dialogsum=1,rating:yelp=20,rating:support=1)
"$CURATE" "${MIX[@]}" > "$TMP/mix.out"

log "setup: export each pool for the peer, probabilities = curate's requested shares"
mkdir -p "$TMP/pools"
python3 - "$TMP/m.db" "$TMP/pools" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
report = json.loads(db.execute("SELECT report FROM mixtures WHERE name = 'bench'").fetchone()[0])
shares = {}
for line in report["lines"]:
    if line["dataset"] is None:
        continue
    stem = f'{line["task"]}__{line["dataset"]}'
    shares[stem] = line["requested_share"]
    with open(f"{sys.argv[2]}/{stem}.jsonl", "w", encoding="utf-8") as out:
        for prompt, target in db.execute("""SELECT e.prompt, e.target FROM examples e JOIN conversations c ON c.id = e.conversation_id
                                            JOIN sources s ON s.id = c.source_id WHERE e.split = 'train' AND e.variant = 'zero-shot'
                                            AND e.task = ? AND s.dataset = ? ORDER BY e.id""", (line["task"], line["dataset"])):
            out.write(json.dumps({"prompt": prompt, "completion": target}, ensure_ascii=False) + "\n")
json.dump(shares, open(f"{sys.argv[2]}/probabilities.json", "w"))
PY

# row NAME COMMAND…: REPS timed runs; appends "name wall rss" lines.
row() {
    local name=$1; shift
    for _ in $(seq "$REPS"); do
        rm -rf "$TMP/out" "$TMP/peer.jsonl" "$TMP/hf-cache"
        /usr/bin/time -f "$name %e %M" -a -o "$TMP/times" "$@" > "$TMP/row.out" 2> "$TMP/row.err" || { cat "$TMP/row.err" >&2; exit 1; }
    done
    log "$name done"
}
row curate_mix "$CURATE" "${MIX[@]}"
row curate_mix_shard bash -c "$(printf '%q ' "$CURATE" "${MIX[@]}") > /dev/null && $(printf '%q ' "$CURATE") shard --mix bench --format prompt-completion --out $TMP/out --store $TMP/m.db"
[[ $(cat "$TMP"/out/train-*-of-*[0-9].jsonl | wc -l) -eq $N ]] || { echo "curate wrote the wrong number of lines" >&2; exit 1; }
row datasets env HF_DATASETS_CACHE="$TMP/hf-cache" HF_HUB_OFFLINE=1 "$VENV/bin/python" "$HERE/peer.py" "$TMP/pools" "$TMP/pools/probabilities.json" $N "$TMP/peer.jsonl"
[[ $(wc -l < "$TMP/peer.jsonl") -eq $N ]] || { echo "the peer wrote the wrong number of lines" >&2; exit 1; }

out=$RESULTS/mix-$(date +%Y%m%d-%H%M%S).md
python3 - "$TMP/times" "$TMP/mix.out" > "$out" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, wall, rss = line.split()
    rows.setdefault(name, []).append((float(wall), int(rss) / 1024))
med = {k: (statistics.median(w for w, _ in v), statistics.median(r for _, r in v)) for k, v in rows.items()}
print("| row | wall s (median) | peak RSS MiB (median) |")
print("| --- | ---: | ---: |")
for name, (wall, rss) in med.items():
    print(f"| {name} | {wall:.2f} | {rss:.0f} |")
peer = med["datasets"]
for name in ("curate_mix", "curate_mix_shard"):
    print(f"\ndatasets ÷ {name}: {peer[0] / med[name][0]:.1f}× in time, {peer[1] / med[name][1]:.1f}× in peak RSS")
print("\ncurate's report for the benchmark mixture:\n```")
print(open(sys.argv[2]).read().rstrip())
print("```")
PY
cat "$out"
echo "results: $out"
