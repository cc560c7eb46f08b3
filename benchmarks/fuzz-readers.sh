#!/usr/bin/env bash
# The long mutation fuzz of the binary readers (XTC, TRR, DCD, .npy): COUNT seeded mutations per format (default
# 1,000,000; CI runs 10,000) in a 256 MiB heap. Prints one line per format: mutations, read, refused, escaped, and
# the slowest read. Usage: benchmarks/fuzz-readers.sh [COUNT] [SEED]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="${1:-1000000}"
seed="${2:-20261129}"
log="$(mktemp -t slowdyn-fuzz.XXXXXX.log)"
if ! "$repo/mvnw" -B -f "$repo/pom.xml" verify -pl targetplatform,bundles/org.slowdyn.io -Dtest=MutationFuzzTest \
    -Dsurefire.failIfNoSpecifiedTests=false -Dslowdyn.fuzz.count="$count" -Dslowdyn.fuzz.seed="$seed" \
    -Dsurefire.timeout=0 >"$log" 2>&1; then
  grep -E "mutations|escaped|FAIL|expected" "$log" | head -n 40
  echo "fuzz-readers: failed; full log in $log" >&2
  exit 1
fi
echo "format: mutations, read, refused, escaped, slowest read (seed $seed, -Xmx256m)"
grep -E "^(xtc|trr|dcd|npy): " "$log" | sort -u
rm -f "$log"
