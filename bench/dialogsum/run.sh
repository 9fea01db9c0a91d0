#!/usr/bin/env bash
# DialogSum benchmark: curate vs Hugging Face `datasets`.
# Single entry point; see bench/README.md. Usage:
#
#   bench/dialogsum/run.sh
#
# Environment:
#   CURATE_DATA        data root (default: <repo>/../shared/data)
#   CURATE_BIN         curate binary (default: <repo>/.build/release/curate;
#                      built with `swift build -c release --product curate`
#                      when that default is missing)
#   BENCH_REPS         repetitions per measurement (default 3; median reported)
#   BENCH_PEER_ONLY=1  skip the curate rows (a)-(c); only run the datasets peer
#   BENCH_RECIPE_OUT   directory the dialogsum recipe writes its shards to,
#                      relative to the repo root or absolute (optional): removed
#                      before every run of (a) and checked non-empty after it
#   BENCH_KEEP_TMP=1   keep the scratch directory (stores, outputs, logs)
set -euo pipefail

DATASETS_VERSION=5.2.0          # pinned; installs on Python 3.11 (pyarrow 26)
EXPECTED_RECORDS=12460

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BENCH=$REPO/bench
VENV=$BENCH/.venv
RESULTS=$BENCH/results
DATA_ROOT=${CURATE_DATA:-$REPO/../shared/data}
TRAIN=$DATA_ROOT/dialogsum/dialogsum.train.2021-05.converted.jsonl
RECIPE=recipes/dialogsum.yaml
REPS=${BENCH_REPS:-3}
PEER_ONLY=${BENCH_PEER_ONLY:-0}

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'run.sh: ERROR: %s\n' "$*" >&2; exit 1; }

# ------------------------------------------------------------ GNU time
if [[ ! -x /usr/bin/time ]]; then
    log "installing GNU time (apt-get)"
    SUDO=; [[ $(id -u) -eq 0 ]] || SUDO=sudo
    $SUDO apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >/dev/null
fi
/usr/bin/time -f '%e %M' -o /dev/null true 2>/dev/null \
    || die "/usr/bin/time is not GNU time (need -f/-o support)"

# ------------------------------------------------------------ venv
if [[ ! -x $VENV/bin/python ]]; then
    log "creating venv $VENV"
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import datasets, sys; sys.exit(datasets.__version__ != '$DATASETS_VERSION')" 2>/dev/null; then
    log "installing datasets==$DATASETS_VERSION into $VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "datasets==$DATASETS_VERSION"
fi
PY=$VENV/bin/python
DATASETS_VER=$("$PY" -c 'import datasets; print(datasets.__version__)')
PYARROW_VER=$("$PY" -c 'import pyarrow; print(pyarrow.__version__)')

# ------------------------------------------------------------ data
[[ -f $TRAIN ]] || die "train file not found: $TRAIN (set CURATE_DATA)"
TRAIN=$(cd "$(dirname "$TRAIN")" && pwd)/$(basename "$TRAIN")
TRAIN_BYTES=$(stat -c %s "$TRAIN")
TRAIN_LINES=$(wc -l < "$TRAIN")
[[ $TRAIN_LINES -eq $EXPECTED_RECORDS ]] \
    || die "$TRAIN has $TRAIN_LINES lines, expected $EXPECTED_RECORDS"
export CURATE_DATA=$(cd "$DATA_ROOT" && pwd)

# ------------------------------------------------------------ curate
CURATE=${CURATE_BIN:-$REPO/.build/release/curate}
CURATE_VER=n/a
if [[ $PEER_ONLY != 1 ]]; then
    if [[ ! -x $CURATE ]]; then
        [[ -z ${CURATE_BIN:-} ]] || die "CURATE_BIN=$CURATE_BIN is not an executable"
        command -v swift >/dev/null || die "curate binary missing and no swift toolchain to build it"
        log "building curate: swift build -c release --product curate"
        (cd "$REPO" && swift build -c release --product curate) \
            || die "swift build failed"
        [[ -x $CURATE ]] || die "swift build succeeded but $CURATE does not exist"
    fi
    CURATE=$(cd "$(dirname "$CURATE")" && pwd)/$(basename "$CURATE")
    [[ -f $REPO/$RECIPE ]] || die "recipe not found: $REPO/$RECIPE"
    CURATE_VER=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
    git -C "$REPO" diff --quiet HEAD -- Sources Package.swift 2>/dev/null \
        || CURATE_VER="$CURATE_VER+dirty"
fi

# ------------------------------------------------------------ scratch
TMP=$(mktemp -d "${TMPDIR:-/tmp}/curate-bench.XXXXXX")
cleanup() {
    local rc=$?
    if [[ ${BENCH_KEEP_TMP:-0} == 1 || $rc -ne 0 ]]; then
        log "kept scratch dir $TMP (stores, outputs, logs/)"
    else rm -rf "$TMP"; fi
}
trap cleanup EXIT
mkdir -p "$RESULTS" "$TMP/logs"
RAW=$TMP/results.jsonl
# Keep the peer off ~/.cache/huggingface and off the network.
export HF_HOME=$TMP/hf-home HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 \
       HF_HUB_DISABLE_TELEMETRY=1 TOKENIZERS_PARALLELISM=false

q() { printf '%q' "$1"; }       # shell-quote one word
M=( "$PY" "$HERE/measure.py" )
measure() {  # measure <name> <label> [measure.py run options...] -- argv...
    local name=$1 label=$2; shift 2
    log "measuring $name: $label ($REPS runs)"
    "${M[@]}" run --name "$name" --label "$label" --reps "$REPS" \
        --results "$RAW" --log-dir "$TMP/logs" "$@" \
        || die "measurement $name failed; log: $TMP/logs/$name.log"
}
ROWS="$(q "$PY") $(q "$HERE/measure.py") rows"

PEERS=()
if [[ $PEER_ONLY != 1 ]]; then
    # (a) whole recipe: ingest train/validation/test, render summarize+topic,
    #     mix, shard.
    DB=$TMP/recipe.db
    SETUP="rm -f $(q "$DB") $(q "$DB")-wal $(q "$DB")-shm"
    CHECKS=( --check "test -s $(q "$DB")" )
    if [[ -n ${BENCH_RECIPE_OUT:-} ]]; then
        SETUP="$SETUP; rm -rf $(q "$BENCH_RECIPE_OUT")"
        CHECKS+=( --check "test -n \"\$(find $(q "$BENCH_RECIPE_OUT") -type f -print -quit)\"" )
    fi
    measure a_curate_recipe "curate run $RECIPE (whole pipeline)" \
        --cwd "$REPO" --setup "$SETUP" "${CHECKS[@]}" --ok-status 3 \
        -- "$CURATE" run "$RECIPE" --store "$DB" --out "$TMP/recipe-out"

    # (b) ingest only.
    DB=$TMP/ingest.db
    measure b_curate_ingest "curate ingest (train)" \
        --cwd "$REPO" --records "$EXPECTED_RECORDS" --bytes "$TRAIN_BYTES" \
        --setup "rm -f $(q "$DB") $(q "$DB")-wal $(q "$DB")-shm" \
        --check "test -s $(q "$DB")" --ok-status 3 \
        -- "$CURATE" ingest "$TRAIN" --preset dialogsum --split train --store "$DB"

    # (c) ingest + render summarize + mix + shard to prompt/completion JSONL,
    #     the same work as the peer; one /usr/bin/time over the whole chain.
    DB=$TMP/e2e.db OUTD=$TMP/e2e-out
    # curate writes fewer rows than the peer on purpose: 595 train dialogues are exact
    # duplicates and 5 have an empty turn (rejected), so 12,460 - 600 = 11,860 rows.
    CURATE_EXPECTED_ROWS=11860
    CHAIN='set -euo pipefail; C=$1 TRAIN=$2 DB=$3 OUTD=$4
trap '\''echo "e2e chain: step failed (exit $?): $BASH_COMMAND" >&2'\'' ERR
"$C" ingest "$TRAIN" --preset dialogsum --split train --store "$DB" || [ $? -eq 3 ]  # 3: five records rejected
"$C" render --tasks summarize --shots 0 --store "$DB"  # zero-shot only: the peer renders no few-shot forms
"$C" mix --tasks summarize --strategy equal --name bench --seed 1 --store "$DB"
"$C" shard --mix bench --format prompt-completion --out "$OUTD" --store "$DB"'
    measure c_curate_e2e "curate ingest+render+mix+shard (summarize → JSONL)" \
        --cwd "$REPO" --records "$EXPECTED_RECORDS" --bytes "$TRAIN_BYTES" \
        --setup "rm -rf $(q "$DB") $(q "$DB")-wal $(q "$DB")-shm $(q "$OUTD")" \
        --check "test -d $(q "$OUTD")" \
        --rows-cmd "$ROWS $(q "$OUTD") --keys prompt,completion" \
        --expect-rows "$CURATE_EXPECTED_ROWS" \
        -- bash -c "$CHAIN" chain "$CURATE" "$TRAIN" "$DB" "$OUTD"
fi

# (d) the peer, cold: fresh datasets cache every run.
PEER=( "$PY" "$HERE/hf_datasets_peer.py" --train "$TRAIN" --quiet )
CACHE=$TMP/hf-cold-cache OUT=$TMP/hf-cold.jsonl
measure d_datasets_cold "datasets $DATASETS_VER load_dataset+map+to_json, cold cache" \
    --cwd "$TMP" --records "$EXPECTED_RECORDS" --bytes "$TRAIN_BYTES" \
    --setup "rm -rf $(q "$CACHE") $(q "$OUT") $(q "$HF_HOME")" \
    --rows-cmd "$ROWS $(q "$OUT") --keys prompt,completion --strict-keys" \
    --expect-rows "$EXPECTED_RECORDS" \
    -- "${PEER[@]}" --out "$OUT" --cache-dir "$CACHE"
PEERS+=( --peer d_datasets_cold )

# (d') the peer, warm: cache filled by one untimed run (Arrow files and the
#      .map result are reused; to_json still writes the JSONL every run).
CACHE=$TMP/hf-warm-cache OUT=$TMP/hf-warm.jsonl
measure d_datasets_warm "datasets $DATASETS_VER load_dataset+map+to_json, warm cache" \
    --cwd "$TMP" --records "$EXPECTED_RECORDS" --bytes "$TRAIN_BYTES" \
    --prepare "rm -rf $(q "$CACHE"); $(printf '%q ' "${PEER[@]}") --out $(q "$OUT") --cache-dir $(q "$CACHE") >/dev/null 2>&1" \
    --setup "rm -f $(q "$OUT")" \
    --rows-cmd "$ROWS $(q "$OUT") --keys prompt,completion --strict-keys" \
    --expect-rows "$EXPECTED_RECORDS" \
    -- "${PEER[@]}" --out "$OUT" --cache-dir "$CACHE"
PEERS+=( --peer d_datasets_warm )

# ------------------------------------------------------------ report
"${M[@]}" report --results "$RAW" \
    --md "$RESULTS/dialogsum.md" --json "$RESULTS/dialogsum.json" \
    --curate-e2e c_curate_e2e "${PEERS[@]}" \
    --meta "curate=$CURATE_VER" --meta "datasets=$DATASETS_VER" \
    --meta "pyarrow=$PYARROW_VER" \
    --meta "python=$("$PY" -c 'import platform; print(platform.python_version())')" \
    --meta "train_bytes=$TRAIN_BYTES" --meta "train_records=$TRAIN_LINES" \
    --meta "reps=$REPS"
cp "$RAW" "$RESULTS/dialogsum.raw.jsonl"
log "wrote $RESULTS/dialogsum.md and $RESULTS/dialogsum.json"
