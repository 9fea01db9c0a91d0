#!/usr/bin/env bash
# Checks curate's ROUGE and Porter stemmer against rouge_score on DialogSum: every test-set
# summary pair, multi-reference scores, and the stem of every word in the test set.
#   bench/trainer/check_rouge.sh [DIALOGSUM_DIR]   (default: ../shared/data/dialogsum)
set -euo pipefail
cd "$(dirname "$0")/../.."
data="${1:-../shared/data/dialogsum}"
py=bench/.venv/bin/python
[ -x "$py" ] || { echo "run bench/trainer/setup_venv.sh first" >&2; exit 1; }
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
"$py" bench/trainer/make_rouge_golden.py "$tmp/rouge.json" --dialogsum "$data/dialogsum.test.jsonl"
CURATE_ROUGE_GOLDEN="$tmp/rouge.json" swift test -j 1 --filter 'RougeTests/test(Scores|Stems)' 2>&1 \
  | grep -E "golden|error:|Executed .* tests" | sort -u
