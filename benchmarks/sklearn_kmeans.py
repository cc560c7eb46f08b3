"""scikit-learn side of partition-benchmark.sh: k-means on the same raw float64 data, same k, k-means++ init,
one initialisation, max_iter 300, tol 1e-4 (the same convergence criterion). Prints lines in the format of the
Java side: RESULT <case> <threads> <seconds total> <iterations> <seconds per iteration> <inertia>."""
import sys
import time

import numpy as np
from sklearn.cluster import KMeans, kmeans_plusplus
from threadpoolctl import threadpool_limits

directory = sys.argv[1]
for n, d in ((1_000_000, 2), (200_000, 10)):
    name = f"{n}x{d}"
    x = np.fromfile(f"{directory}/kmeans-{name}.f64", dtype="<f8").reshape(n, d)
    for algorithm in ("lloyd", "elkan"):
        for threads in (1, 2):
            with threadpool_limits(limits=threads):
                for repeat in range(2):  # the first run warms up
                    t0 = time.perf_counter()
                    kmeans_plusplus(x, 100, random_state=0)
                    init = time.perf_counter() - t0
                    t0 = time.perf_counter()
                    km = KMeans(n_clusters=100, init="k-means++", n_init=1, max_iter=300, tol=1e-4,
                                algorithm=algorithm, random_state=0).fit(x)
                    total = time.perf_counter() - t0
            per_iteration = (total - init) / km.n_iter_
            print(f"RESULT\tsklearn-{algorithm}-kmeans-{name}\t{threads}\t{total:.3f}\t{km.n_iter_}\t"
                  f"{per_iteration:.4f}\t{km.inertia_:.6g}", flush=True)
