#!/usr/bin/env bash
# Clustering and counting speed: SlowDyn (plain classpath, the product's jars) side by side with scikit-learn 1.2.1
# (Debian's python3-sklearn) on the same data in the same run. Not part of the tests.
#   benchmarks/partition-benchmark.sh            build if needed, install scikit-learn if missing (apt), run
# Prints a table; raw lines go to $OUT/results.tsv (default /tmp/slowdyn-bench).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
out="${OUT:-/tmp/slowdyn-bench}"
mkdir -p "$out/classes"
plugins="$repo/releng/org.slowdyn.product/target/products/org.slowdyn.product/linux/gtk/x86_64/plugins"
if ! compgen -G "$plugins/org.slowdyn.partition_*.jar" >/dev/null; then
  echo "building SlowDyn (./mvnw verify -DskipTests)..." >&2
  "$repo/mvnw" -B -q -f "$repo/pom.xml" verify -DskipTests >&2
fi
cp="$(find "$plugins" -maxdepth 1 -name '*.jar' ! -name 'org.slowdyn.dl4j_*' | tr '\n' ':')"
javac -nowarn -d "$out/classes" -cp "$cp" "$here"/src/org/slowdyn/benchmarks/PartitionBenchmark.java

# One thread per worker for the native libraries, so that "threads" means what it says.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
java -Xmx6g -cp "$out/classes:$cp" org.slowdyn.benchmarks.PartitionBenchmark "$out" | tee "$out/results.tsv"

py=/usr/bin/python3
if ! "$py" -c 'import sklearn' 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing python3-sklearn from Debian..." >&2
    apt-get update -qq >&2 && apt-get install -y -qq python3-sklearn >&2 || true
  fi
fi
if "$py" -c 'import sklearn' 2>/dev/null; then
  "$py" -c 'import sklearn; print("scikit-learn", sklearn.__version__)' >&2
  unset OMP_NUM_THREADS OPENBLAS_NUM_THREADS MKL_NUM_THREADS  # threadpoolctl sets the limits per case
  "$py" "$here/sklearn_kmeans.py" "$out" | tee -a "$out/results.tsv"
else
  echo "scikit-learn is not available: the comparison is skipped" >&2
fi

"$py" - "$out/results.tsv" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.startswith("RESULT")]
by = {(r[1], int(r[2])): r for r in rows}
print()
print(f"{'case':<36}{'threads':>8}{'total s':>10}{'iter':>6}{'s/iter':>9}{'inertia':>14}{'sklearn/slowdyn total':>24}{'per iter':>10}")
for r in rows:
    case, th, total, it, per, inertia = r[1], int(r[2]), float(r[3]), r[4], float(r[5]), r[6]
    ratio = ""
    if case.startswith("kmeans-"):
        sk = by.get(("sklearn-lloyd-" + case, th))
        if sk:
            ratio = f"{float(sk[3]) / total:>24.2f}{float(sk[5]) / per if per else float('nan'):>10.2f}"
    print(f"{case:<36}{th:>8}{total:>10.3f}{it:>6}{per:>9.4f}{inertia:>14}{ratio}")
print("\nratio > 1: SlowDyn is faster than scikit-learn's default (lloyd) k-means on the same data and threads.")
PY
