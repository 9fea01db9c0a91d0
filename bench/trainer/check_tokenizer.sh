#!/usr/bin/env bash
# Checks curate's tokenizer against transformers on every DialogSum dialogue, summary and topic.
# The golden file is made in a temporary directory (it would copy the corpus into the repo).
#   bench/trainer/check_tokenizer.sh [DIALOGSUM_DIR]   (default: ../shared/data/dialogsum)
set -euo pipefail
cd "$(dirname "$0")/../.."
data="${1:-../shared/data/dialogsum}"
py=bench/.venv/bin/python
[ -x "$py" ] || { echo "run bench/trainer/setup_venv.sh first" >&2; exit 1; }
model="${CURATE_HOME:-$HOME/.cache/curate}/models/smollm2-135m/SmolLM2-135M-Instruct.Q4_1.gguf"
[ -f "$model" ] || swift test -j 1 --filter ModelFetchTests >/dev/null  # fetches the model
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
"$py" bench/trainer/make_token_golden.py "$model" "$tmp/dialogsum.json" --dialogsum \
  "$data/dialogsum.train.2021-05.converted.jsonl" "$data/dialogsum.dev.jsonl" \
  "$data/dialogsum.test.jsonl" "$data/dialogsum.hiddentest.dialogue.jsonl"
CURATE_TOKEN_GOLDEN="$tmp/dialogsum.json" swift test -j 1 --filter TokenizerGoldenTests/testIdsMatchTransformersGolden 2>&1 \
  | grep -E "tokenizer golden|error:|Executed .* tests" | sort -u
