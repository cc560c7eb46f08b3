package com.example.mdlab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;
import org.slowdyn.featurize.TrajectoryFeaturizer;
import org.slowdyn.io.FrameChunk;
import org.slowdyn.io.Topology;

/**
 * Any dihedral angles, each given by four atoms (0-based indices, as PLUMED's TORSION ATOMS or MDTraj's
 * {@code compute_dihedrals} take them): side-chain chi angles, sugar puckers, ligand torsions, or backbone angles
 * that the topology does not name. The angle of atoms (a, b, c, d) is the angle between the planes (a, b, c) and
 * (b, c, d), in radians in (-pi, pi], with the IUPAC sign (positive clockwise looking from b to c); or its cosine
 * and sine. Bond vectors take the minimum image in an orthorhombic box when the file has one and {@code periodic} is
 * set. Labels: {@code DIH ACE1:C ALA2:N ALA2:CA ALA2:C}, or {@code COS(...)}, {@code SIN(...)}.
 *
 * <p>Built on SlowDyn's {@link TrajectoryFeaturizer}, it reads XTC, TRR, DCD and GRO with every reading setting,
 * featurizes files in parallel with progress and cancellation, and can be a part of {@code featurize.combined}.
 */
public class DihedralFeaturizer extends TrajectoryFeaturizer {
    public static final String ID = "mdlab.dihedrals";

    public static final Setting<List<List<Double>>> ATOMS = Setting.points("atoms", null, 1, "atom indices",
            "the dihedrals, each a list of four 0-based atom indices, e.g. [[4, 6, 8, 14], [6, 8, 14, 16]]");
    public static final Setting<String> OUTPUT = Setting.choice("output", "sincos", List.of("radians", "sincos"),
            "angles in radians, or each as its cosine and sine (continuous, better for TICA and clustering)");
    public static final Setting<Boolean> PERIODIC = Setting.bool("periodic", true,
            "minimum image of the bond vectors when the file has an orthorhombic box");
    public static final SettingsSchema SCHEMA = schema(DihedralFeaturizer::check, ATOMS, OUTPUT, PERIODIC);

    private static void check(Settings s) {
        List<List<Double>> quads = s.get(ATOMS);
        if (quads == null) {
            throw new InvalidSettingException(ATOMS.name(), "setting 'atoms' is required: a list of dihedrals, each "
                    + "four 0-based atom indices");
        }
        for (int i = 0; i < quads.size(); i++) {
            List<Double> q = quads.get(i);
            if (q.size() != 4) {
                throw new InvalidSettingException(ATOMS.name(), "setting 'atoms' entry " + i + " has " + q.size()
                        + " atoms: a dihedral needs 4");
            }
            for (double a : q) {
                if (a < 0 || a != Math.rint(a) || a > Integer.MAX_VALUE) {
                    throw new InvalidSettingException(ATOMS.name(), "setting 'atoms' entry " + i + " has " + a
                            + ": atom indices are whole numbers from 0");
                }
            }
            if (q.stream().distinct().count() < 4) {
                throw new InvalidSettingException(ATOMS.name(), "setting 'atoms' entry " + i + " " + q
                        + " repeats an atom");
            }
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "Dihedral angles";
    }

    @Override
    public String description() {
        return "Any dihedral angles given by four atom indices (chi angles, ligand torsions), in radians or as (cos, sin)";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    @Override
    public Plan plan(Topology topology, Path topologyFile, Settings settings) {
        List<List<Double>> given = settings.get(ATOMS);
        int[][] quads = new int[given.size()][4];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < quads.length; i++) {
            StringBuilder name = new StringBuilder("DIH");
            for (int k = 0; k < 4; k++) {
                double a = given.get(i).get(k);
                if (a >= topology.atoms()) {
                    throw new ConfigurationException(ID + ": dihedral " + i + " names atom " + (long) a + ", but "
                            + topologyFile + " has " + topology.atoms() + " atoms (indices 0 to "
                            + (topology.atoms() - 1) + ")");
                }
                quads[i][k] = (int) a;
                Topology.Atom atom = topology.atom((int) a);
                name.append(' ').append(atom.residueName()).append(atom.residueNumber()).append(':')
                        .append(atom.name());
            }
            names.add(name.toString());
        }
        boolean sincos = settings.get(OUTPUT).equals("sincos");
        boolean periodic = settings.get(PERIODIC);
        List<String> labels = new ArrayList<>();
        for (String n : names) {
            if (sincos) {
                labels.add("COS(" + n + ")");
                labels.add("SIN(" + n + ")");
            } else {
                labels.add(n);
            }
        }
        List<String> fixed = List.copyOf(labels);
        return new Plan() {
            @Override
            public List<String> labels() {
                return fixed;
            }

            @Override
            public void compute(FrameChunk chunk, int f, double[] out, int offset) {
                double[] box = periodic ? orthorhombicBox(chunk, f) : null;
                for (int i = 0; i < quads.length; i++) {
                    double phi = dihedral(chunk, f, quads[i], box);
                    if (sincos) {
                        out[offset + 2 * i] = Math.cos(phi);
                        out[offset + 2 * i + 1] = Math.sin(phi);
                    } else {
                        out[offset + i] = phi;
                    }
                }
            }
        };
    }

    /** The box lengths when frame f has an orthorhombic box; null otherwise. */
    static double[] orthorhombicBox(FrameChunk chunk, int f) {
        if (!chunk.hasBox()) {
            return null;
        }
        double[] l = { chunk.box(f, 0), chunk.box(f, 4), chunk.box(f, 8) };
        boolean orthorhombic = chunk.box(f, 1) == 0 && chunk.box(f, 2) == 0 && chunk.box(f, 3) == 0
                && chunk.box(f, 5) == 0 && chunk.box(f, 6) == 0 && chunk.box(f, 7) == 0;
        return orthorhombic && l[0] > 0 && l[1] > 0 && l[2] > 0 ? l : null;
    }

    /** The dihedral of atoms q in frame f, radians in (-pi, pi] (IUPAC sign convention). */
    static double dihedral(FrameChunk c, int f, int[] q, double[] box) {
        double[] b1 = bond(c, f, q[0], q[1], box), b2 = bond(c, f, q[1], q[2], box), b3 = bond(c, f, q[2], q[3], box);
        double[] n1 = cross(b1, b2), n2 = cross(b2, b3);
        double b2len = Math.sqrt(dot(b2, b2));
        double y = b2len * dot(b1, n2);
        double x = dot(n1, n2);
        return Math.atan2(y, x);
    }

    private static double[] bond(FrameChunk c, int f, int a, int b, double[] box) {
        double[] v = new double[3];
        for (int k = 0; k < 3; k++) {
            double d = (double) c.coordinate(f, b, k) - c.coordinate(f, a, k);
            if (box != null) {
                d -= box[k] * Math.rint(d / box[k]);
            }
            v[k] = d;
        }
        return v;
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] { a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0] };
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%s)", label(), ID);
    }
}
