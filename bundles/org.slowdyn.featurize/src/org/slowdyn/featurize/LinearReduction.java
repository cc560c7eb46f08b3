package org.slowdyn.featurize;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.Featurizer;
import org.slowdyn.core.StageFamily;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.TrajectoryInput;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.NestedStage;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;

/**
 * Base of the linear dimension reductions (TICA, PCA): an inner featurizer produces the features of every trajectory,
 * a projection is fitted on all of them (trajectories kept apart), and every trajectory is projected onto its first
 * {@code dimensions} components. The projection is a plain value ({@link Projection}) that can be applied to other
 * data.
 */
abstract class LinearReduction implements Featurizer {
    static final Setting<NestedStage<Featurizer>> INNER_FEATURIZER = Setting.stage("features",
            StageFamily.FEATURIZER, NestedStage.of(StageFamily.FEATURIZER, ColumnFeaturizer.ID, null),
            "the featurizer whose output is reduced: any installed featurizer, with its settings");
    static final Setting<Integer> DIMENSIONS = Setting.integer("dimensions", 2, 1, 100_000, "",
            "components kept");

    /** A fitted linear projection y = (x - mean) P onto {@code labels.size()} components. */
    record Projection(double[] mean, double[][] components, List<String> labels, double[] eigenvalues) {
        FeatureSeries apply(FeatureSeries in) {
            int d = mean.length, k = labels.size();
            double[] out = new double[in.frames() * k];
            double[] row = new double[d];
            for (int i = 0; i < in.frames(); i++) {
                in.frame(i, row);
                for (int j = 0; j < d; j++) {
                    row[j] -= mean[j];
                }
                for (int c = 0; c < k; c++) {
                    double s = 0;
                    for (int j = 0; j < d; j++) {
                        s += row[j] * components[j][c];
                    }
                    out[i * k + c] = s;
                }
            }
            return FeatureSeries.wrap(out, labels, in.frameInterval(), in.timeUnit(), in.source());
        }
    }

    abstract Projection fit(List<FeatureSeries> data, Settings settings);

    @Override
    public List<FeatureSeries> featurize(TrajectoryInput input, Settings settings, IProgressMonitor monitor) {
        SubMonitor progress = SubMonitor.convert(monitor, label(), 10);
        NestedStage<Featurizer> inner = settings.get(INNER_FEATURIZER);
        List<FeatureSeries> features = inner.stage().featurize(input, inner.settings(), progress.split(8));
        if (features.isEmpty()) {
            throw new ConfigurationException(id() + ": the featurizer '" + inner.id() + "' produced no trajectories");
        }
        int d = features.get(0).features();
        for (FeatureSeries f : features) {
            if (!f.labels().equals(features.get(0).labels())) {
                throw new ConfigurationException(id() + ": the trajectories have different features: " + f.labels()
                        + " and " + features.get(0).labels());
            }
        }
        if (settings.get(DIMENSIONS) > d) {
            throw new InvalidSettingException(DIMENSIONS.name(), id() + ": setting 'dimensions' = "
                    + settings.get(DIMENSIONS) + " is more than the " + d + " input features");
        }
        Projection p = fit(features, settings);
        List<FeatureSeries> out = new ArrayList<>();
        for (FeatureSeries f : features) {
            out.add(p.apply(f));
        }
        progress.split(2);
        return out;
    }

    /** Mean of every feature over all frames of all trajectories. */
    static double[] mean(List<FeatureSeries> data) {
        int d = data.get(0).features();
        double[] mean = new double[d];
        long n = 0;
        for (FeatureSeries f : data) {
            for (int i = 0; i < f.frames(); i++) {
                for (int j = 0; j < d; j++) {
                    mean[j] += f.get(i, j);
                }
            }
            n += f.frames();
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        return mean;
    }

    /** Eigen-decomposition of a symmetric matrix, eigenvalues descending; columns of {@code vectors} out. */
    static double[] symmetricEigen(double[][] m, double[][] vectors) {
        int d = m.length;
        double[][] sym = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                sym[i][j] = 0.5 * (m[i][j] + m[j][i]);
            }
        }
        EigenDecomposition e = new EigenDecomposition(new Array2DRowRealMatrix(sym, false));
        double[] values = e.getRealEigenvalues();
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
        double[] sorted = new double[d];
        for (int c = 0; c < d; c++) {
            sorted[c] = values[order[c]];
            double[] v = e.getEigenvector(order[c]).toArray();
            // sign convention: the largest component is positive
            int big = 0;
            for (int j = 1; j < d; j++) {
                if (Math.abs(v[j]) > Math.abs(v[big])) {
                    big = j;
                }
            }
            double sign = v[big] < 0 ? -1 : 1;
            for (int j = 0; j < d; j++) {
                vectors[j][c] = sign * v[j];
            }
        }
        return sorted;
    }

    static List<String> labels(String prefix, int k) {
        List<String> l = new ArrayList<>();
        for (int c = 1; c <= k; c++) {
            l.add(prefix + c);
        }
        return l;
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
