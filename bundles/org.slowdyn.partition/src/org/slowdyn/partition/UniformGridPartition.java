package org.slowdyn.partition;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.StatePartition;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Uniform bins on each chosen feature; the state of a frame is its cell in the grid, numbered row-major (the last
 * feature varies fastest). Bin i of a feature covers [min + i w, min + (i+1) w) with w = (max - min) / bins; the last
 * bin also holds max. Values below min or above max fall into the first or last bin. Without given edges, min and max
 * are the range of the fitting data.
 */
public class UniformGridPartition implements StatePartition {
    public static final String ID = "partition.grid";

    public static final Setting<List<String>> FEATURES = Setting.textList("features", List.of(), 0,
            "features to bin; empty uses every feature");
    public static final Setting<List<Integer>> BINS = Setting.integerList("bins", List.of(20), 1, 1, 1_000_000, "",
            "bins per feature: one value for all features, or one per feature");
    public static final Setting<List<Double>> MIN = Setting.realList("min", List.of(), 0, -Double.MAX_VALUE,
            Double.MAX_VALUE, "feature units", "lower edge per feature; empty takes the minimum of the data");
    public static final Setting<List<Double>> MAX = Setting.realList("max", List.of(), 0, -Double.MAX_VALUE,
            Double.MAX_VALUE, "feature units", "upper edge per feature; empty takes the maximum of the data");
    public static final SettingsSchema SCHEMA = SettingsSchema.of(FEATURES, BINS, MIN, MAX);

    /** Upper limit on the number of grid cells (states). */
    static final long MAX_STATES = 1L << 24;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "Uniform grid";
    }

    @Override
    public String description() {
        return "Uniform bins on one or more features, e.g. 20 bins of sin(phi) from -1 to 1";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    @Override
    public FittedPartition fit(List<FeatureSeries> data, Settings settings, IProgressMonitor monitor) {
        List<String> features = FeatureColumns.choose(settings.get(FEATURES), data, ID);
        int d = features.size();
        int[] bins = perFeature(settings.get(BINS), d);
        double[] lo = edges(settings.get(MIN), d, MIN);
        double[] hi = edges(settings.get(MAX), d, MAX);
        if (lo == null || hi == null) {
            double[] dataMin = new double[d], dataMax = new double[d];
            java.util.Arrays.fill(dataMin, Double.POSITIVE_INFINITY);
            java.util.Arrays.fill(dataMax, Double.NEGATIVE_INFINITY);
            for (FeatureSeries s : data) {
                int[] cols = s.indicesOf(features, ID);
                for (int i = 0; i < s.frames(); i++) {
                    for (int j = 0; j < d; j++) {
                        double v = s.get(i, cols[j]);
                        dataMin[j] = Math.min(dataMin[j], v);
                        dataMax[j] = Math.max(dataMax[j], v);
                    }
                }
            }
            lo = lo == null ? dataMin : lo;
            hi = hi == null ? dataMax : hi;
        }
        long cells = 1;
        for (int j = 0; j < d; j++) {
            if (!(hi[j] > lo[j])) {
                throw new InvalidSettingException(MAX.name(), ID + ": feature '" + features.get(j) + "' has max "
                        + hi[j] + " not above min " + lo[j]);
            }
            cells *= bins[j];
            if (cells > MAX_STATES) {
                throw new InvalidSettingException(BINS.name(), ID + ": setting 'bins' = " + settings.get(BINS)
                        + " makes more than " + MAX_STATES + " grid cells");
            }
        }
        return new Fitted(features, bins, lo, hi);
    }

    private static int[] perFeature(List<Integer> bins, int d) {
        if (bins.size() != 1 && bins.size() != d) {
            throw new InvalidSettingException(BINS.name(), ID + ": setting 'bins' = " + bins
                    + " must have one value or one per feature (" + d + ")");
        }
        int[] b = new int[d];
        for (int j = 0; j < d; j++) {
            b[j] = bins.size() == 1 ? bins.get(0) : bins.get(j);
        }
        return b;
    }

    private static double[] edges(List<Double> given, int d, Setting<List<Double>> setting) {
        if (given.isEmpty()) {
            return null;
        }
        if (given.size() != d) {
            throw new InvalidSettingException(setting.name(), ID + ": setting '" + setting.name() + "' = " + given
                    + " must have one value per feature (" + d + ")");
        }
        return given.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Override
    public FittedPartition load(JsonNode json) {
        List<String> features = FeatureColumns.labelsFromJson(json.path("features"));
        int d = features.size();
        if (d == 0 || json.path("bins").size() != d || json.path("min").size() != d || json.path("max").size() != d) {
            throw new ConfigurationException(ID + ": saved partition is incomplete: " + json);
        }
        int[] bins = new int[d];
        double[] lo = new double[d], hi = new double[d];
        for (int j = 0; j < d; j++) {
            bins[j] = json.path("bins").get(j).asInt();
            lo[j] = json.path("min").get(j).asDouble();
            hi[j] = json.path("max").get(j).asDouble();
        }
        return new Fitted(features, bins, lo, hi);
    }

    static final class Fitted implements FittedPartition {
        private final List<String> features;
        private final int[] bins;
        private final double[] lo;
        private final double[] hi;
        private final int states;

        Fitted(List<String> features, int[] bins, double[] lo, double[] hi) {
            this.features = List.copyOf(features);
            this.bins = bins;
            this.lo = lo;
            this.hi = hi;
            int n = 1;
            for (int b : bins) {
                n *= b;
            }
            this.states = n;
        }

        @Override
        public String partitionId() {
            return ID;
        }

        @Override
        public int numberOfStates() {
            return states;
        }

        @Override
        public List<String> stateLabels() {
            List<String> labels = new ArrayList<>(states);
            int[] index = new int[bins.length];
            for (int s = 0; s < states; s++) {
                int rest = s;
                for (int j = bins.length - 1; j >= 0; j--) {
                    index[j] = rest % bins[j];
                    rest /= bins[j];
                }
                StringBuilder b = new StringBuilder();
                for (int j = 0; j < bins.length; j++) {
                    double w = (hi[j] - lo[j]) / bins[j];
                    b.append(j > 0 ? " x " : "").append('[').append(FeatureColumns.format(lo[j] + index[j] * w))
                            .append(", ").append(FeatureColumns.format(lo[j] + (index[j] + 1) * w)).append(')');
                }
                labels.add(b.toString());
            }
            return labels;
        }

        /** Bin of value v on feature j, clamped to the edge bins. */
        int bin(int j, double v) {
            int b = (int) Math.floor((v - lo[j]) / (hi[j] - lo[j]) * bins[j]);
            return b < 0 ? 0 : b >= bins[j] ? bins[j] - 1 : b;
        }

        @Override
        public StateSequence assign(FeatureSeries series) {
            int[] cols = series.indicesOf(features, ID);
            int[] out = new int[series.frames()];
            for (int i = 0; i < out.length; i++) {
                int s = 0;
                for (int j = 0; j < cols.length; j++) {
                    s = s * bins[j] + bin(j, series.get(i, cols[j]));
                }
                out[i] = s;
            }
            return StateSequence.wrap(out, states, series.frameInterval(), series.timeUnit(), series.source());
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("partition", ID);
            node.set("features", FeatureColumns.toJson(features));
            ArrayNode b = node.putArray("bins"), mn = node.putArray("min"), mx = node.putArray("max");
            for (int j = 0; j < bins.length; j++) {
                b.add(bins[j]);
                mn.add(lo[j]);
                mx.add(hi[j]);
            }
            return node;
        }
    }
}
