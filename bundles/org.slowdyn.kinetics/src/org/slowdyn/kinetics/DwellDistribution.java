package org.slowdyn.kinetics;

import java.util.Arrays;
import java.util.List;

import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.slowdyn.core.data.StateSequence;

/**
 * How long trajectories stay in each state: the lengths of every complete stay (a run of consecutive frames in one
 * state with a different state before and after it; stays cut by the start or end of a trajectory are left out, as
 * their length is unknown), in frames of the reference. A generator that learned the slow kinetics stays as long as
 * the reference; one that "flickers" into a state and out again makes many one-frame stays.
 */
public final class DwellDistribution {
    private final int[][] lengths;

    private DwellDistribution(int[][] lengths) {
        this.lengths = lengths;
    }

    /** @param step reference frames per frame of these trajectories */
    public static DwellDistribution of(List<StateSequence> sequences, int step) {
        int n = Checks.numberOfStates(sequences);
        int[][] out = new int[n][];
        int[] used = new int[n];
        for (int s = 0; s < n; s++) {
            out[s] = new int[16];
        }
        for (StateSequence seq : sequences) {
            int[] x = seq.toArray();
            int i = 0;
            while (i < x.length) {
                int j = i + 1;
                while (j < x.length && x[j] == x[i]) {
                    j++;
                }
                if (i > 0 && j < x.length) {
                    int s = x[i];
                    if (used[s] == out[s].length) {
                        out[s] = Arrays.copyOf(out[s], 2 * out[s].length);
                    }
                    out[s][used[s]++] = (j - i) * step;
                }
                i = j;
            }
        }
        for (int s = 0; s < n; s++) {
            out[s] = Arrays.copyOf(out[s], used[s]);
            Arrays.sort(out[s]);
        }
        return new DwellDistribution(out);
    }

    public int numberOfStates() {
        return lengths.length;
    }

    /** Complete stays in the state. */
    public int stays(int state) {
        return lengths[state].length;
    }

    /** Lengths of the complete stays in the state, in reference frames, ascending. */
    public int[] lengths(int state) {
        return lengths[state].clone();
    }

    /** Mean length of a complete stay in reference frames; NaN without one. */
    public double mean(int state) {
        return lengths[state].length == 0 ? Double.NaN : Arrays.stream(lengths[state]).asLongStream().sum()
                / (double) lengths[state].length;
    }

    /** Fraction of the complete stays that last at most {@code frames} reference frames; NaN without one. */
    public double fractionAtMost(int state, int frames) {
        int[] l = lengths[state];
        if (l.length == 0) {
            return Double.NaN;
        }
        int lo = 0, hi = l.length; // first index with a length above frames
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (l[mid] <= frames) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo / (double) l.length;
    }

    /**
     * Two-sample Kolmogorov-Smirnov test of this state's stays against another distribution's: the largest distance
     * between the two empirical distribution functions, and its p-value (asymptotic, or exact for small samples).
     * Dwell times are whole numbers of frames with many ties, which makes the p-value conservative.
     *
     * @return {statistic, p-value}; NaN for both when either side has no complete stay
     */
    public double[] kolmogorovSmirnov(int state, DwellDistribution other) {
        int[] a = lengths[state], b = other.lengths[state];
        if (a.length == 0 || b.length == 0) {
            return new double[] { Double.NaN, Double.NaN };
        }
        double d = 0;
        int i = 0, j = 0;
        while (i < a.length || j < b.length) {
            int v = Math.min(i < a.length ? a[i] : Integer.MAX_VALUE, j < b.length ? b[j] : Integer.MAX_VALUE);
            while (i < a.length && a[i] == v) {
                i++;
            }
            while (j < b.length && b[j] == v) {
                j++;
            }
            d = Math.max(d, Math.abs(i / (double) a.length - j / (double) b.length));
        }
        KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
        double p = (long) a.length * b.length < 10_000 ? ks.exactP(d, a.length, b.length, true)
                : ks.approximateP(d, a.length, b.length);
        return new double[] { d, p };
    }
}
