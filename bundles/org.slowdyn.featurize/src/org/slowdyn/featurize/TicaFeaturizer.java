package org.slowdyn.featurize;

import java.util.List;

import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

/**
 * Time-lagged independent component analysis (Molgedey and Schuster 1994; Perez-Hernandez et al. 2013): with
 * mean-free features, the instantaneous covariance C0 and the symmetrised time-lagged covariance Ctau are estimated
 * over every frame pair (t, t + lag) within each trajectory; C0 is whitened through its eigenvectors (eigenvalues below
 * {@code epsilon} times the largest dropped), and the eigenvectors of the whitened Ctau, by decreasing eigenvalue, are
 * the slowest linear coordinates. With {@code kineticMap} each component is scaled by its eigenvalue.
 */
public class TicaFeaturizer extends LinearReduction {
    public static final String ID = "featurize.tica";

    public static final Setting<Integer> LAG = Setting.integer("lag", 10, 1, 100_000_000, "frames",
            "lag time of the time-lagged covariance");
    public static final Setting<Boolean> KINETIC_MAP = Setting.bool("kineticMap", false,
            "scale each component by its eigenvalue (kinetic map)");
    public static final Setting<Double> EPSILON = Setting.real("epsilon", 1e-6, 0, 1, "",
            "relative cutoff on the eigenvalues of C0 (drops linearly dependent features)");
    public static final SettingsSchema SCHEMA = SettingsSchema.of(
            INNER_FEATURIZER, DIMENSIONS, LAG, KINETIC_MAP, EPSILON);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "TICA";
    }

    @Override
    public String description() {
        return "Slowest linear combinations of another featurizer's output (time-lagged independent components)";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    @Override
    Projection fit(List<FeatureSeries> data, Settings settings) {
        int lag = settings.get(LAG);
        int d = data.get(0).features();
        double[] mean = mean(data);
        double[][] c0 = new double[d][d], ct = new double[d][d];
        long pairs = 0;
        double[] x = new double[d], y = new double[d];
        for (FeatureSeries f : data) {
            for (int t = 0; t + lag < f.frames(); t++) {
                f.frame(t, x);
                f.frame(t + lag, y);
                for (int j = 0; j < d; j++) {
                    x[j] -= mean[j];
                    y[j] -= mean[j];
                }
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        c0[a][b] += x[a] * x[b] + y[a] * y[b];
                        ct[a][b] += x[a] * y[b] + y[a] * x[b];
                    }
                }
                pairs++;
            }
        }
        if (pairs == 0) {
            throw new ConfigurationException(ID + ": no frame pair at lag " + lag + ": the trajectories are shorter");
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                c0[a][b] /= 2.0 * pairs;
                ct[a][b] /= 2.0 * pairs;
            }
        }
        double[][] u = new double[d][d];
        double[] s = symmetricEigen(c0, u);
        int kept = 0;
        while (kept < d && s[kept] > settings.get(EPSILON) * s[0]) {
            kept++;
        }
        int k = settings.get(DIMENSIONS);
        if (kept < k) {
            throw new ConfigurationException(ID + ": only " + kept + " linearly independent features; ask for at "
                    + "most that many dimensions");
        }
        double[][] w = new double[d][kept];
        for (int a = 0; a < d; a++) {
            for (int c = 0; c < kept; c++) {
                w[a][c] = u[a][c] / Math.sqrt(s[c]);
            }
        }
        double[][] m = new double[kept][kept];
        for (int p = 0; p < kept; p++) {
            for (int q = 0; q < kept; q++) {
                double v = 0;
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        v += w[a][p] * ct[a][b] * w[b][q];
                    }
                }
                m[p][q] = v;
            }
        }
        double[][] vec = new double[kept][kept];
        double[] lambda = symmetricEigen(m, vec);
        double[][] components = new double[d][k];
        for (int a = 0; a < d; a++) {
            for (int c = 0; c < k; c++) {
                double v = 0;
                for (int p = 0; p < kept; p++) {
                    v += w[a][p] * vec[p][c];
                }
                components[a][c] = settings.get(KINETIC_MAP) ? v * lambda[c] : v;
            }
        }
        return new Projection(mean, components, labels("TIC", k), java.util.Arrays.copyOf(lambda, k));
    }
}
