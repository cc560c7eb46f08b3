package org.slowdyn.featurize;

import java.util.List;

import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

/** Principal component analysis: the eigenvectors of the covariance of all frames, by decreasing variance. */
public class PcaFeaturizer extends LinearReduction {
    public static final String ID = "featurize.pca";
    public static final SettingsSchema SCHEMA = SettingsSchema.of(
            INNER_FEATURIZER, DIMENSIONS);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "PCA";
    }

    @Override
    public String description() {
        return "Largest-variance linear combinations of another featurizer's output";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    @Override
    Projection fit(List<FeatureSeries> data, Settings settings) {
        int d = data.get(0).features();
        double[] mean = mean(data);
        double[][] c = new double[d][d];
        long n = 0;
        double[] x = new double[d];
        for (FeatureSeries f : data) {
            for (int t = 0; t < f.frames(); t++) {
                f.frame(t, x);
                for (int a = 0; a < d; a++) {
                    double xa = x[a] - mean[a];
                    for (int b = 0; b < d; b++) {
                        c[a][b] += xa * (x[b] - mean[b]);
                    }
                }
            }
            n += f.frames();
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                c[a][b] /= n;
            }
        }
        double[][] u = new double[d][d];
        double[] variance = symmetricEigen(c, u);
        int k = settings.get(DIMENSIONS);
        double[][] components = new double[d][k];
        for (int a = 0; a < d; a++) {
            System.arraycopy(u[a], 0, components[a], 0, k);
        }
        return new Projection(mean, components, labels("PC", k), java.util.Arrays.copyOf(variance, k));
    }
}
