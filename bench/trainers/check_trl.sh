#!/usr/bin/env bash
# Checks what TRL's SFTTrainer makes of curate's shard formats (bench/trainers/check_trl.py),
# on the demo recipe's shards and SmolLM2's tokenizer. Not part of CI: it installs torch (the
# CPU wheel when /opt/wheels has one), transformers and trl into bench/.venv.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
cpu_torch="$(ls /opt/wheels/torch-*+cpu-*.whl 2>/dev/null | head -1 || true)"
bench/.venv/bin/python -c "import trl, gguf" 2>/dev/null || bench/.venv/bin/pip install -q ${cpu_torch:-torch} trl gguf datasets
swift build --product curate
curate=$PWD/.build/debug/curate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$curate" run recipes/demo.yaml --store "$work/d.db" --out "$work/openai-chat" > /dev/null
for format in conversational-prompt-completion prompt-completion; do
    "$curate" shard --mix demo --store "$work/d.db" --out "$work/$format" --format "$format" > /dev/null
done
model=$("$curate" model fetch smollm2-135m)
bench/.venv/bin/python bench/trainers/check_trl.py "$model" "$work/conversational-prompt-completion" "$work/openai-chat" "$work/prompt-completion"
