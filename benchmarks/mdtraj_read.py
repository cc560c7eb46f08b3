"""MDTraj 1.9.7 side of md-read-benchmark.sh: the same tasks on the same files. Prints RESULT lines like the Java side.
usage: mdtraj_read.py small DATA_DIR | stream FILE"""
import itertools
import sys
import time

import mdtraj as md
import numpy as np


def best(f, warm=2, runs=5):
    for _ in range(warm):
        f()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


if sys.argv[1] == "small":
    d = sys.argv[2]
    files = [f"{d}/ala2_0-10ns.xtc", f"{d}/ala2_10-20ns.xtc"]
    top = md.load_topology(f"{d}/ala2.pdb")
    heavy = [a.index for a in top.atoms if a.element.symbol != "H"]
    pairs = np.array(list(itertools.combinations(heavy, 2)))

    def phi_psi():
        for f in files:
            t = md.load(f, top=top)
            md.compute_phi(t)
            md.compute_psi(t)

    def distances():
        for f in files:
            t = md.load(f, top=top)
            md.compute_distances(t, pairs)

    def both():
        for f in files:
            t = md.load(f, top=top)
            md.compute_phi(t)
            md.compute_psi(t)
            md.compute_distances(t, pairs)

    for name, f in (("ala2-phi-psi", phi_psi), ("ala2-distances-45", distances), ("ala2-phi-psi+distances", both)):
        print(f"RESULT\tmdtraj-{name}\t1\t{best(f):.4f}\t20000\t22", flush=True)
else:
    t0 = time.perf_counter()
    frames = 0
    with md.open(sys.argv[2]) as fh:
        while True:
            xyz, tt, step, box = fh.read(n_frames=100)
            if len(xyz) == 0:
                break
            frames += len(xyz)
            natoms = xyz.shape[1]
    print(f"RESULT\tmdtraj-stream-large-xtc\t1\t{time.perf_counter() - t0:.2f}\t{frames}\t{natoms}", flush=True)
