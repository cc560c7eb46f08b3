#!/usr/bin/env bash
# Large systems through `./slowdyn run` in small heaps: a synthetic 20,000-atom XTC of GIGABYTES (default 2) in
# -Xmx512m, and a 1,000,000-atom XTC (0.3 GB) in -Xmx1g. Prints, for each, the exit code, wall time, frames and the
# process's peak resident memory (GNU time). Not part of the tests. Output: $OUT (default /tmp/slowdyn-memory-bench).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
gb="${1:-2}"
out="${OUT:-/tmp/slowdyn-memory-bench}"
mkdir -p "$out/classes"
source "$here/classpath.sh"
javac -nowarn -d "$out/classes" -cp "$cp" "$here"/src/org/slowdyn/benchmarks/MdReadBenchmark.java

gro() { # gro FILE ATOMS: a topology of ATOMS atoms, three to a residue
  awk -v n="$2" 'BEGIN { print "synthetic box"; print n;
    for (i = 0; i < n; i++) printf "%5d%-5s%5s%5d%8.3f%8.3f%8.3f\n", (i / 3 + 1) % 100000, "SOL", (i % 3 == 0 ? "OW" : "HW" i % 3), (i + 1) % 100000, 1, 1, 1;
    print "  10.00000  10.00000  10.00000" }' >"$1"
}

run_case() { # run_case NAME ATOMS GIGABYTES HEAP
  local name="$1" atoms="$2" size="$3" heap="$4"
  local xtc="$out/$name.xtc" top="$out/$name.gro" run="$out/run-$name-$(date +%s)"
  if [ ! -f "$xtc" ]; then
    java -Xmx2g -cp "$out/classes:$cp" org.slowdyn.benchmarks.MdReadBenchmark write-atoms "$xtc" "$size" "$atoms" >/dev/null
  fi
  gro "$top" "$atoms"
  cat >"$out/$name.json" <<JSON
{ "name": "$name", "input": { "files": ["$xtc"], "topology": "$top" },
  "featurizer": { "id": "featurize.distances", "settings": { "pairs": [[0, 1], [3, 6]], "periodic": false } },
  "partition": { "id": "partition.grid", "settings": { "bins": [4, 4] } },
  "filter": { "id": "recrossing.none" }, "trainer": { "id": "train.markov" },
  "kinetics": { "bootstrap": 0, "msmBootstrap": 0 } }
JSON
  local rc=0
  SLOWDYN_JAVA_OPTS="-Xmx$heap" /usr/bin/time -v "$repo/slowdyn" run "$out/$name.json" --out "$run" \
    >"$out/$name.out" 2>"$out/$name.err" || rc=$?
  local rss wall frames
  rss="$(sed -nE 's/.*Maximum resident set size \(kbytes\): ([0-9]+)/\1/p' "$out/$name.err")"
  wall="$(sed -nE 's/.*Elapsed \(wall clock\) time.*: (.*)/\1/p' "$out/$name.err")"
  frames="$(grep -oE '"referenceFrames" : [0-9]+' "$run/report.json" 2>/dev/null | grep -oE '[0-9]+$' || echo -)"
  printf '%s\t%d atoms\t%s\t-Xmx%s\texit %d\twall %s\tframes %s\tpeak RSS %d MiB\n' "$name" "$atoms" \
    "$(du -h "$xtc" | cut -f1)" "$heap" "$rc" "$wall" "$frames" "$(( ${rss:-0} / 1024 ))"
  [ "$rc" = 0 ] || tail -n 5 "$out/$name.err"
}

echo "case, atoms, file size, heap, exit code, wall time, frames, peak resident memory"
run_case large-20k 20000 "$gb" 512m
run_case million-atoms 1000000 0.3 1g
