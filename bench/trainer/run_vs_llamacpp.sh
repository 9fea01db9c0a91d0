#!/usr/bin/env bash
# curate's runtime against llama.cpp (llama-cpp-python, 2 threads) in one run, row by row
# (curate, then llama.cpp), on SmolLM2-135M-Instruct: the file as shipped (Q4_1 matrices) and
# llama.cpp's own Q8_0 and F32 requantizations of it. Prints each figure and the ratio
# curate ÷ llama.cpp. llama.cpp spins its threads at barriers, so it collapses on a machine
# that other work shares: run this on a quiet machine.
#   bench/trainer/run_vs_llamacpp.sh [EVAL_EXAMPLES=32]
set -euo pipefail
cd "$(dirname "$0")/../.."
examples=${1:-32}
data=${CURATE_DATA:-../shared/data}/dialogsum/dialogsum.test.jsonl
bench/trainer/setup_venv.sh
bench/.venv/bin/python -c "import llama_cpp" 2> /dev/null || bench/.venv/bin/pip install -q llama-cpp-python==0.3.36  # compiles llama.cpp: ~7 min
swift build -c release --product curate-train-bench > /dev/null
swift build -c release --product curate > /dev/null
bench_bin=$PWD/.build/release/curate-train-bench
py="bench/.venv/bin/python bench/trainer/bench_llamacpp.py"
q4=$(.build/release/curate model fetch smollm2-135m | tail -n 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
$py "$q4" quantize "$work/q8_0.gguf" q8_0 > /dev/null 2>&1
$py "$q4" quantize "$work/f32.gguf" f32 > /dev/null 2>&1

figure() { grep -E "$1" | head -1 | sed -E 's/.*: ([0-9.]+) (tok\/s|examples\/min).*/\1/'; }
row() {  # row LABEL PATTERN CURATE_OUTPUT LLAMA_OUTPUT
    local a b; a=$(figure "$2" < "$3"); b=$(figure "$2" < "$4")
    printf '| %s | %s | %s | %.2f× |\n' "$1" "$a" "$b" "$(echo "$a / $b" | bc -l)"
}
for file in q4 q8_0; do
    path=$([ $file = q4 ] && echo "$q4" || echo "$work/q8_0.gguf")
    CURATE_BENCH_MODEL=$path "$bench_bin" generate 256 64 quantized > "$work/curate-$file.txt"
    $py "$path" generate 256 64 2> /dev/null > "$work/llama-$file.txt"
done
CURATE_BENCH_MODEL=$work/q8_0.gguf "$bench_bin" eval-dialogsum "$data" "$examples" 8 quantized > "$work/curate-eval.txt"
$py "$work/q8_0.gguf" eval "$data" "$examples" 2> /dev/null > "$work/llama-eval.txt"
CURATE_BENCH_MODEL=$work/f32.gguf "$bench_bin" eval-dialogsum "$data" "$examples" 8 f32 > "$work/curate-eval-f32.txt"
$py "$work/f32.gguf" eval "$data" "$examples" 2> /dev/null > "$work/llama-eval-f32.txt"

echo "| work | curate | llama.cpp | curate ÷ llama.cpp |"
echo "| --- | ---: | ---: | ---: |"
row "decode tok/s, batch 1, Q4_1 file" "decode batch 1" "$work/curate-q4.txt" "$work/llama-q4.txt"
row "decode tok/s, batch 8, Q8_0" "decode batch 8" "$work/curate-q8_0.txt" "$work/llama-q8_0.txt"
row "prefill tok/s, 256 tokens, Q8_0" "prefill" "$work/curate-q8_0.txt" "$work/llama-q8_0.txt"
row "DialogSum eval examples/min, Q8_0 ($examples dialogues; curate 8 slots)" "examples in" "$work/curate-eval.txt" "$work/llama-eval.txt"
echo
echo "ROUGE on the same $examples dialogues (F32 file: both should agree; Q8_0: both quantize):"
for f in curate-eval-f32 llama-eval-f32 curate-eval llama-eval; do echo "  $f: $(grep -iE '^rouge1' "$work/$f.txt" | head -1)"; done
