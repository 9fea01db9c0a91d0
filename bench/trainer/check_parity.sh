#!/usr/bin/env bash
# Logits parity (|Δp| < 1e-3 after softmax) and token-identical greedy output of curate vs
# transformers float32 on the first N DialogSum test dialogues as ChatML summarization prompts.
#   bench/trainer/check_parity.sh [N=20] [DIALOGSUM_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
n="${1:-20}"; data="${2:-../shared/data/dialogsum}"
py=bench/.venv/bin/python
[ -x "$py" ] || { echo "run bench/trainer/setup_venv.sh first" >&2; exit 1; }
model="${CURATE_HOME:-$HOME/.cache/curate}/models/smollm2-135m/SmolLM2-135M-Instruct.Q4_1.gguf"
[ -f "$model" ] || swift test -j 1 --filter ModelFetchTests >/dev/null  # fetches the model
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
"$py" bench/trainer/make_logits_golden.py "$model" "$tmp/logits.json" --dialogsum "$data/dialogsum.test.jsonl" --n "$n" 2>&1 | grep -E "^wrote"
CURATE_LOGITS_GOLDEN="$tmp/logits.json" swift test -j 1 --filter LogitsParityTests 2>&1 \
  | grep -E "logits parity|error:|Executed .* tests" | sort -u
