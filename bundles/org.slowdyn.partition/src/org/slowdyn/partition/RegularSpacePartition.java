package org.slowdyn.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.StatePartition;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Regular-space clustering (Prinz et al. 2011): frames are visited in order (trajectory by trajectory) and a frame
 * becomes a new center when it is farther than {@code minDistance} from every center so far. Centers are then at
 * least minDistance apart and every frame lies within minDistance of one. Deterministic.
 */
public class RegularSpacePartition implements StatePartition {
    public static final String ID = "partition.regspace";

    public static final Setting<List<String>> FEATURES = Setting.textList("features", List.of(), 0,
            "features to cluster; empty uses every feature");
    public static final Setting<Double> MIN_DISTANCE = Setting.real("minDistance", 0.5, 1e-12, Double.MAX_VALUE,
            "feature units", "a frame farther than this from every center becomes a center");
    public static final Setting<Integer> MAX_CENTERS = Setting.integer("maxCenters", 1000, 1, 1_000_000, "",
            "stop with an error when more centers would be needed (then raise minDistance)");
    public static final SettingsSchema SCHEMA = SettingsSchema.of(FEATURES, MIN_DISTANCE, MAX_CENTERS);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "Regular space";
    }

    @Override
    public String description() {
        return "Centers at least a minimum distance apart, taken from the data in order";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    @Override
    public FittedPartition fit(List<FeatureSeries> data, Settings settings, IProgressMonitor monitor) {
        List<String> features = FeatureColumns.choose(settings.get(FEATURES), data, ID);
        double[] points = KMeansPartition.gatherAll(data, features, ID);
        int d = features.size();
        int n = points.length / d;
        double dmin2 = settings.get(MIN_DISTANCE) * settings.get(MIN_DISTANCE);
        int max = settings.get(MAX_CENTERS);
        SubMonitor progress = SubMonitor.convert(monitor, "Regular-space clustering", n / 65536 + 1);
        double[] centers = new double[Math.min(max, 1024) * d];
        int k = 0;
        double[] dist = new double[1];
        for (int i = 0; i < n; i++) {
            if (k > 0) {
                Clustering.nearest(points, i, d, centers, k, dist);
            }
            if (k == 0 || dist[0] > dmin2) {
                if (k == max) {
                    throw new InvalidSettingException(MAX_CENTERS.name(), ID + ": more than maxCenters = " + max
                            + " centers are needed at minDistance = " + settings.get(MIN_DISTANCE) + " (frame " + i
                            + " of " + n + "); raise minDistance or maxCenters");
                }
                if ((k + 1) * d > centers.length) {
                    centers = java.util.Arrays.copyOf(centers, Math.min(max * d, centers.length * 2));
                }
                System.arraycopy(points, i * d, centers, k * d, d);
                k++;
            }
            if ((i & 0xFFFF) == 0xFFFF) {
                progress.split(1);
            }
        }
        double[][] c = new double[k][d];
        for (int x = 0; x < k; x++) {
            System.arraycopy(centers, x * d, c[x], 0, d);
        }
        return new VoronoiAssignment(ID, features, c, List.of(String.format(Locale.ROOT,
                "regular space: %d centers at minimum distance %s from %d frames", k,
                FeatureColumns.format(settings.get(MIN_DISTANCE)), n)));
    }

    @Override
    public FittedPartition load(JsonNode json) {
        return VoronoiAssignment.fromJson(ID, json);
    }
}
