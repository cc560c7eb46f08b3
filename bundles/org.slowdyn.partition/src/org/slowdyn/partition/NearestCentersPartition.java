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
 * Assigns each frame to the nearest of given centers (Euclidean distance over the chosen features); state i is
 * center i. With one feature this is Tsai's nearest representative value (e.g. x = 2, 0.5, -0.5, -2). Ties go to the
 * center listed first.
 */
public class NearestCentersPartition implements StatePartition {
    public static final String ID = "partition.nearest";

    public static final Setting<List<String>> FEATURES = Setting.textList("features", List.of(), 0,
            "features to use, in the order of the center coordinates; empty uses every feature");
    public static final Setting<List<List<Double>>> CENTERS = Setting.points("centers",
            List.of(List.of(-2.0, 1.0), List.of(-0.5, -2.0), List.of(0.5, 2.0), List.of(2.0, -1.0)), 1,
            "feature units", "one center per state; default: the four wells of the built-in potential");
    public static final SettingsSchema SCHEMA = SettingsSchema.of(FEATURES, CENTERS);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "Nearest center";
    }

    @Override
    public String description() {
        return "Each frame takes the state of the nearest given center (Voronoi cells)";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    @Override
    public FittedPartition fit(List<FeatureSeries> data, Settings settings, IProgressMonitor monitor) {
        List<String> features = FeatureColumns.choose(settings.get(FEATURES), data, ID);
        List<List<Double>> centers = settings.get(CENTERS);
        if (centers.get(0).size() != features.size()) {
            throw new InvalidSettingException(CENTERS.name(), ID + ": setting 'centers' has points of dimension "
                    + centers.get(0).size() + " but " + features.size() + " features are used (" + features + ")");
        }
        for (FeatureSeries s : data) {
            s.indicesOf(features, ID);
        }
        double[][] c = new double[centers.size()][];
        for (int k = 0; k < c.length; k++) {
            c[k] = centers.get(k).stream().mapToDouble(Double::doubleValue).toArray();
        }
        return new Fitted(features, c);
    }

    @Override
    public FittedPartition load(JsonNode json) {
        List<String> features = FeatureColumns.labelsFromJson(json.path("features"));
        List<double[]> centers = new ArrayList<>();
        for (JsonNode p : json.path("centers")) {
            double[] point = new double[p.size()];
            for (int j = 0; j < point.length; j++) {
                point[j] = p.get(j).asDouble();
            }
            centers.add(point);
        }
        if (features.isEmpty() || centers.isEmpty()) {
            throw new ConfigurationException(ID + ": saved partition has no features or no centers: " + json);
        }
        return new Fitted(features, centers.toArray(new double[0][]));
    }

    /** The fitted partition: immutable. */
    static final class Fitted implements FittedPartition {
        private final List<String> features;
        private final double[][] centers;

        Fitted(List<String> features, double[][] centers) {
            this.features = List.copyOf(features);
            this.centers = centers;
        }

        @Override
        public String partitionId() {
            return ID;
        }

        @Override
        public int numberOfStates() {
            return centers.length;
        }

        @Override
        public List<String> stateLabels() {
            List<String> labels = new ArrayList<>();
            for (double[] c : centers) {
                StringBuilder b = new StringBuilder("(");
                for (int j = 0; j < c.length; j++) {
                    b.append(j > 0 ? ", " : "").append(FeatureColumns.format(c[j]));
                }
                labels.add(b.append(')').toString());
            }
            return labels;
        }

        @Override
        public StateSequence assign(FeatureSeries series) {
            int[] cols = series.indicesOf(features, ID);
            int d = cols.length;
            int[] states = new int[series.frames()];
            double[] point = new double[d];
            for (int i = 0; i < states.length; i++) {
                for (int j = 0; j < d; j++) {
                    point[j] = series.get(i, cols[j]);
                }
                int best = 0;
                double bestDistance = Double.POSITIVE_INFINITY;
                for (int k = 0; k < centers.length; k++) {
                    double dist = 0;
                    for (int j = 0; j < d; j++) {
                        double diff = point[j] - centers[k][j];
                        dist += diff * diff;
                    }
                    if (dist < bestDistance) {
                        bestDistance = dist;
                        best = k;
                    }
                }
                states[i] = best;
            }
            return StateSequence.wrap(states, centers.length, series.frameInterval(), series.timeUnit(),
                    series.source());
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("partition", ID);
            node.set("features", FeatureColumns.toJson(features));
            ArrayNode cs = node.putArray("centers");
            for (double[] c : centers) {
                ArrayNode p = cs.addArray();
                for (double v : c) {
                    p.add(v);
                }
            }
            return node;
        }
    }
}
