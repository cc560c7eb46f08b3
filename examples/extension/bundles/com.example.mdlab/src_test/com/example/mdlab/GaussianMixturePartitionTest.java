package com.example.mdlab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.junit.jupiter.api.Test;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Settings;

import com.fasterxml.jackson.databind.ObjectMapper;

/** EM against a mixture of known parameters, its monotone likelihood, the density by hand, and persistence. */
class GaussianMixturePartitionTest {
    /** Three 2D Gaussians: weights, means, and covariances (sxx, sxy, syy). */
    static final double[] W = { 0.5, 0.3, 0.2 };
    static final double[][] MU = { { -3, 0 }, { 3, 1 }, { 0, 5 } };
    static final double[][] COV = { { 1.0, 0.6, 0.8 }, { 0.5, -0.2, 1.2 }, { 0.7, 0.0, 0.4 } };

    /** Samples n points per trajectory, 10 trajectories; labels[t][i] is the true component. */
    static List<FeatureSeries> sample(int n, long seed, int[][] labels) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<FeatureSeries> data = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            double[] v = new double[2 * n];
            for (int i = 0; i < n; i++) {
                double u = rng.nextDouble();
                int c = u < W[0] ? 0 : u < W[0] + W[1] ? 1 : 2;
                // x = mu + L z with L the Cholesky factor of the 2x2 covariance
                double l11 = Math.sqrt(COV[c][0]), l21 = COV[c][1] / l11, l22 = Math.sqrt(COV[c][2] - l21 * l21);
                double z1 = gaussian(rng), z2 = gaussian(rng);
                v[2 * i] = MU[c][0] + l11 * z1;
                v[2 * i + 1] = MU[c][1] + l21 * z1 + l22 * z2;
                labels[t][i] = c;
            }
            data.add(FeatureSeries.wrap(v, List.of("x", "y"), 1, "ps", "walker " + t));
        }
        return data;
    }

    static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    static Settings settings(String json) throws Exception {
        return GaussianMixturePartition.SCHEMA.fromJson(new ObjectMapper().readTree(json), "test");
    }

    /** The component of the fit nearest to each true mean. */
    static int[] match(GaussianMixturePartition.Fitted f) {
        int[] m = new int[3];
        for (int c = 0; c < 3; c++) {
            double best = Double.POSITIVE_INFINITY;
            for (int k = 0; k < 3; k++) {
                double[] mu = f.mean(k);
                double d = Math.hypot(mu[0] - MU[c][0], mu[1] - MU[c][1]);
                if (d < best) {
                    best = d;
                    m[c] = k;
                }
            }
        }
        return m;
    }

    @Test
    void recoversTheParametersOfAKnownMixtureAndLabelsItsFrames() throws Exception {
        int n = 3000;
        int[][] labels = new int[10][n];
        List<FeatureSeries> data = sample(n, 11, labels);
        GaussianMixturePartition.Fitted f = new GaussianMixturePartition().fit(data,
                settings("{\"components\": 3, \"seed\": 4}"), new NullProgressMonitor());
        int[] m = match(f);
        assertEquals(3, java.util.Arrays.stream(m).distinct().count(), "each true component has its own fit");
        // 30,000 points: standard errors of the weights ~0.003, of the means ~0.01-0.02, of the covariances ~0.01-0.03
        for (int c = 0; c < 3; c++) {
            assertEquals(W[c], f.weight(m[c]), 0.015, "weight " + c);
            assertArrayEquals(MU[c], f.mean(m[c]), 0.06, "mean " + c);
            double[][] s = f.covariance(m[c]);
            assertEquals(COV[c][0], s[0][0], 0.08, "sxx " + c);
            assertEquals(COV[c][1], s[0][1], 0.08, "sxy " + c);
            assertEquals(COV[c][2], s[1][1], 0.08, "syy " + c);
        }
        int correct = 0, total = 0;
        for (int t = 0; t < data.size(); t++) {
            int[] s = f.assign(data.get(t)).toArray();
            for (int i = 0; i < n; i++) {
                correct += s[i] == m[labels[t][i]] ? 1 : 0;
                total++;
            }
        }
        // the components overlap little: the Bayes error of this mixture is below 1%
        assertTrue(correct > 0.98 * total, correct + " of " + total);
        assertTrue(f.notes().get(0).contains("converged after"), f.notes().toString());
    }

    @Test
    void emNeverLowersTheLikelihood() throws Exception {
        int[][] labels = new int[10][500];
        GaussianMixturePartition.Fitted f = new GaussianMixturePartition().fit(sample(500, 3, labels),
                settings("{\"components\": 5, \"seed\": 9, \"tolerance\": 0}"), null);
        List<Double> trace = f.logLikelihoodTrace();
        assertEquals(300, trace.size(), "tolerance 0 runs every iteration");
        for (int i = 1; i < trace.size(); i++) {
            assertTrue(trace.get(i) >= trace.get(i - 1) - 1e-12 * Math.abs(trace.get(i - 1)),
                    "iteration " + i + ": " + trace.get(i - 1) + " -> " + trace.get(i));
        }
    }

    /** log p(x) through the Cholesky factors equals the 2x2 formula with the explicit inverse and determinant. */
    @Test
    void densityEqualsTheClosedForm() throws Exception {
        int[][] labels = new int[10][300];
        GaussianMixturePartition.Fitted f = new GaussianMixturePartition().fit(sample(300, 5, labels),
                settings("{\"components\": 3}"), null);
        double[][] points = { { 0, 0 }, { -3.2, 0.4 }, { 2, 2 }, { 10, -7 } };
        for (double[] x : points) {
            double p = 0;
            for (int k = 0; k < 3; k++) {
                double[][] s = f.covariance(k);
                double det = s[0][0] * s[1][1] - s[0][1] * s[1][0];
                double dx = x[0] - f.mean(k)[0], dy = x[1] - f.mean(k)[1];
                double q = (s[1][1] * dx * dx - 2 * s[0][1] * dx * dy + s[0][0] * dy * dy) / det;
                p += f.weight(k) * Math.exp(-0.5 * q) / (2 * Math.PI * Math.sqrt(det));
            }
            assertEquals(Math.log(p), f.logDensity(x), 1e-9 * Math.max(1, Math.abs(Math.log(p))));
        }
        // memberships are posteriors: rows sum to one and pick the assigned state
        FeatureSeries probe = new FeatureSeries(new double[] { -3, 0, 3, 1, 0, 5 }, List.of("x", "y"), 1, "ps", "p");
        double[][] chi = f.memberships(probe);
        int[] s = f.assign(probe).toArray();
        for (int i = 0; i < 3; i++) {
            assertEquals(1.0, chi[i][0] + chi[i][1] + chi[i][2], 1e-12);
            assertTrue(chi[i][s[i]] > 0.99, java.util.Arrays.toString(chi[i]));
        }
    }

    @Test
    void savedAndLoadedItAssignsTheSameAndDiagonalCovarianceStaysDiagonal() throws Exception {
        int[][] labels = new int[10][400];
        List<FeatureSeries> data = sample(400, 8, labels);
        GaussianMixturePartition.Fitted f = new GaussianMixturePartition().fit(data,
                settings("{\"components\": 3, \"covariance\": \"diagonal\"}"), null);
        for (int k = 0; k < 3; k++) {
            assertEquals(0.0, f.covariance(k)[0][1]);
        }
        GaussianMixturePartition.Fitted g = new GaussianMixturePartition()
                .load(new ObjectMapper().readTree(f.toJson().toString()));
        for (FeatureSeries s : data) {
            assertArrayEquals(f.assign(s).toArray(), g.assign(s).toArray());
        }
        assertEquals(f.stateLabels(), g.stateLabels());
    }

    @Test
    void cancellationStopsTheFitAndBadSettingsAreNamed() throws Exception {
        int[][] labels = new int[10][100];
        List<FeatureSeries> data = sample(100, 1, labels);
        NullProgressMonitor cancelled = new NullProgressMonitor();
        cancelled.setCanceled(true);
        assertThrows(OperationCanceledException.class,
                () -> new GaussianMixturePartition().fit(data, settings("{\"components\": 3}"), cancelled));
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> new GaussianMixturePartition().fit(data, settings("{\"components\": 5000}"), null));
        assertEquals("components", e.field());
        e = assertThrows(InvalidSettingException.class, () -> settings("{\"covariance\": \"spherical\"}"));
        assertEquals("covariance", e.field());
    }
}
