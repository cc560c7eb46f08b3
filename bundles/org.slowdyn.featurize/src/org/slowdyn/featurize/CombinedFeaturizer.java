package org.slowdyn.featurize;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;
import org.slowdyn.io.FrameChunk;
import org.slowdyn.io.Topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Several molecular featurizers over one pass through the trajectory: every frame is decoded once and handed to each
 * part in turn, and the features are the parts' columns side by side (for example phi/psi torsions next to distances).
 * The reading settings (frame interval, start, stop, stride, joined files, threads) are this featurizer's own; the
 * parts give only what they compute.
 */
public class CombinedFeaturizer extends TrajectoryFeaturizer {
    public static final String ID = "featurize.combined";

    /** The featurizers that can be parts, by id. */
    static final Map<String, TrajectoryFeaturizer> PARTS = Map.of(TorsionFeaturizer.ID, new TorsionFeaturizer(),
            DistanceFeaturizer.ID, new DistanceFeaturizer(), ContactFeaturizer.ID, new ContactFeaturizer(),
            RmsdFeaturizer.ID, new RmsdFeaturizer());


    public static final Setting<JsonNode> FEATURES = Setting.objectList("features", JsonNodeFactory.instance.arrayNode()
            .add(JsonNodeFactory.instance.objectNode().put("id", TorsionFeaturizer.ID)), 1,
            "the parts, in column order: a list of {\"id\": one of " + String.join(", ", new TreeSet<>(PARTS.keySet()))
                    + ", \"settings\": {...}}; their reading settings are this featurizer's");

    public static final SettingsSchema SCHEMA = schema(s -> parts(s.get(FEATURES)),
            FEATURES);

    record Part(TrajectoryFeaturizer featurizer, Settings settings) {
    }

    static List<Part> parts(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new InvalidSettingException(FEATURES.name(), "setting 'features' must be a non-empty list of "
                    + "{\"id\": ..., \"settings\": {...}}");
        }
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode p = node.get(i);
            String id = p.path("id").asText("");
            TrajectoryFeaturizer f = PARTS.get(id);
            String where = FEATURES.name() + "[" + i + "]";
            if (f == null) {
                throw new InvalidSettingException(where, "setting '" + where + "' has id '" + id + "': expected one "
                        + "of " + String.join(", ", new TreeSet<>(PARTS.keySet())));
            }
            JsonNode settings = p.get("settings");
            for (Setting<?> reading : READING) {
                String r = reading.name();
                if (settings != null && settings.has(r)) {
                    throw new InvalidSettingException(where + "." + r, "setting '" + where + ".settings." + r
                            + "' belongs to " + ID + " itself, which reads the frames once for all parts");
                }
            }
            try {
                parts.add(new Part(f, f.settingsSchema().fromJson(settings, "features[" + i + "] '" + id + "'")));
            } catch (InvalidSettingException e) {
                throw new InvalidSettingException(where + "." + e.field(), "setting " + e.getMessage());
            }
        }
        return parts;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "Combined features";
    }

    @Override
    public String description() {
        return "Torsions, distances, contacts and RMSD side by side, each frame decoded once";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    @Override
    Plan plan(Topology topology, Path topologyFile, Settings settings) {
        List<Plan> plans = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Part p : parts(settings.get(FEATURES))) {
            Plan plan = p.featurizer().plan(topology, topologyFile, p.settings());
            plans.add(plan);
            labels.addAll(plan.labels());
        }
        int[] offsets = new int[plans.size()];
        for (int i = 1; i < plans.size(); i++) {
            offsets[i] = offsets[i - 1] + plans.get(i - 1).labels().size();
        }
        List<String> all = List.copyOf(labels);
        return new Plan() {
            @Override
            public List<String> labels() {
                return all;
            }

            @Override
            public void compute(FrameChunk chunk, int f, double[] out, int offset) {
                for (int i = 0; i < plans.size(); i++) {
                    plans.get(i).compute(chunk, f, out, offset + offsets[i]);
                }
            }
        };
    }
}
