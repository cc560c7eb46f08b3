#!/usr/bin/env bash
# Resident memory of a 10-epoch LSTM training at the default size (embedding 8, 64 units, batches of 64 windows of
# 100 frames; fused engine on 2 threads) on TRAJECTORIES (default 400) trajectories of 5,000 frames of a 4-state
# chain: the process's resident set and the heap in use after each epoch. A leak of native memory shows as growth
# from epoch to epoch. Not part of the tests. Output: $OUT (default /tmp/slowdyn-lstm-memory).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
out="${OUT:-/tmp/slowdyn-lstm-memory}"
mkdir -p "$out/classes"
source "$here/classpath.sh"
javac -nowarn -d "$out/classes" -cp "$cp" "$here"/src/org/slowdyn/benchmarks/LstmMemory.java \
  "$here"/src/org/slowdyn/benchmarks/NeuralBenchmark.java
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 java -Xmx2g -cp "$out/classes:$cp" org.slowdyn.benchmarks.LstmMemory \
  "${1:-400}" 5000 2 2>/dev/null | tee "$out/memory.tsv"
