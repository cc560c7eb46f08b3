package org.slowdyn.kinetics;

import java.util.List;

import org.slowdyn.core.data.StateSequence;

/**
 * Transition counts as a function of the commit time t: a stay in a state counts only when it lasts at least t
 * consecutive frames (it is committed), and a transition is counted between two consecutive committed stays in
 * different states of one trajectory. Short excursions, like recrossings of a boundary, are not transitions; t = 1
 * counts every state change.
 */
public final class CommitTimeCounts {
    private CommitTimeCounts() {
    }

    /** counts[i][j] of committed transitions i -> j at commit time t (frames). */
    public static long[][] count(List<StateSequence> sequences, int t) {
        if (t < 1) {
            throw new IllegalArgumentException("commit time must be at least 1 frame, got " + t);
        }
        int n = Checks.numberOfStates(sequences);
        long[][] c = new long[n][n];
        for (StateSequence s : sequences) {
            int committed = -1;
            int i = 0;
            while (i < s.length()) {
                int state = s.state(i);
                int j = i + 1;
                while (j < s.length() && s.state(j) == state) {
                    j++;
                }
                if (j - i >= t) {
                    if (committed >= 0 && committed != state) {
                        c[committed][state]++;
                    }
                    committed = state;
                }
                i = j;
            }
        }
        return c;
    }

    /** Total committed transitions at each commit time. */
    public static long[] totals(List<StateSequence> sequences, int[] commitTimes) {
        long[] totals = new long[commitTimes.length];
        for (int x = 0; x < commitTimes.length; x++) {
            for (long[] row : count(sequences, commitTimes[x])) {
                for (long v : row) {
                    totals[x] += v;
                }
            }
        }
        return totals;
    }
}
