#!/usr/bin/env bash
# The study of the paper's three factors (partition, saving interval, dimensionality) with the Markov baseline, the
# LSTM and the Transformer, on the built-in 4-state system and on alanine dipeptide (../shared/data).
#   benchmarks/study.sh            the default run (about 45 minutes on 2 cores): writes docs/results.md, plots, manifest
#   benchmarks/study.sh --quick    a few minutes, small data: writes to $OUT (default /tmp/slowdyn-study-quick)
# DATA overrides the folder of the alanine dipeptide files (default ../shared/data next to the repository).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
quick=""
[ "${1:-}" = "--quick" ] && quick="--quick"
if [ -n "$quick" ]; then out="${OUT:-/tmp/slowdyn-study-quick}"; else out="${OUT:-$repo/docs}"; fi
data="${DATA:-$(dirname "$repo")/shared/data}"
classes="$(mktemp -d)"
trap 'rm -rf "$classes"' EXIT
. "$here/classpath.sh"
javac -nowarn -d "$classes" -cp "$cp" "$here"/src/org/slowdyn/benchmarks/Study.java "$here"/src/org/slowdyn/benchmarks/SvgPlot.java
mkdir -p "$out"
# ND4J's native code on one OpenMP thread, as ./slowdyn runs it (see benchmarks/README.md)
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
  java -Xmx12g -cp "$classes:$cp" org.slowdyn.benchmarks.Study "$out" $quick --data "$data"
echo "results: $out/results.md" >&2
