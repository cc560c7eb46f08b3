package org.slowdyn.kinetics;

import java.util.List;

import org.slowdyn.core.data.StateSequence;

/** Transition counts at a lag time, with a sliding window, summed over trajectories (never across two of them). */
public final class TransitionCounts {
    private TransitionCounts() {
    }

    /** counts[i][j] = number of frame pairs (t, t + lag) in one trajectory with state i at t and j at t + lag. */
    public static long[][] count(List<StateSequence> sequences, int lag) {
        return count(sequences, lag, Checks.numberOfStates(sequences));
    }

    /** As {@link #count(List, int)} for sequences over {@code n} states (the list may be empty). */
    static long[][] count(List<StateSequence> sequences, int lag, int n) {
        if (lag < 1) {
            throw new IllegalArgumentException("lag must be at least 1 frame, got " + lag);
        }
        long[][] c = new long[n][n];
        for (StateSequence s : sequences) {
            for (int t = 0, end = s.length() - lag; t < end; t++) {
                c[s.state(t)][s.state(t + lag)]++;
            }
        }
        return c;
    }

    /** Row-normalised counts; a row without counts is left at zero. */
    public static double[][] rowNormalise(long[][] counts) {
        double[][] p = new double[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            p[i] = new double[counts[i].length];
            long sum = 0;
            for (long v : counts[i]) {
                sum += v;
            }
            for (int j = 0; j < counts[i].length && sum > 0; j++) {
                p[i][j] = counts[i][j] / (double) sum;
            }
        }
        return p;
    }
}
