#!/usr/bin/env bash
# Training and generation speed of the neural trainers (plain classpath) side by side with the same architectures in
# PyTorch on CPU (Debian's python3-torch), with 1 and 2 threads, in the same run. Not part of the tests.
#   train.lstm (DL4J training, Java/BLAS generation) at the Tsai size (embedding 8, 64 units) and the Zeng size
#   (embedding 128, 1024 units); train.transformer (SameDiff) at its default size ("gpt": width 64, 4 heads, 2 blocks,
#   context 100).
#   benchmarks/neural-benchmark.sh
# Prints a table; raw lines go to $OUT/results.tsv (default /tmp/slowdyn-neural-bench).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
out="${OUT:-/tmp/slowdyn-neural-bench}"
mkdir -p "$out/classes"
. "$here/classpath.sh"
javac -nowarn -d "$out/classes" -cp "$cp" "$here"/src/org/slowdyn/benchmarks/NeuralBenchmark.java
results="$out/results.tsv"
: > "$results"

py=/usr/bin/python3
if ! "$py" -c 'import torch' 2>/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing python3-torch from Debian..." >&2
  apt-get update -qq >&2 && apt-get install -y -qq python3-torch >&2 || true
fi
have_torch=0
"$py" -c 'import torch' 2>/dev/null && have_torch=1
[ "$have_torch" = 1 ] || echo "PyTorch is not available: the comparison is skipped" >&2

for threads in 1 2; do
  # SlowDyn: ND4J's native code on one OpenMP thread (as ./slowdyn runs it: on these machines a second OpenMP thread
  # makes DL4J training slower, see benchmarks/README.md); generation runs its groups on THREADS Java threads.
  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
    java -Xmx8g -cp "$out/classes:$cp" org.slowdyn.benchmarks.NeuralBenchmark "$threads" 2>/dev/null | tee -a "$results"
  if [ "$have_torch" = 1 ]; then
    # PyTorch: torch.set_num_threads(THREADS), native libraries likewise
    OMP_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads MKL_NUM_THREADS=$threads \
      "$py" "$here/torch_lstm.py" "$threads" | tee -a "$results"
    OMP_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads MKL_NUM_THREADS=$threads \
      "$py" "$here/torch_transformer.py" "$threads" | tee -a "$results"
  fi
done

"$py" - "$results" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.startswith("RESULT")]
by = {(r[1], r[2], int(r[3])): float(r[5]) for r in rows}
names = {"train-sequences": "training (windows of 100 frames/s)", "train-tokens": "training (frames/s)", "generate-1": "generation, 1 trajectory (frames/s)",
         "generate-100": "generation, 100 in parallel (frames/s)"}
print()
print(f"{'case':<42}{'size':>6}{'threads':>8}{'SlowDyn':>12}{'PyTorch':>12}{'SlowDyn/PyTorch':>17}")
for (case, size, threads), v in by.items():
    if case.startswith("torch-"):
        continue
    t = by.get(("torch-" + case, size, threads))
    print(f"{names[case]:<42}{size:>6}{threads:>8}{v:>12.1f}" + (f"{t:>12.1f}{v / t:>17.2f}" if t else ""))
print("\nSlowDyn/PyTorch > 1: SlowDyn is faster.")
PY
