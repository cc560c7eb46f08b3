package org.slowdyn.partition;

import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.StatePartition;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

import com.fasterxml.jackson.databind.JsonNode;

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
        return new VoronoiAssignment(ID, features, c, List.of());
    }

    @Override
    public FittedPartition load(JsonNode json) {
        return VoronoiAssignment.fromJson(ID, json);
    }
}
