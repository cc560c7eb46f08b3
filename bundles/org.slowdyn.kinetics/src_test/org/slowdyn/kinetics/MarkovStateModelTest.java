package org.slowdyn.kinetics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.junit.jupiter.api.Test;
import org.slowdyn.core.data.StateSequence;

class MarkovStateModelTest {
    /** Counts proportional to pi_i T_ij (the expected counts of a long stationary trajectory), scaled and rounded. */
    static long[][] expectedCounts(double[][] t, double[] pi, double total) {
        long[][] c = new long[t.length][t.length];
        for (int i = 0; i < t.length; i++) {
            for (int j = 0; j < t.length; j++) {
                c[i][j] = Math.round(total * pi[i] * t[i][j]);
            }
        }
        return c;
    }

    static int[] simulate(double[][] t, int length, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] s = new int[length];
        for (int i = 1; i < length; i++) {
            double u = rng.nextDouble(), acc = 0;
            int next = t.length - 1;
            for (int j = 0; j < t.length; j++) {
                acc += t[s[i - 1]][j];
                if (u < acc) {
                    next = j;
                    break;
                }
            }
            s[i] = next;
        }
        return s;
    }

    @Test
    void twoStateChainHasClosedFormTimescaleMfptAndStationaryDistribution() {
        double a = 0.01, b = 0.03;
        double[][] t = { { 1 - a, a }, { b, 1 - b } };
        double[] pi = { b / (a + b), a / (a + b) };
        for (boolean reversible : new boolean[] { true, false }) {
            MarkovStateModel m = MsmEstimator.fromCounts(expectedCounts(t, pi, 1e12), 5, reversible, 0.5, "ps");
            // a lag-5 model built from lag-1 probabilities: each model step is 5 frames
            assertArrayEquals(pi, m.stationaryDistribution(), 1e-9);
            assertEquals(-5 / Math.log(1 - a - b), m.timescales(1)[0], 1e-6);
            assertEquals(5 / a, m.mfpt(0, 1), 1e-6);
            assertEquals(5 / b, m.mfpt(1, 0), 1e-6);
            assertEquals(1 - a - b, m.eigenvalues()[1], 1e-9);
        }
    }

    /**
     * Birth-death chain on 0..N-1 with up probability p_i and down probability q_i: the expected time to step from i
     * to i+1 is h_i = (1 + q_i h_{i-1}) / p_i (h_0 = 1 / p_0), so MFPT(0 -> N-1) = sum of h_i; the committor to N-1
     * against 0 is q_i = sum_{k<i} rho_k / sum_{k<N-1} rho_k with rho_k = prod_{j=1..k} q_j / p_j.
     */
    @Test
    void birthDeathChainMatchesItsRecursions() {
        int n = 8;
        double[] up = new double[n], down = new double[n];
        double[][] t = new double[n][n];
        for (int i = 0; i < n; i++) {
            up[i] = i < n - 1 ? 0.1 + 0.03 * i : 0;
            down[i] = i > 0 ? 0.25 - 0.01 * i : 0;
            if (i < n - 1) {
                t[i][i + 1] = up[i];
            }
            if (i > 0) {
                t[i][i - 1] = down[i];
            }
            t[i][i] = 1 - up[i] - down[i];
        }
        // stationary distribution of a birth-death chain: pi_{i+1} / pi_i = p_i / q_{i+1}
        double[] pi = new double[n];
        pi[0] = 1;
        double z = 1;
        for (int i = 0; i < n - 1; i++) {
            pi[i + 1] = pi[i] * up[i] / down[i + 1];
            z += pi[i + 1];
        }
        for (int i = 0; i < n; i++) {
            pi[i] /= z;
        }
        MarkovStateModel m = MsmEstimator.fromCounts(expectedCounts(t, pi, 1e13), 1, true, 1, "ps");
        assertArrayEquals(pi, m.stationaryDistribution(), 1e-8);
        double h = 1 / up[0], mfpt = h;
        for (int i = 1; i < n - 1; i++) {
            h = (1 + down[i] * h) / up[i];
            mfpt += h;
        }
        assertEquals(mfpt, m.mfpt(0, n - 1), 1e-5 * mfpt);

        double[] rho = new double[n];
        rho[0] = 1;
        for (int k = 1; k < n; k++) {
            rho[k] = rho[k - 1] * down[k] / up[k];
        }
        double denominator = 0;
        for (int k = 0; k < n - 1; k++) {
            denominator += rho[k];
        }
        double[] q = m.forwardCommittor(new int[] { 0 }, new int[] { n - 1 });
        double[] qBack = m.backwardCommittor(new int[] { 0 }, new int[] { n - 1 });
        double partial = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(partial / denominator, q[i], 1e-7, "committor at " + i);
            assertEquals(1 - q[i], qBack[i], 1e-7, "a reversible chain's backward committor is 1 - forward");
            if (i < n - 1) {
                partial += rho[i];
            }
        }
    }

    @Test
    void reversibleEstimateObeysDetailedBalanceAndMatchesSymmetricCounts() {
        // counts of a non-reversible 3-cycle with noise
        long[][] c = { { 500, 300, 10 }, { 20, 400, 250 }, { 280, 15, 600 } };
        MarkovStateModel rev = MsmEstimator.fromCounts(c, 1, true, 1, "ps");
        double[][] t = rev.transitionMatrix();
        double[] pi = rev.stationaryDistribution();
        for (int i = 0; i < 3; i++) {
            assertEquals(1.0, t[i][0] + t[i][1] + t[i][2], 1e-12);
            for (int j = 0; j < 3; j++) {
                assertEquals(pi[i] * t[i][j], pi[j] * t[j][i], 1e-10, "detailed balance " + i + "," + j);
            }
        }
        // the reversible likelihood is maximal: any small reversible perturbation lowers it
        double best = logLikelihood(c, t);
        for (double eps : new double[] { 1e-3, -1e-3 }) {
            double[][] p = rev.transitionMatrix();
            // move flux eps between 0 and 1 keeping detailed balance and row sums
            p[0][1] += eps / pi[0];
            p[0][0] -= eps / pi[0];
            p[1][0] += eps / pi[1];
            p[1][1] -= eps / pi[1];
            assertTrue(logLikelihood(c, p) < best);
        }
        // for symmetric counts the reversible estimate is the row-normalised count matrix
        long[][] sym = { { 50, 20, 5 }, { 20, 80, 10 }, { 5, 10, 30 } };
        double[][] ts = MsmEstimator.fromCounts(sym, 1, true, 1, "ps").transitionMatrix();
        for (int i = 0; i < 3; i++) {
            double row = sym[i][0] + sym[i][1] + sym[i][2];
            for (int j = 0; j < 3; j++) {
                assertEquals(sym[i][j] / row, ts[i][j], 1e-10);
            }
        }
    }

    @Test
    void reversibleFixedPointOnSparseCountsGivesTheBitsOfTheDenseFormula() {
        // 100 states in 4 metastable blocks, each state linked to a few neighbours: counts as sparse as a 100-state
        // partition's. The estimator iterates over the non-zero pairs only; its transition matrix and stationary
        // distribution must be those of the defining formula iterated densely, to the last bit, so that studies
        // computed before and after give the same numbers
        SplittableRandom rng = new SplittableRandom(11);
        for (int m : new int[] { 2, 7, 100 }) {
            double[][] c = new double[m][m];
            for (int i = 0; i < m; i++) {
                c[i][i] = 1 + rng.nextInt(5000);
                int next = (i + 1) % m;
                boolean acrossBlocks = m > 4 && next % (m / 4) == 0;
                c[i][next] = acrossBlocks ? 1 + rng.nextInt(3) : 1 + rng.nextInt(400);
                c[next][i] = acrossBlocks ? rng.nextInt(3) : rng.nextInt(400);
                if (m > 10 && rng.nextInt(3) == 0) {
                    c[i][rng.nextInt(m)] += rng.nextInt(50);
                }
            }
            double[] pi = new double[m], piDense = new double[m];
            double[][] t = MsmEstimator.reversibleMaximumLikelihood(c, pi);
            double[][] dense = denseReversibleMaximumLikelihood(c, piDense);
            assertArrayEquals(piDense, pi, 0.0, m + " states");
            for (int i = 0; i < m; i++) {
                assertArrayEquals(dense[i], t[i], 0.0, m + " states, row " + i);
            }
        }
    }

    /** The reversible fixed point as its formula reads, over every pair (the estimator before it skipped zeros). */
    private static double[][] denseReversibleMaximumLikelihood(double[][] c, double[] piOut) {
        int m = c.length;
        double[] rowSum = new double[m];
        double total = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                rowSum[i] += c[i][j];
                total += c[i][j];
            }
        }
        double[] pi = new double[m];
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int j = 0; j < m; j++) {
                s += c[i][j] + c[j][i];
            }
            pi[i] = s / (2 * total);
        }
        for (int iteration = 0; iteration < MsmEstimator.MAX_ITERATIONS; iteration++) {
            double[] next = new double[m];
            double norm = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    if (c[i][j] + c[j][i] > 0) {
                        next[i] += (c[i][j] + c[j][i]) / (rowSum[i] / pi[i] + rowSum[j] / pi[j]);
                    }
                }
                norm += next[i];
            }
            double change = 0;
            for (int i = 0; i < m; i++) {
                next[i] /= norm;
                change = Math.max(change, Math.abs(next[i] - pi[i]));
            }
            pi = next;
            if (change < MsmEstimator.TOLERANCE) {
                break;
            }
        }
        double[][] t = new double[m][m];
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int j = 0; j < m; j++) {
                if (c[i][j] + c[j][i] > 0) {
                    t[i][j] = (c[i][j] + c[j][i]) / (rowSum[i] / pi[i] + rowSum[j] / pi[j]);
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

    private static double logLikelihood(long[][] c, double[][] t) {
        double l = 0;
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c.length; j++) {
                l += c[i][j] * Math.log(t[i][j]);
            }
        }
        return l;
    }

    @Test
    void stationaryDistributionEqualsTheLeftEigenvectorOfEigenvalueOne() {
        long[][] c = { { 500, 300, 10 }, { 20, 400, 250 }, { 280, 15, 600 } };
        MarkovStateModel m = MsmEstimator.fromCounts(c, 1, false, 1, "ps");
        double[][] t = m.transitionMatrix();
        EigenDecomposition e = new EigenDecomposition(new Array2DRowRealMatrix(t).transpose());
        int one = 0;
        for (int k = 0; k < 3; k++) {
            if (Math.abs(e.getRealEigenvalue(k) - 1) < Math.abs(e.getRealEigenvalue(one) - 1)) {
                one = k;
            }
        }
        double[] v = e.getEigenvector(one).toArray();
        double sum = v[0] + v[1] + v[2];
        double[] pi = m.stationaryDistribution();
        for (int i = 0; i < 3; i++) {
            assertEquals(v[i] / sum, pi[i], 1e-10);
        }
    }

    @Test
    void modelLivesOnTheLargestStronglyConnectedSet() {
        // states 0-1-2 connected; 3 only entered (from 2), never left; 4 never visited; 5<->6 a separate pair
        long[][] c = new long[7][7];
        c[0][1] = 5;
        c[1][0] = 4;
        c[1][2] = 3;
        c[2][1] = 3;
        c[2][3] = 1;
        c[5][6] = 2;
        c[6][5] = 2;
        assertArrayEquals(new int[] { 0, 1, 2 }, ConnectedSets.largest(c));
        assertEquals(4, ConnectedSets.stronglyConnected(c).size()); // {0,1,2}, {3}, {4}, {5,6}
        MarkovStateModel m = MsmEstimator.fromCounts(c, 1, true, 1, "ps");
        assertTrue(m.isActive(1));
        assertFalse(m.isActive(3));
        assertEquals(0.0, m.stationaryDistributionFull()[4]);
        assertThrows(IllegalArgumentException.class, () -> m.mfpt(0, 3));
    }

    /** Three blocks of three states, fast inside a block and rare between blocks. */
    static double[][] blockMatrix() {
        double[][] t = new double[9][9];
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < 9; j++) {
                t[i][j] = i / 3 == j / 3 ? 1.0 : 0.002 * (1 + (i + 2 * j) % 3);
            }
            double s = 0;
            for (double v : t[i]) {
                s += v;
            }
            for (int j = 0; j < 9; j++) {
                t[i][j] /= s;
            }
        }
        return t;
    }

    @Test
    void pccaFindsTheBlocksOfABlockStructuredChain() {
        double[][] t = blockMatrix();
        List<StateSequence> trajs = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            trajs.add(StateSequence.wrap(simulate(t, 200_000, 7 + k), 9, 1, "ps", "block " + k));
        }
        MarkovStateModel m = MsmEstimator.estimate(trajs, 1, true);
        Pcca p = Pcca.of(m, 3);
        int[] crisp = p.crispAssignment();
        for (int block = 0; block < 3; block++) {
            assertEquals(crisp[3 * block], crisp[3 * block + 1]);
            assertEquals(crisp[3 * block], crisp[3 * block + 2]);
        }
        assertTrue(crisp[0] != crisp[3] && crisp[3] != crisp[6] && crisp[0] != crisp[6]);
        double[][] chi = p.memberships();
        for (double[] row : chi) {
            double max = Math.max(row[0], Math.max(row[1], row[2]));
            assertTrue(max > 0.9, "memberships of a clearly blocked chain are nearly crisp: " + max);
            assertEquals(1.0, row[0] + row[1] + row[2], 1e-12);
        }
        double[][] coarse = p.coarseTransitionMatrix();
        for (int a = 0; a < 3; a++) {
            assertTrue(coarse[a][a] > 0.98, "metastable: " + coarse[a][a]);
            assertEquals(1.0, coarse[a][0] + coarse[a][1] + coarse[a][2], 1e-9);
        }
        assertTrue(p.warnings().isEmpty(), p.warnings().toString());
        // asking for more sets than the spectrum supports is reported
        Pcca four = Pcca.of(m, 4);
        assertFalse(four.warnings().isEmpty());
        // the Chapman-Kolmogorov test of a true Markov chain passes
        ChapmanKolmogorovTest ck = ChapmanKolmogorovTest.run(trajs, m, p.metastableSets(), new int[] { 1, 2, 5, 10 });
        assertTrue(ck.maxDeviation() < 0.01, "CK deviation " + ck.maxDeviation());
    }

    @Test
    void impliedTimescalesOfAMarkovChainAreFlatInLag() {
        double[][] t = blockMatrix();
        List<StateSequence> trajs = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            trajs.add(StateSequence.wrap(simulate(t, 50_000, 100 + k), 9, 1, "ps", "block " + k));
        }
        ImpliedTimescales its = ImpliedTimescales.estimate(trajs, new int[] { 1, 4, 16 }, 2, true, 30, 1, null);
        double[] exact = MsmEstimator.fromCounts(expectedCounts(t, MsmEstimator.stationaryDistribution(t), 1e12), 1,
                false, 1, "ps").timescales(2);
        for (int l = 0; l < 3; l++) {
            for (int k = 0; k < 2; k++) {
                double err = its.error(l, k);
                assertTrue(err > 0 && err < 0.2 * its.timescale(l, k), "bootstrap error " + err);
                assertEquals(exact[k], its.timescale(l, k), 4 * err + 0.01 * exact[k], "lag " + l + ", k " + k);
            }
        }
    }
}
