package org.slowdyn.kinetics;

import java.util.List;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.slowdyn.core.data.StateSequence;

/**
 * Estimates a Markov state model from state sequences: transition counts at a lag with a sliding window (within each
 * trajectory), restricted to the largest strongly connected set, then either the reversible maximum-likelihood
 * transition matrix (fixed-point iteration of Bowman et al. 2009 / Prinz et al. 2011, which enforces detailed
 * balance) or the non-reversible one (row-normalised counts).
 */
public final class MsmEstimator {
    /** Convergence of the reversible fixed point: largest change of the stationary distribution per iteration. */
    public static final double TOLERANCE = 1e-12;
    public static final int MAX_ITERATIONS = 1_000_000;

    private MsmEstimator() {
    }

    public static MarkovStateModel estimate(List<StateSequence> sequences, int lag, boolean reversible) {
        long[][] counts = TransitionCounts.count(sequences, lag);
        StateSequence first = sequences.get(0);
        return fromCounts(counts, lag, reversible, first.frameInterval(), first.timeUnit());
    }

    /**
     * @throws IllegalArgumentException if there are no transitions at this lag
     */
    public static MarkovStateModel fromCounts(long[][] counts, int lag, boolean reversible, double frameInterval,
            String timeUnit) {
        long total = 0;
        for (long[] row : counts) {
            for (long v : row) {
                total += v;
            }
        }
        if (total == 0) {
            throw new IllegalArgumentException("no transitions at lag " + lag
                    + " frames: the trajectories are shorter than the lag");
        }
        int[] active = ConnectedSets.largest(counts);
        int m = active.length;
        double[][] c = new double[m][m];
        long[][] activeCounts = new long[m][m];
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                activeCounts[a][b] = counts[active[a]][active[b]];
                c[a][b] = activeCounts[a][b];
            }
        }
        double[][] t;
        double[] pi;
        if (m == 1) {
            t = new double[][] { { 1.0 } };
            pi = new double[] { 1.0 };
        } else if (reversible) {
            pi = new double[m];
            t = reversibleMaximumLikelihood(c, pi);
        } else {
            t = new double[m][m];
            for (int a = 0; a < m; a++) {
                double rowSum = 0;
                for (double v : c[a]) {
                    rowSum += v;
                }
                for (int b = 0; b < m; b++) {
                    t[a][b] = c[a][b] / rowSum;
                }
            }
            pi = stationaryDistribution(t);
        }
        return new MarkovStateModel(counts.length, active, t, pi, activeCounts, lag, frameInterval, timeUnit,
                reversible);
    }

    /**
     * Reversible maximum-likelihood transition matrix of a strongly connected count matrix. Iterates
     * pi_i <- sum_j (c_ij + c_ji) / (c_i / pi_i + c_j / pi_j) (with c_i the row sums), normalised, until the largest
     * change is below {@link #TOLERANCE}; then T_ij is proportional to (c_ij + c_ji) / (c_i / pi_i + c_j / pi_j).
     *
     * @param piOut receives the stationary distribution
     */
    static double[][] reversibleMaximumLikelihood(double[][] c, double[] piOut) {
        int m = c.length;
        double[] rowSum = new double[m];
        double[][] sym = new double[m][m];
        double total = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                rowSum[i] += c[i][j];
                sym[i][j] = c[i][j] + c[j][i];
                total += c[i][j];
            }
        }
        double[] pi = new double[m];
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int j = 0; j < m; j++) {
                s += sym[i][j];
            }
            pi[i] = s / (2 * total);
        }
        // the pairs with sym > 0 by row, in column order, and r_j = c_j / pi_j once per iteration (not once per pair):
        // the same operations on the same values in the same order as the formula above, so the same bits, and a
        // 100-state partition's sparse counts cost a fraction of the dense loop
        int[][] nonzero = new int[m][];
        double[][] symNonzero = new double[m][];
        for (int i = 0; i < m; i++) {
            int k = 0;
            for (int j = 0; j < m; j++) {
                if (sym[i][j] > 0) {
                    k++;
                }
            }
            nonzero[i] = new int[k];
            symNonzero[i] = new double[k];
            k = 0;
            for (int j = 0; j < m; j++) {
                if (sym[i][j] > 0) {
                    nonzero[i][k] = j;
                    symNonzero[i][k++] = sym[i][j];
                }
            }
        }
        double[] next = new double[m];
        double[] r = new double[m];
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            for (int j = 0; j < m; j++) {
                r[j] = rowSum[j] / pi[j];
            }
            double norm = 0;
            for (int i = 0; i < m; i++) {
                double s = 0;
                double ri = r[i];
                int[] js = nonzero[i];
                double[] v = symNonzero[i];
                for (int k = 0; k < js.length; k++) {
                    s += v[k] / (ri + r[js[k]]);
                }
                next[i] = s;
                norm += s;
            }
            double change = 0;
            for (int i = 0; i < m; i++) {
                next[i] /= norm;
                change = Math.max(change, Math.abs(next[i] - pi[i]));
            }
            double[] swap = pi;
            pi = next;
            next = swap;
            if (change < TOLERANCE) {
                break;
            }
        }
        double[][] t = new double[m][m];
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int j = 0; j < m; j++) {
                if (sym[i][j] > 0) {
                    t[i][j] = sym[i][j] / (rowSum[i] / pi[i] + rowSum[j] / pi[j]);
                    s += t[i][j];
                }
            }
            for (int j = 0; j < m; j++) {
                t[i][j] /= s;
            }
        }
        System.arraycopy(pi, 0, piOut, 0, m);
        return t;
    }

    /** Stationary distribution of an irreducible transition matrix: solves pi (T - I) = 0 with sum(pi) = 1. */
    static double[] stationaryDistribution(double[][] t) {
        int m = t.length;
        RealMatrix a = new Array2DRowRealMatrix(m, m);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                a.setEntry(j, i, t[i][j] - (i == j ? 1 : 0));
            }
        }
        for (int i = 0; i < m; i++) {
            a.setEntry(m - 1, i, 1.0);
        }
        double[] rhs = new double[m];
        rhs[m - 1] = 1;
        double[] pi = new LUDecomposition(a).getSolver().solve(new ArrayRealVector(rhs)).toArray();
        double sum = 0;
        for (int i = 0; i < m; i++) {
            pi[i] = Math.max(pi[i], 0);
            sum += pi[i];
        }
        for (int i = 0; i < m; i++) {
            pi[i] /= sum;
        }
        return pi;
    }
}
