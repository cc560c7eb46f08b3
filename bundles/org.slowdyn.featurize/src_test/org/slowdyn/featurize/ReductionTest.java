package org.slowdyn.featurize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.settings.Settings;

class ReductionTest {
    /**
     * A slow AR(1) process s (coefficient 0.99) and a fast one f (0.5) observed as the mixtures x1 = s + f and
     * x2 = s - 0.5 f. TICA at lag 5 recovers s: its first eigenvalue is the autocorrelation 0.99^5 and TIC1 is
     * perfectly correlated with s.
     */
    @Test
    void ticaRecoversTheSlowProcessAndItsAutocorrelation() {
        SplittableRandom rng = new SplittableRandom(3);
        List<FeatureSeries> data = new ArrayList<>();
        List<double[]> slow = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            int n = 20_000;
            double[] x = new double[2 * n], s = new double[n];
            double a = 0, b = 0;
            for (int i = 0; i < n; i++) {
                a = 0.99 * a + Math.sqrt(1 - 0.99 * 0.99) * rng.nextGaussian();
                b = 0.5 * b + Math.sqrt(1 - 0.25) * rng.nextGaussian();
                s[i] = a;
                x[2 * i] = a + b;
                x[2 * i + 1] = a - 0.5 * b;
            }
            data.add(FeatureSeries.wrap(x, List.of("x1", "x2"), 1, "ps", "ar " + t));
            slow.add(s);
        }
        Settings settings = TicaFeaturizer.SCHEMA.defaults().edit().set(TicaFeaturizer.LAG, 5).done();
        LinearReduction.Projection p = new TicaFeaturizer().fit(data, settings);
        assertEquals(Math.pow(0.99, 5), p.eigenvalues()[0], 0.01);
        assertEquals(Math.pow(0.5, 5), p.eigenvalues()[1], 0.01);
        double sxy = 0, sxx = 0, syy = 0;
        for (int t = 0; t < 10; t++) {
            FeatureSeries tic = p.apply(data.get(t));
            for (int i = 0; i < tic.frames(); i++) {
                double u = tic.get(i, 0), v = slow.get(t)[i];
                sxy += u * v;
                sxx += u * u;
                syy += v * v;
            }
        }
        assertTrue(Math.abs(sxy / Math.sqrt(sxx * syy)) > 0.999, "TIC1 is the slow process");
    }

    /** Points with variances 4 and 1 along axes rotated by 30 degrees: PC1 is the 30-degree axis with variance 4. */
    @Test
    void pcaFindsTheAxisOfLargestVariance() {
        SplittableRandom rng = new SplittableRandom(5);
        double c = Math.cos(Math.PI / 6), s = Math.sin(Math.PI / 6);
        double[] x = new double[2 * 200_000];
        for (int i = 0; i < 200_000; i++) {
            double u = 2 * rng.nextGaussian(), v = rng.nextGaussian();
            x[2 * i] = 1 + c * u - s * v;
            x[2 * i + 1] = -2 + s * u + c * v;
        }
        LinearReduction.Projection p = new PcaFeaturizer().fit(List.of(FeatureSeries.wrap(x, List.of("a", "b"), 1,
                "ps", "gauss")), PcaFeaturizer.SCHEMA.defaults());
        assertEquals(4.0, p.eigenvalues()[0], 0.05);
        assertEquals(1.0, p.eigenvalues()[1], 0.02);
        assertEquals(c, Math.abs(p.components()[0][0]), 0.01);
        assertEquals(s, Math.abs(p.components()[1][0]), 0.01);
        assertEquals(1.0, p.mean()[0], 0.01);
        assertEquals(List.of("PC1", "PC2"), p.labels());
    }
}
