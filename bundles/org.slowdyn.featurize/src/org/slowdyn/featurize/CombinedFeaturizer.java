package org.slowdyn.featurize;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slowdyn.core.Featurizer;
import org.slowdyn.core.StageFamily;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.NestedStage;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;
import org.slowdyn.io.FrameChunk;
import org.slowdyn.io.Topology;

/**
 * Several molecular featurizers over one pass through the trajectory: every frame is decoded once and handed to each
 * part in turn, and the features are the parts' columns side by side (for example phi/psi torsions next to distances).
 * The reading settings (frame interval, start, stop, stride, joined files, threads) are this featurizer's own; the
 * parts give only what they compute.
 */
public class CombinedFeaturizer extends TrajectoryFeaturizer {
    public static final String ID = "featurize.combined";

    public static final Setting<List<NestedStage<Featurizer>>> FEATURES = Setting.stageList("features",
            StageFamily.FEATURIZER, List.of(NestedStage.of(StageFamily.FEATURIZER, TorsionFeaturizer.ID, null)), 1,
            "the parts, in column order: any installed molecular featurizer (one built on TrajectoryFeaturizer, e.g. "
                    + "featurize.torsions, .distances, .contacts, .rmsd); their reading settings are this featurizer's");

    public static final SettingsSchema SCHEMA = schema(CombinedFeaturizer::checkParts, FEATURES);

    /** Each resolved part reads frames (a {@link TrajectoryFeaturizer}) and leaves the reading settings to this one. */
    private static void checkParts(Settings s) {
        List<NestedStage<Featurizer>> parts = s.get(FEATURES);
        for (int i = 0; i < parts.size(); i++) {
            NestedStage<Featurizer> p = parts.get(i);
            String where = FEATURES.name() + "[" + i + "]";
            for (Setting<?> reading : READING) {
                if (p.givenSettings().has(reading.name())) {
                    throw new InvalidSettingException(where + "." + reading.name(), "setting '" + where + ".settings."
                            + reading.name() + "' belongs to " + ID + " itself, which reads the frames once for all parts");
                }
            }
            if (p.isResolved() && !(p.stage() instanceof TrajectoryFeaturizer)) {
                throw new InvalidSettingException(where, "setting '" + where + "' is '" + p.id() + "', which does not "
                        + "compute features frame by frame from coordinates; a part must be a molecular featurizer "
                        + "(built on TrajectoryFeaturizer)");
            }
        }
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
    public Plan plan(Topology topology, Path topologyFile, Settings settings) {
        List<Plan> plans = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (NestedStage<Featurizer> p : settings.get(FEATURES)) {
            Plan plan = ((TrajectoryFeaturizer) p.stage()).plan(topology, topologyFile, p.settings());
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
