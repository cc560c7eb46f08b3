package org.slowdyn.featurize;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;
import org.slowdyn.io.AtomSelection;
import org.slowdyn.io.FrameChunk;
import org.slowdyn.io.Topology;

/**
 * Distances (nm) between given atom pairs, or between every atom of one selection and every atom of another (every
 * pair within one selection when there is no second). Labels {@code DIST: CA 2 - CB 2} (atom name and residue number).
 * With {@code periodic} and a box in the file, the minimum image is used.
 */
public class DistanceFeaturizer extends TrajectoryFeaturizer {
    public static final String ID = "featurize.distances";

    public static final Setting<List<List<Double>>> PAIRS = Setting.points("pairs", null, 1, "atom indices",
            "atom index pairs [i, j] (0-based); instead of selections");
    public static final Setting<String> SELECTION1 = Setting.text("selection1", null,
            "first selection, e.g. \"name CA\"");
    public static final Setting<String> SELECTION2 = Setting.text("selection2", null,
            "second selection; without it, all pairs within the first");
    public static final Setting<Boolean> PERIODIC = Setting.bool("periodic", true,
            "minimum-image distances when the trajectory has a periodic box");
    public static final SettingsSchema SCHEMA = schema(s -> {
        if (s.get(PAIRS) == null && s.get(SELECTION1) == null) {
            throw new InvalidSettingException(PAIRS.name(), "give 'pairs' or 'selection1'");
        }
    }, PAIRS, SELECTION1, SELECTION2, PERIODIC);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "Distances";
    }

    @Override
    public String description() {
        return "Distances between atom pairs or between two selections (nm)";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    static String atomLabel(Topology.Atom a) {
        return a.name() + " " + a.residueNumber();
    }

    @Override
    public Plan plan(Topology topology, Path topologyFile, Settings settings) {
        List<int[]> pairs = new ArrayList<>();
        if (settings.get(PAIRS) != null) {
            for (List<Double> p : settings.get(PAIRS)) {
                if (p.size() != 2) {
                    throw new InvalidSettingException(PAIRS.name(), ID + ": pair " + p + " must have two atom indices");
                }
                int i = (int) Math.round(p.get(0)), j = (int) Math.round(p.get(1));
                if (i < 0 || j < 0 || i >= topology.atoms() || j >= topology.atoms() || i != p.get(0) || j != p.get(1)) {
                    throw new InvalidSettingException(PAIRS.name(), ID + ": pair " + p + " is not two atom indices "
                            + "from 0 to " + (topology.atoms() - 1));
                }
                pairs.add(new int[] { i, j });
            }
        } else {
            int[] a = AtomSelection.parse(settings.get(SELECTION1)).select(topology);
            int[] b = settings.get(SELECTION2) == null ? a : AtomSelection.parse(settings.get(SELECTION2)).select(topology);
            for (int x = 0; x < a.length; x++) {
                for (int y = settings.get(SELECTION2) == null ? x + 1 : 0; y < b.length; y++) {
                    if (a[x] != b[y]) {
                        pairs.add(new int[] { a[x], b[y] });
                    }
                }
            }
        }
        if (pairs.isEmpty()) {
            throw new ConfigurationException(ID + ": the selections give no atom pair in " + topology.source());
        }
        List<String> labels = new ArrayList<>();
        for (int[] p : pairs) {
            labels.add("DIST: " + atomLabel(topology.atom(p[0])) + " - " + atomLabel(topology.atom(p[1])));
        }
        boolean periodic = settings.get(PERIODIC);
        int[][] pp = pairs.toArray(new int[0][]);
        return new Plan() {
            @Override
            public List<String> labels() {
                return labels;
            }

            @Override
            public void compute(FrameChunk chunk, int f, double[] out, int offset) {
                for (int k = 0; k < pp.length; k++) {
                    out[offset + k] = Geometry.distance(chunk, f, pp[k][0], pp[k][1], periodic);
                }
            }
        };
    }
}
