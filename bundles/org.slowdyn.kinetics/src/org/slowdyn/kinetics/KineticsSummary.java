package org.slowdyn.kinetics;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.slowdyn.core.data.StateSequence;

/**
 * Populations and direct mean first-passage times of a set of trajectories, with standard errors from a bootstrap
 * over trajectories (see {@link BootstrapUnits}: groups of trajectories, or blocks when there are fewer than 10).
 * Times are in frames; multiply by {@link #frameInterval()} for {@link #timeUnit()}.
 */
public final class KineticsSummary {

    private final int n;
    private final int trajectories;
    private final long frames;
    private final double frameInterval;
    private final String timeUnit;
    private final double[] populations;
    private final double[] populationErrors;
    private final double[][] mfpt;
    private final double[][] mfptErrors;
    private final long[][] passages;
    private final long[][] counts;

    private KineticsSummary(int n, int trajectories, long frames, double frameInterval, String timeUnit,
            double[] populations, double[] populationErrors, double[][] mfpt, double[][] mfptErrors, long[][] passages,
            long[][] counts) {
        this.n = n;
        this.trajectories = trajectories;
        this.frames = frames;
        this.frameInterval = frameInterval;
        this.timeUnit = timeUnit;
        this.populations = populations;
        this.populationErrors = populationErrors;
        this.mfpt = mfpt;
        this.mfptErrors = mfptErrors;
        this.passages = passages;
        this.counts = counts;
    }

    /**
     * @param bootstrapSamples resamples for the standard errors (0 skips them: errors are NaN)
     * @param seed             seed of the resampling
     */
    public static KineticsSummary of(List<StateSequence> sequences, int bootstrapSamples, long seed) {
        int n = Checks.numberOfStates(sequences);
        List<TrajectoryStatistics> whole = new ArrayList<>();
        for (StateSequence s : sequences) {
            whole.add(TrajectoryStatistics.of(s));
        }
        List<TrajectoryStatistics> units = new ArrayList<>();
        for (List<StateSequence> unit : BootstrapUnits.of(sequences)) {
            List<TrajectoryStatistics> parts = new ArrayList<>();
            for (StateSequence s : unit) {
                parts.add(TrajectoryStatistics.of(s));
            }
            units.add(TrajectoryStatistics.sum(parts));
        }
        TrajectoryStatistics total = TrajectoryStatistics.sum(whole);
        double[] pop = new double[n];
        double[][] mfpt = new double[n][n];
        long[][] passages = new long[n][n];
        for (int a = 0; a < n; a++) {
            pop[a] = total.population(a);
            for (int b = 0; b < n; b++) {
                mfpt[a][b] = a == b ? 0 : total.meanFirstPassage(a, b);
                passages[a][b] = a == b ? 0 : total.completedPassages(a, b);
            }
        }
        double[] popErr = new double[n];
        double[][] mfptErr = new double[n][n];
        java.util.Arrays.fill(popErr, Double.NaN);
        for (double[] row : mfptErr) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        if (bootstrapSamples > 1) {
            SplittableRandom rng = new SplittableRandom(seed);
            double[][] popSamples = new double[bootstrapSamples][];
            double[][][] mfptSamples = new double[bootstrapSamples][n][n];
            List<TrajectoryStatistics> resample = new ArrayList<>(units.size());
            for (int r = 0; r < bootstrapSamples; r++) {
                resample.clear();
                for (int u = 0; u < units.size(); u++) {
                    resample.add(units.get(rng.nextInt(units.size())));
                }
                TrajectoryStatistics t = TrajectoryStatistics.sum(resample);
                popSamples[r] = new double[n];
                for (int a = 0; a < n; a++) {
                    popSamples[r][a] = t.population(a);
                    for (int b = 0; b < n; b++) {
                        mfptSamples[r][a][b] = a == b ? 0 : t.meanFirstPassage(a, b);
                    }
                }
            }
            for (int a = 0; a < n; a++) {
                final int fa = a;
                popErr[a] = Statistics.standardDeviation(r -> popSamples[r][fa], bootstrapSamples);
                for (int b = 0; b < n; b++) {
                    final int fb = b;
                    mfptErr[a][b] = a == b ? 0 : Statistics.standardDeviation(r -> mfptSamples[r][fa][fb],
                            bootstrapSamples);
                }
            }
        }
        StateSequence first = sequences.get(0);
        return new KineticsSummary(n, sequences.size(), total.frames(), first.frameInterval(), first.timeUnit(), pop,
                popErr, mfpt, mfptErr, passages, TransitionCounts.count(sequences, 1));
    }

    public int numberOfStates() {
        return n;
    }

    public int trajectories() {
        return trajectories;
    }

    public long frames() {
        return frames;
    }

    public double frameInterval() {
        return frameInterval;
    }

    public String timeUnit() {
        return timeUnit;
    }

    public double population(int state) {
        return populations[state];
    }

    public double populationError(int state) {
        return populationErrors[state];
    }

    /** Direct MFPT a -> b in frames (rate estimate, see {@link TrajectoryStatistics#meanFirstPassage}). */
    public double mfpt(int a, int b) {
        return mfpt[a][b];
    }

    public double mfptError(int a, int b) {
        return mfptErrors[a][b];
    }

    public long passages(int a, int b) {
        return passages[a][b];
    }

    /** Transition counts at lag 1 frame. */
    public long count(int a, int b) {
        return counts[a][b];
    }
}
