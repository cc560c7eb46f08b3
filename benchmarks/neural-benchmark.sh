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
# PyTorch's best configuration here: Debian's python3-torch calls the system BLAS (libblas.so.3), which is the slow
# reference BLAS unless OpenBLAS is installed (measured: 5.8 GFLOP/s against about 100 for a 64 x 1024 x 4096
# product, PyTorch's LSTM training 5x slower), so OpenBLAS (pthreads build) is installed with it
if { ! "$py" -c 'import torch' 2>/dev/null || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; } \
    && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing python3-torch and libopenblas0-pthread from Debian..." >&2
  apt-get update -qq >&2 && apt-get install -y -qq python3-torch libopenblas0-pthread >&2 || true
fi
echo "PyTorch's BLAS: $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown)" >&2
have_torch=0
"$py" -c 'import torch' 2>/dev/null && have_torch=1
[ "$have_torch" = 1 ] || echo "PyTorch is not available: the comparison is skipped" >&2

for threads in 1 2; do
  # SlowDyn: OpenBLAS and ND4J's native code on one thread each (as ./slowdyn runs them); training shards and
  # generation groups run on THREADS Java threads (the `threads` setting).
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
by = {(r[1], r[2], int(r[3])): float(r[5]) for r in rows if r[1] != "peak"}
peak = {int(r[3]): float(r[5]) for r in rows if r[1] == "peak"}
names = {"train-sequences": "training (windows of 100 frames/s)", "train-tokens": "training (frames/s)",
         "train-dl4j": "training, DL4J layers (windows/s)", "generate-1": "generation, 1 trajectory (frames/s)",
         "generate-100": "generation, 100 in parallel (frames/s)"}
# floating-point operations per unit at the Zeng size (embedding 128, 1024 units, 4 states): a frame's forward pass
# is 2 (E + H) 4H + 2 H V multiply-adds; training (forward and backward) 3 times that per frame, 100 frames a window;
# generation folds the embedding into a table, 2 H 4H + 2 H V per frame
E, H, V = 128, 1024, 4
flops = {("train-sequences", "zeng"): 100 * 3 * (2 * (E + H) * 4 * H + 2 * H * V),
         ("generate-100", "zeng"): 2 * H * 4 * H + 2 * H * V, ("generate-1", "zeng"): 2 * H * 4 * H + 2 * H * V}
print()
print(f"{'case':<42}{'size':>6}{'threads':>8}{'SlowDyn':>12}{'PyTorch':>12}{'SlowDyn/PyTorch':>17}{'GFLOP/s':>9}")
for (case, size, threads), v in by.items():
    if case.startswith("torch-"):
        continue
    if case == "generate-100" and size == "gpt" and ("torch-cached-" + case, size, threads) in by:
        t = by[("torch-cached-" + case, size, threads)]
        print(f"{'generation, 100, PyTorch with a key/value cache':<42}{size:>6}{threads:>8}{v:>12.1f}{t:>12.1f}"
              f"{v / t:>17.2f}")
    t = by.get(("torch-" + case, size, threads))
    f = flops.get((case, size))
    print(f"{names[case]:<42}{size:>6}{threads:>8}{v:>12.1f}" + (f"{t:>12.1f}{v / t:>17.2f}" if t else " " * 29)
          + (f"{v * f / 1e9:>9.1f}" if f else ""))
print("\nBest configuration of each side (most units/s over 1 and 2 threads):")
print(f"{'case':<42}{'size':>6}{'SlowDyn':>16}{'PyTorch':>16}{'ratio':>8}")
for case, size in sorted({(c, s) for (c, s, _) in by if not c.startswith("torch-") and c != "train-dl4j"}):
    ours = max((v, th) for (c, s, th), v in by.items() if (c, s) == (case, size))
    theirs = [(v, th) for (c, s, th), v in by.items() if (c, s) == ("torch-" + case, size)]
    if theirs:
        best = max(theirs)
        print(f"{names[case]:<42}{size:>6}{ours[0]:>12.1f} ({ours[1]}){best[0]:>12.1f} ({best[1]}){ours[0] / best[0]:>8.2f}")
    cached = [(v, th) for (c, s, th), v in by.items() if (c, s) == ("torch-cached-" + case, size)]
    if cached:
        best = max(cached)
        label = names[case].replace("generation", "vs cached")
        print(f"{label:<42}{size:>6}{ours[0]:>12.1f} ({ours[1]}){best[0]:>12.1f} ({best[1]}){ours[0] / best[0]:>8.2f}")
for th, g in sorted(peak.items()):
    print(f"machine: sgemm 1024 x 4096 x 6400 on {th} thread(s) of ND4J's OpenBLAS: {g:.1f} GFLOP/s (the practical peak)")
print("\nSlowDyn/PyTorch > 1: SlowDyn is faster. GFLOP/s: SlowDyn's achieved rate at the Zeng size. PyTorch's "
      "Transformer generation without a cache recomputes the window every frame; the cached decoder keeps keys and values.")
PY
