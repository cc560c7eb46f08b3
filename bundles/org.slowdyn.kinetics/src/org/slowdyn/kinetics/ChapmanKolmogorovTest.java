package org.slowdyn.kinetics;

import java.util.List;

import org.slowdyn.core.data.StateSequence;

/**
 * Chapman-Kolmogorov test on sets of states: the probability to be in set B after k lag times when starting in set A
 * (from the stationary distribution within A), predicted by the model at lag tau as T(tau)^k and estimated directly by
 * a model at lag k tau. For a Markovian model the two agree within statistical error.
 */
public final class ChapmanKolmogorovTest {
    private final int lag;
    private final int[] multiples;
    private final double[][][] predicted;
    private final double[][][] estimated;

    private ChapmanKolmogorovTest(int lag, int[] multiples, double[][][] predicted, double[][][] estimated) {
        this.lag = lag;
        this.multiples = multiples;
        this.predicted = predicted;
        this.estimated = estimated;
    }

    /**
     * @param sets      disjoint sets of full-space states (for example PCCA+ metastable sets)
     * @param multiples the k of k tau to test, e.g. 1 to 5
     */
    public static ChapmanKolmogorovTest run(List<StateSequence> sequences, MarkovStateModel model, List<int[]> sets,
            int[] multiples) {
        int m = sets.size();
        double[][][] predicted = new double[multiples.length][][];
        double[][][] estimated = new double[multiples.length][][];
        for (int x = 0; x < multiples.length; x++) {
            int k = multiples[x];
            predicted[x] = setProbabilities(model, sets, k);
            MarkovStateModel atK = MsmEstimator.estimate(sequences, model.lag() * k, model.isReversible());
            estimated[x] = setProbabilities(atK, sets, 1);
        }
        return new ChapmanKolmogorovTest(model.lag(), multiples.clone(), predicted, estimated);
    }

    /** p[A][B]: probability of being in B after {@code steps} model steps from the stationary distribution in A. */
    static double[][] setProbabilities(MarkovStateModel model, List<int[]> sets, int steps) {
        int m = sets.size();
        double[] pi = model.stationaryDistribution();
        int n = pi.length;
        double[][] p = new double[m][m];
        for (int a = 0; a < m; a++) {
            double[] start = new double[n];
            double mass = 0;
            for (int s : sets.get(a)) {
                int i = model.activeIndex(s);
                if (i >= 0) {
                    start[i] = pi[i];
                    mass += pi[i];
                }
            }
            if (mass == 0) {
                java.util.Arrays.fill(p[a], Double.NaN);
                continue;
            }
            for (int i = 0; i < n; i++) {
                start[i] /= mass;
            }
            double[] end = model.propagate(start, steps);
            for (int b = 0; b < m; b++) {
                for (int s : sets.get(b)) {
                    int i = model.activeIndex(s);
                    if (i >= 0) {
                        p[a][b] += end[i];
                    }
                }
            }
        }
        return p;
    }

    public int lag() {
        return lag;
    }

    public int[] multiples() {
        return multiples.clone();
    }

    /** Predicted p[A][B] at multiple index x. */
    public double predicted(int x, int a, int b) {
        return predicted[x][a][b];
    }

    public double estimated(int x, int a, int b) {
        return estimated[x][a][b];
    }

    /** Largest |predicted - estimated| over all sets and multiples. */
    public double maxDeviation() {
        double max = 0;
        for (int x = 0; x < multiples.length; x++) {
            for (int a = 0; a < predicted[x].length; a++) {
                for (int b = 0; b < predicted[x].length; b++) {
                    double d = Math.abs(predicted[x][a][b] - estimated[x][a][b]);
                    if (Double.isFinite(d)) {
                        max = Math.max(max, d);
                    }
                }
            }
        }
        return max;
    }
}
