package org.slowdyn.kinetics;

import java.util.List;
import java.util.SplittableRandom;

import org.slowdyn.core.data.StateSequence;

/**
 * Transition counts at one lag per bootstrap unit (see {@link BootstrapUnits}), so that resampled count matrices are
 * sums of unit matrices instead of recounts of the trajectories.
 */
final class CountBootstrap {
    private final long[][][] unitCounts;
    private final int n;

    CountBootstrap(List<List<StateSequence>> units, int lag, int n) {
        this.n = n;
        this.unitCounts = new long[units.size()][][];
        for (int u = 0; u < units.size(); u++) {
            unitCounts[u] = TransitionCounts.count(units.get(u), lag, n);
        }
    }

    /** The counts of all units. */
    long[][] total() {
        return sum(null);
    }

    /** The counts of units drawn with replacement. */
    long[][] resample(SplittableRandom rng) {
        int[] pick = new int[unitCounts.length];
        for (int u = 0; u < pick.length; u++) {
            pick[u] = rng.nextInt(pick.length);
        }
        return sum(pick);
    }

    private long[][] sum(int[] pick) {
        long[][] c = new long[n][n];
        int count = pick == null ? unitCounts.length : pick.length;
        for (int x = 0; x < count; x++) {
            long[][] u = unitCounts[pick == null ? x : pick[x]];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    c[i][j] += u[i][j];
                }
            }
        }
        return c;
    }
}
