#!/usr/bin/env bash
# XTC reading and featurizing speed, SlowDyn (plain classpath, the product's jars) side by side with MDTraj 1.9.7
# (Debian's python3-mdtraj) in the same run, and streaming of a large synthetic XTC with a 512 MB heap.
# Not part of the tests.
#   benchmarks/md-read-benchmark.sh [GIGABYTES]     size of the synthetic file (default 2)
# Data: ../shared/data beside the repository. Output: $OUT (default /tmp/slowdyn-md-bench).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
data="$(cd "$repo/../shared/data" && pwd)"
gb="${1:-2}"
out="${OUT:-/tmp/slowdyn-md-bench}"
mkdir -p "$out/classes"
plugins="$repo/releng/org.slowdyn.product/target/products/org.slowdyn.product/linux/gtk/x86_64/plugins"
if ! compgen -G "$plugins/org.slowdyn.featurize_*.jar" >/dev/null; then
  echo "building SlowDyn (./mvnw verify -DskipTests)..." >&2
  "$repo/mvnw" -B -q -f "$repo/pom.xml" verify -DskipTests >&2
fi
cp="$(find "$plugins" -maxdepth 1 -name '*.jar' ! -name 'org.slowdyn.dl4j_*' | tr '\n' ':')"
javac -nowarn -d "$out/classes" -cp "$cp" "$here"/src/org/slowdyn/benchmarks/MdReadBenchmark.java
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
results="$out/results.tsv"
: > "$results"
java -Xmx2g -cp "$out/classes:$cp" org.slowdyn.benchmarks.MdReadBenchmark small "$data" | tee -a "$results"

py=/usr/bin/python3
if ! "$py" -c 'import mdtraj' 2>/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing python3-mdtraj from Debian..." >&2
  apt-get update -qq >&2 && apt-get install -y -qq python3-mdtraj >&2 || true
fi
have_mdtraj=0
if "$py" -c 'import mdtraj' 2>/dev/null; then
  have_mdtraj=1
  "$py" "$here/mdtraj_read.py" small "$data" | tee -a "$results"
else
  echo "MDTraj is not available: the comparison is skipped" >&2
fi

big="$out/synthetic-20000-atoms.xtc"
if [ ! -f "$big" ] || [ "$(stat -c %s "$big")" -lt "$(( ${gb%.*} * 1000000000 ))" ]; then
  java -Xmx1g -cp "$out/classes:$cp" org.slowdyn.benchmarks.MdReadBenchmark write "$big" "$gb" | tee -a "$results"
fi
java -Xmx512m -cp "$out/classes:$cp" org.slowdyn.benchmarks.MdReadBenchmark stream "$big" | tee -a "$results"
if [ "$have_mdtraj" = 1 ]; then
  "$py" "$here/mdtraj_read.py" stream "$big" | tee -a "$results"
fi

"$py" - "$results" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.startswith("RESULT")]
by = {(r[1], int(r[2])): r for r in rows}
print()
print(f"{'case':<34}{'threads':>8}{'seconds':>10}{'frames/s':>14}{'atom-frames/s':>16}{'MDTraj/SlowDyn':>16}")
for r in rows:
    case, th, sec, frames, atoms = r[1], int(r[2]), float(r[3]), int(r[4]), int(r[5])
    if case.startswith("mdtraj-") or case.startswith("write"):
        continue
    ref = by.get(("mdtraj-" + case, 1))
    ratio = f"{float(ref[3]) / sec:>16.2f}" if ref else ""
    print(f"{case:<34}{th:>8}{sec:>10.3f}{frames / sec:>14.0f}{frames * atoms / sec:>16.3g}{ratio}")
for r in rows:
    if r[1].startswith("mdtraj-"):
        sec, frames, atoms = float(r[3]), int(r[4]), int(r[5])
        print(f"{r[1]:<34}{int(r[2]):>8}{sec:>10.3f}{frames / sec:>14.0f}{frames * atoms / sec:>16.3g}")
print("\nMDTraj/SlowDyn > 1: SlowDyn is faster (MDTraj on one thread; OMP_NUM_THREADS=1 for both).")
PY
