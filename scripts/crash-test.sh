#!/usr/bin/env bash
# Kills curate at random points and checks that nothing is lost or half-written (README "What
# curate guarantees"). For each stage: run it once cleanly for a reference, then per trial
# start it from the same state, SIGKILL it after a random delay (uniform over its clean run
# time), check that a shard folder is absent or exactly what its manifest says, that `curate
# stats` still reads the store, rerun it, and check that the store holds what the clean run's
# does (conversations, duplicates, rejects, examples, mixtures, by content), passes
# `PRAGMA integrity_check`, has no run left 'running', and that the shards are byte-identical.
#
#   CRASH_TRIALS=100 scripts/crash-test.sh        # trials per stage (default 20)
#   CRASH_STAGES="ingest shard" scripts/crash-test.sh
#
# A stage is one function `stage_NAME` that sets `from` (the reference state it starts from:
# empty, or another stage's name) and `cmd` (the command to kill and rerun); add one and list
# it in CRASH_STAGES to put a new command under test.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${CURATE_DATA:-../shared/data}
[ -d "$data/dialogsum" ] || { echo "crash-test: $data/dialogsum not found — set CURATE_DATA to the shared data folder" >&2; exit 1; }
data=$(cd "$data" && pwd)
trials=${CRASH_TRIALS:-20}
stages=${CRASH_STAGES:-ingest render mix shard run}
RANDOM=${CRASH_SEED:-13}
# CURATE_BIN runs a curate built elsewhere; by default the release build (CI's demo made it).
curate=${CURATE_BIN:-}
[ -n "$curate" ] || { swift build -c release --product curate > /dev/null; curate=$PWD/.build/release/curate; }
check="python3 $PWD/scripts/store_check.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Real files of four shapes: JSON Lines (with repeats across files), a JSON array, an XML
# session (one conversation of 706 message records), and committed bad lines.
inputs=("$data/dialogsum/dialogsum.dev.jsonl" "$data/dialogsum/dialogsum.test.jsonl" "$data/samsum/samsum.val.json"
        "$data"/nps_chat/10-19-20s_706posts.xml "$PWD/Tests/CurateIngestTests/Fixtures/bad-lines.jsonl")
cat > "$work/recipe.yaml" <<YAML
name: crash
seed: 7
templates: $PWD/templates
ingest:
  - {split: train, holdout: 0.1, files: [$(IFS=,; echo "${inputs[*]}" | sed 's/,/, /g')]}
render: {tasks: [summarize, topic]}
mix: {name: crash, strategy: temperature, temperature: 2, total: 3000, fewshot_ratio: 0.25}
shard: {out: out, format: openai-chat, shard_size: 500}
YAML

stage_ingest() { from=empty;  cmd=("$curate" ingest "${inputs[@]}" --holdout 0.1); }
stage_render() { from=ingest; cmd=("$curate" render --tasks summarize,topic --templates "$PWD/templates"); }
stage_mix()    { from=render; cmd=("$curate" mix --tasks summarize,topic --strategy temperature --temperature 2 --total 3000 --fewshot-ratio 0.25 --name crash); }
# An earlier, different output is in the folder, so a kill must leave either it or the new one.
stage_shard()  { from=mix;    cmd=("$curate" shard --mix crash --out out --format openai-chat --shard-size 500); before=("$curate" shard --mix crash --out out --format prompt-completion --shard-size 300); }
stage_run()    { from=empty;  cmd=("$curate" run "$work/recipe.yaml" --store curate.db --out out); }

# prepare DIR STATE: DIR holds STATE's store (nothing for `empty`) and no output folder.
prepare() {
    rm -rf "$1" && mkdir -p "$1"
    [ "$2" = empty ] || cp "$work/ref-$2/curate.db" "$1/curate.db"
}

# run_ok DIR: runs cmd in DIR; exit 0, or 3 (records rejected), is success.
run_ok() {
    local status=0
    (cd "$1" && "${cmd[@]}" > out.log 2> err.log) || status=$?
    [ "$status" -eq 0 ] || [ "$status" -eq 3 ] || { cat "$1/err.log" >&2; echo "crash-test: FAIL: ${cmd[*]} exited $status" >&2; exit 1; }
}

# stats_ok DIR: `curate stats` reads what a kill left (a store appears at its path only once
# it is complete, so a kill while it was being created leaves no store); it never crashes
# and never writes.
stats_ok() {
    [ -e "$1/curate.db" ] || return 0
    (cd "$1" && "$curate" stats > stats.out 2> stats.err) \
        || { cat "$1/stats.err" >&2; echo "crash-test: FAIL: curate stats after a kill of $stage exited non-zero" >&2; exit 1; }
}

total_trials=0
for stage in $stages; do
    before=()
    "stage_$stage"
    ref="$work/ref-$stage"
    prepare "$ref" "$from"
    if ((${#before[@]})); then (cd "$ref" && "${before[@]}" > /dev/null); fi
    started=$(date +%s%N)
    run_ok "$ref"
    clean_ms=$(( ($(date +%s%N) - started) / 1000000 ))
    [ ! -d "$ref/out" ] || cp -r "$ref/out" "$work/out-$stage"
    interrupted=0; killed=0
    for ((trial = 1; trial <= trials; trial++)); do
        dir="$work/trial"
        prepare "$dir" "$from"
        if ((${#before[@]})); then (cd "$dir" && "${before[@]}" > /dev/null); fi
        delay_ms=$(( RANDOM % (clean_ms + clean_ms / 10 + 1) ))
        (cd "$dir" && exec "${cmd[@]}" > /dev/null 2>&1) &
        pid=$!
        sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
        if kill -9 "$pid" 2> /dev/null; then killed=$((killed + 1)); fi
        wait "$pid" 2> /dev/null || true
        $check folder "$dir/out" > /dev/null
        stats_ok "$dir"
        run_ok "$dir"
        interrupted=$((interrupted + $($check runs "$dir/curate.db")))
        $check same "$dir/curate.db" "$ref/curate.db" > /dev/null
        if [ -d "$work/out-$stage" ]; then
            diff -r "$dir/out" "$work/out-$stage" > /dev/null || { echo "crash-test: FAIL: $stage shards differ from the clean run's after trial $trial" >&2; exit 1; }
        fi
        total_trials=$((total_trials + 1))
    done
    echo "ok  $stage: $trials trials (clean run ${clean_ms} ms; $killed killed while running, $interrupted runs marked interrupted) — store, integrity, runs and shards as a clean run's"
done
echo "crash-test: $total_trials trials, all recovered"
