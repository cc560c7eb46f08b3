package org.slowdyn.featurize;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;
import org.slowdyn.io.AtomSelection;
import org.slowdyn.io.FrameChunk;
import org.slowdyn.io.Topology;

/**
 * Residue contacts: for every pair of selected residues at least {@code minSeparation} apart in the chain order, the
 * smallest distance between their heavy atoms ({@code closest-heavy}) or the distance of their CA atoms ({@code ca}),
 * in nm, or 1/0 for below/above {@code cutoff}. Labels {@code CONTACT: ALA 2 - GLY 5}.
 */
public class ContactFeaturizer extends TrajectoryFeaturizer {
    public static final String ID = "featurize.contacts";

    public static final Setting<String> SCHEME = Setting.choice("scheme", "closest-heavy",
            List.of("closest-heavy", "ca"), "distance between two residues: closest heavy atoms, or CA atoms");
    public static final Setting<String> RESIDUES = Setting.text("residues", "protein",
            "selection whose residues take part");
    public static final Setting<Integer> MIN_SEPARATION = Setting.integer("minSeparation", 3, 1, 1_000_000,
            "residues", "pairs closer than this in residue index are left out");
    public static final Setting<String> OUTPUT = Setting.choice("output", "distance", List.of("distance", "contact"),
            "the distance, or 1 when it is below the cutoff and 0 otherwise");
    public static final Setting<Double> CUTOFF = Setting.real("cutoff", 0.5, 0.0, 100.0, "nm", "contact cutoff");
    public static final Setting<Boolean> PERIODIC = Setting.bool("periodic", true,
            "minimum-image distances when the trajectory has a periodic box");
    public static final SettingsSchema SCHEMA = schema(SCHEME, RESIDUES, MIN_SEPARATION, OUTPUT, CUTOFF, PERIODIC);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "Residue contacts";
    }

    @Override
    public String description() {
        return "Closest heavy-atom or CA distances between residues, or contacts below a cutoff";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    @Override
    public Plan plan(Topology topology, Path topologyFile, Settings settings) {
        AtomSelection sel = AtomSelection.parse(settings.get(RESIDUES));
        boolean ca = settings.get(SCHEME).equals("ca");
        List<Integer> residues = new ArrayList<>();
        List<int[]> atomsOf = new ArrayList<>();
        for (int r = 0; r < topology.residues(); r++) {
            List<Topology.Atom> res = topology.residue(r);
            if (res.stream().noneMatch(sel::matches)) {
                continue;
            }
            int[] atoms = res.stream().filter(a -> ca ? a.name().equals("CA") : !a.element().equals("H"))
                    .mapToInt(Topology.Atom::index).toArray();
            if (atoms.length > 0) {
                residues.add(r);
                atomsOf.add(atoms);
            }
        }
        List<int[]> pairs = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int x = 0; x < residues.size(); x++) {
            for (int y = x + 1; y < residues.size(); y++) {
                if (residues.get(y) - residues.get(x) >= settings.get(MIN_SEPARATION)) {
                    pairs.add(new int[] { x, y });
                    Topology.Atom a = topology.atom(atomsOf.get(x)[0]), b = topology.atom(atomsOf.get(y)[0]);
                    labels.add("CONTACT: " + a.residueName() + " " + a.residueNumber() + " - " + b.residueName() + " "
                            + b.residueNumber());
                }
            }
        }
        if (pairs.isEmpty()) {
            throw new ConfigurationException(ID + ": no residue pair of '" + settings.get(RESIDUES) + "' is "
                    + settings.get(MIN_SEPARATION) + " or more residues apart in " + topology.source());
        }
        boolean periodic = settings.get(PERIODIC);
        boolean contact = settings.get(OUTPUT).equals("contact");
        double cutoff = settings.get(CUTOFF);
        return new Plan() {
            @Override
            public List<String> labels() {
                return labels;
            }

            @Override
            public void compute(FrameChunk chunk, int f, double[] out, int offset) {
                for (int k = 0; k < pairs.size(); k++) {
                    int[] a = atomsOf.get(pairs.get(k)[0]), b = atomsOf.get(pairs.get(k)[1]);
                    double min = Double.POSITIVE_INFINITY;
                    for (int i : a) {
                        for (int j : b) {
                            min = Math.min(min, Geometry.distance(chunk, f, i, j, periodic));
                        }
                    }
                    out[offset + k] = contact ? (min < cutoff ? 1 : 0) : min;
                }
            }
        };
    }
}
