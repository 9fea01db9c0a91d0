#!/usr/bin/env bash
# sgemm/sgemv GFLOP/s under OpenBLAS's Prescott kernels (what Debian's 0.3.21 picks on its own
# for new AVX-512 Xeons), Haswell, and curate's automatic choice (SkylakeX on AVX-512F CPUs).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -j 1 -c release --product curate-train-bench >/dev/null
bin="$(swift build -c release --show-bin-path)/curate-train-bench"
for core in Prescott Haswell; do
  echo "== OPENBLAS_CORETYPE=$core"; OPENBLAS_CORETYPE=$core "$bin" sgemm
done
echo "== OPENBLAS_CORETYPE unset (curate decides)"; env -u OPENBLAS_CORETYPE "$bin" sgemm
