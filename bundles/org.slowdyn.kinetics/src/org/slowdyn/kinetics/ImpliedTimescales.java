package org.slowdyn.kinetics;

import java.util.List;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.data.StateSequence;

/**
 * Implied timescales of Markov models estimated at a list of lag times, with bootstrap standard errors over
 * trajectories (see {@link BootstrapUnits}). A Markovian state decomposition gives timescales that do not change with
 * the lag. Times in frames.
 */
public final class ImpliedTimescales {
    private final int[] lags;
    private final double[][] timescales;
    private final double[][] errors;

    private ImpliedTimescales(int[] lags, double[][] timescales, double[][] errors) {
        this.lags = lags;
        this.timescales = timescales;
        this.errors = errors;
    }

    /**
     * @param count     timescales per lag (the slowest first)
     * @param bootstrap resamples (0: no errors, NaN)
     */
    public static ImpliedTimescales estimate(List<StateSequence> sequences, int[] lags, int count, boolean reversible,
            int bootstrap, long seed, IProgressMonitor monitor) {
        SubMonitor progress = SubMonitor.convert(monitor, "Implied timescales", lags.length * (1 + bootstrap));
        List<List<StateSequence>> units = BootstrapUnits.of(sequences);
        int n = sequences.get(0).numberOfStates();
        double[][] ts = new double[lags.length][];
        double[][] err = new double[lags.length][count];
        for (int l = 0; l < lags.length; l++) {
            CountBootstrap counts = new CountBootstrap(units, lags[l], n);
            ts[l] = timescalesOf(counts.total(), lags[l], count, reversible, sequences.get(0));
            progress.split(1);
            java.util.Arrays.fill(err[l], Double.NaN);
            if (bootstrap > 1) {
                SplittableRandom rng = new SplittableRandom(seed + 31L * l);
                double[][] samples = new double[bootstrap][];
                for (int r = 0; r < bootstrap; r++) {
                    samples[r] = timescalesOf(counts.resample(rng), lags[l], count, reversible, sequences.get(0));
                    progress.split(1);
                }
                for (int k = 0; k < count; k++) {
                    final int fk = k;
                    err[l][k] = Statistics.standardDeviation(r -> samples[r][fk], bootstrap);
                }
            }
        }
        return new ImpliedTimescales(lags.clone(), ts, err);
    }

    private static double[] timescalesOf(long[][] counts, int lag, int count, boolean reversible, StateSequence s) {
        try {
            return MsmEstimator.fromCounts(counts, lag, reversible, s.frameInterval(), s.timeUnit()).timescales(count);
        } catch (IllegalArgumentException e) {
            double[] nan = new double[count];
            java.util.Arrays.fill(nan, Double.NaN);
            return nan;
        }
    }

    public int[] lags() {
        return lags.clone();
    }

    /** Timescale k (0 = slowest) at lag index l, in frames. */
    public double timescale(int l, int k) {
        return timescales[l][k];
    }

    public double error(int l, int k) {
        return errors[l][k];
    }

    public int count() {
        return timescales.length == 0 ? 0 : timescales[0].length;
    }
}
