#!/usr/bin/env bash
# Spark against one machine on the same XTC files: frames featurized and assigned per second per core, and how two
# executors compare with one, on a uniform corpus and on one whose file sizes differ 100x. Not part of the tests.
#   benchmarks/spark-benchmark.sh [FILES] [FRAMES] [PARTITIONS] [CORPUS]
#     default 1000 files, 4,000,000 frames in all, two RDD partitions per executor core, both corpora
# Needs ../shared/data beside the repository. Prints a table; raw lines go to $OUT/results.tsv.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
out="${OUT:-/tmp/slowdyn-spark-bench}"
files="${1:-1000}"
frames="${2:-4000000}"
mkdir -p "$out/classes" "$out/spark-home/jars"
module="$repo/bundles/org.slowdyn.spark"
if ! compgen -G "$module/target/org.slowdyn.spark-*-app.jar" >/dev/null; then
  echo "building SlowDyn (./mvnw install -DskipTests)..." >&2
  "$repo/mvnw" -B -q -f "$repo/pom.xml" install -DskipTests >&2
fi
"$repo/mvnw" -B -q -f "$module/pom.xml" dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$out/classpath.txt" >&2
cp="$(ls "$module"/target/org.slowdyn.spark-*-SNAPSHOT.jar | grep -v -- -app.jar):$(cat "$out/classpath.txt")"
javac -nowarn -d "$out/classes" -cp "$cp" "$here"/src/org/slowdyn/benchmarks/SparkBenchmark.java
opens="$(sed -n 's|.*<spark.java17.options>\(.*\)</spark.java17.options>.*|\1|p' "$module/pom.xml")"
# local-cluster executors are started by Spark's launcher, which wants SPARK_HOME/jars (empty: the classpath is ours)
export SPARK_HOME="$out/spark-home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1
# shellcheck disable=SC2086
java -Xmx6g $opens -Dslowdyn.spark.executorJavaOptions="$opens" \
  -cp "$out/classes:$cp" org.slowdyn.benchmarks.SparkBenchmark "$repo/../shared/data" "$out" "$files" "$frames" "${3:-0}" "${4:-}" \
  2> "$out/stderr.log" | tee "$out/results.tsv"

python3 - "$out/results.tsv" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.startswith("RESULT")]
print()
print("| corpus | setup | cores | frames | featurize s | k-means fit s | assign s | featurize+assign frames/s per core |")
print("|---|---|---|---|---|---|---|---|")
rate = {}
for _, corpus, setup, cores, frames, f, fit, a in rows:
    per_core = int(frames) / (float(f) + float(a)) / int(cores)
    rate[(corpus, setup, int(cores))] = int(frames) / (float(f) + float(a))
    print(f"| {corpus} | {setup} | {cores} | {int(frames):,} | {float(f):.2f} | {float(fit):.2f} | {float(a):.2f} | {per_core:,.0f} |")
print()
print("| corpus | Spark per core / one machine (target >= 0.80) | Spark: two executors / one (target >= 1.8 uniform, >= 1.6 skewed) | one machine: two threads / one (this machine's own scaling) |")
print("|---|---|---|---|")
for corpus in ("uniform", "skewed"):
    one = rate.get((corpus, "one machine", 1)); two = rate.get((corpus, "one machine", 2))
    s1 = rate.get((corpus, "Spark local-cluster", 1)); s2 = rate.get((corpus, "Spark local-cluster", 2))
    if one and two and s1 and s2:
        print(f"| {corpus} | {s1 / one:.2f} | {s2 / s1:.2f} | {two / one:.2f} |")
PY
