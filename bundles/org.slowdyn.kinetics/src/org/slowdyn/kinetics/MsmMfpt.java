package org.slowdyn.kinetics;

import java.util.List;
import java.util.SplittableRandom;

import org.slowdyn.core.data.StateSequence;

/**
 * Mean first-passage times between all pairs of states from a Markov model at one lag (linear solves), with bootstrap
 * standard errors over trajectories. In frames; NaN for states outside the model's connected set.
 */
public final class MsmMfpt {
    private final int lag;
    private final double[][] mfpt;
    private final double[][] errors;

    private MsmMfpt(int lag, double[][] mfpt, double[][] errors) {
        this.lag = lag;
        this.mfpt = mfpt;
        this.errors = errors;
    }

    public static MsmMfpt estimate(List<StateSequence> sequences, int lag, boolean reversible, int bootstrap,
            long seed) {
        int n = Checks.numberOfStates(sequences);
        CountBootstrap counts = new CountBootstrap(BootstrapUnits.of(sequences), lag, n);
        return withErrors(counts, matrix(counts.total(), lag, reversible, sequences.get(0)), lag, reversible,
                sequences.get(0), bootstrap, seed);
    }

    /**
     * MFPTs of a model already estimated from {@code sequences} (so that it is estimated once), with bootstrap errors
     * from models re-estimated on resampled counts at the same lag.
     */
    public static MsmMfpt of(MarkovStateModel model, List<StateSequence> sequences, int bootstrap, long seed) {
        int n = Checks.numberOfStates(sequences);
        CountBootstrap counts = new CountBootstrap(BootstrapUnits.of(sequences), model.lag(), n);
        return withErrors(counts, matrix(model, n), model.lag(), model.isReversible(), sequences.get(0), bootstrap,
                seed);
    }

    private static MsmMfpt withErrors(CountBootstrap counts, double[][] value, int lag, boolean reversible,
            StateSequence first, int bootstrap, long seed) {
        int n = value.length;
        double[][] err = new double[n][n];
        for (double[] row : err) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        if (bootstrap > 1) {
            SplittableRandom rng = new SplittableRandom(seed);
            double[][][] samples = new double[bootstrap][][];
            for (int r = 0; r < bootstrap; r++) {
                samples[r] = matrix(counts.resample(rng), lag, reversible, first);
            }
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    final int fa = a, fb = b;
                    err[a][b] = a == b ? 0 : Statistics.standardDeviation(r -> samples[r][fa][fb], bootstrap);
                }
            }
        }
        return new MsmMfpt(lag, value, err);
    }

    private static double[][] matrix(long[][] counts, int lag, boolean reversible, StateSequence s) {
        int n = counts.length;
        double[][] m = new double[n][n];
        for (double[] row : m) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        try {
            return matrix(MsmEstimator.fromCounts(counts, lag, reversible, s.frameInterval(), s.timeUnit()), n);
        } catch (IllegalArgumentException e) {
            return m;
        }
    }

    private static double[][] matrix(MarkovStateModel msm, int n) {
        double[][] m = new double[n][n];
        for (double[] row : m) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        for (int b : msm.activeSet()) {
            double[] toB = msm.mfptToSet(new int[] { b });
            for (int a : msm.activeSet()) {
                m[a][b] = toB[msm.activeIndex(a)];
            }
        }
        return m;
    }

    public int lag() {
        return lag;
    }

    /** MFPT a -> b in frames. */
    public double mfpt(int a, int b) {
        return mfpt[a][b];
    }

    public double error(int a, int b) {
        return errors[a][b];
    }
}
