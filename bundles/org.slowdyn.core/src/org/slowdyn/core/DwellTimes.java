package org.slowdyn.core;

import java.util.List;

import org.slowdyn.core.data.StateSequence;

/**
 * How long trajectories stay in each state: for every state the number of runs (maximal stretches of consecutive
 * frames in it), their mean length in frames, and a histogram of run lengths in powers of two (bin b holds lengths
 * from 2^b to 2^(b+1) - 1). Runs cut by the start or end of a trajectory are included.
 */
public final class DwellTimes {
    /** Histogram bins: the last bin holds every run of 2^(BINS-1) frames or more. */
    public static final int BINS = 24;

    private final long[] runs;
    private final long[] frames;
    private final long[][] histogram;

    private DwellTimes(long[] runs, long[] frames, long[][] histogram) {
        this.runs = runs;
        this.frames = frames;
        this.histogram = histogram;
    }

    public static DwellTimes of(List<StateSequence> sequences) {
        int n = sequences.isEmpty() ? 0 : sequences.get(0).numberOfStates();
        long[] runs = new long[n], frames = new long[n];
        long[][] hist = new long[n][BINS];
        for (StateSequence s : sequences) {
            int i = 0;
            while (i < s.length()) {
                int state = s.state(i);
                int j = i + 1;
                while (j < s.length() && s.state(j) == state) {
                    j++;
                }
                int length = j - i;
                runs[state]++;
                frames[state] += length;
                hist[state][Math.min(BINS - 1, 31 - Integer.numberOfLeadingZeros(length))]++;
                i = j;
            }
        }
        return new DwellTimes(runs, frames, hist);
    }

    public int numberOfStates() {
        return runs.length;
    }

    public long runs(int state) {
        return runs[state];
    }

    /** Mean run length in frames; NaN for a state never visited. */
    public double meanDwell(int state) {
        return runs[state] == 0 ? Double.NaN : frames[state] / (double) runs[state];
    }

    /** Runs of the state with length in [2^bin, 2^(bin+1)). */
    public long histogram(int state, int bin) {
        return histogram[state][bin];
    }
}
