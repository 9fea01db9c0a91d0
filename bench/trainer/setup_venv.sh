#!/usr/bin/env bash
# The Python side of the trainer benches: transformers (reference tokenizer and model),
# rouge-score (reference ROUGE), gguf. transformers' GGUF reader imports torch; PyPI's default
# torch wheel drags in gigabytes of CUDA libraries, so the CPU build is preferred when pip's
# find-links offer one (this workplace's /opt/wheels does).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
cpu_torch="$(ls /opt/wheels/torch-*+cpu-*.whl 2>/dev/null | head -1 || true)"
.venv/bin/pip install -q ${cpu_torch:-torch} transformers tokenizers gguf accelerate rouge-score numpy
