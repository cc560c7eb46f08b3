#!/usr/bin/env bash
# The Markov analysis of the kinetics comparison on a 100-state partition (the paper study's P3 at saving interval
# 10): reversible maximum-likelihood Markov models and implied timescales with 20 bootstrap resamples at the study's
# lags. Not part of the tests. KINETICS_JAR=path puts another build of org.slowdyn.kinetics first on the classpath,
# to compare two versions on the same data in one sitting. Output: $OUT (default /tmp/slowdyn-kinetics).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
out="${OUT:-/tmp/slowdyn-kinetics}"
mkdir -p "$out/classes"
source "$here/classpath.sh"
[ -n "${KINETICS_JAR:-}" ] && cp="$KINETICS_JAR:$cp"
javac -nowarn -d "$out/classes" -cp "$cp" "$here"/src/org/slowdyn/benchmarks/KineticsBenchmark.java
java -Xmx2g -cp "$out/classes:$cp" org.slowdyn.benchmarks.KineticsBenchmark | tee "$out/results.tsv" | awk -F'\t' '
  BEGIN { printf "%-26s %6s %9s %12s\n", "case", "lag", "seconds", "slowest ITS" }
  /^RESULT/ { printf "%-26s %6s %9s %12s\n", $2, $3, $4, $5 }'
