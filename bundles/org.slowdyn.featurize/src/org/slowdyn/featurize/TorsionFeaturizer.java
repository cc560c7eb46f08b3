package org.slowdyn.featurize;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;
import org.slowdyn.io.FrameChunk;
import org.slowdyn.io.Topology;

/**
 * Backbone torsions found from the topology: phi (C of the previous residue, N, CA, C), psi (N, CA, C, N of the next
 * residue) and omega (CA, C, N and CA of the next residue), within one chain; in radians in (-pi, pi] or as cosine
 * and sine. Labels as PyEMMA writes them: {@code PHI 0 ALA 2} (angle, chain index, residue name and number), and
 * {@code COS(PHI 0 ALA 2)}, {@code SIN(PHI 0 ALA 2)}.
 */
public class TorsionFeaturizer extends TrajectoryFeaturizer {
    public static final String ID = "featurize.torsions";

    public static final Setting<List<String>> ANGLES = Setting.textList("angles", List.of("phi", "psi"), 1,
            "backbone torsions to compute: phi, psi, omega");
    public static final Setting<String> OUTPUT = Setting.choice("output", "radians", List.of("radians", "sincos"),
            "angles in radians, or each angle as its cosine and sine");
    public static final SettingsSchema SCHEMA = schema(TorsionFeaturizer::check, ANGLES, OUTPUT);

    private static void check(Settings s) {
        for (String a : s.get(ANGLES)) {
            if (!List.of("phi", "psi", "omega").contains(a)) {
                throw new org.slowdyn.core.settings.InvalidSettingException(ANGLES.name(), "setting 'angles' has '" + a
                        + "': expected phi, psi or omega");
            }
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "Backbone torsions";
    }

    @Override
    public String description() {
        return "phi, psi, omega from XTC, TRR, DCD or GRO trajectories and a PDB or GRO topology, in radians or as (cos, sin)";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    /** Atom quadruples and labels of the requested torsions, in residue order, phi then psi then omega. */
    static List<int[]> torsions(Topology top, List<String> angles, List<String> labels) {
        List<int[]> quads = new ArrayList<>();
        List<String> chains = new ArrayList<>();
        for (Topology.Atom a : top.atomList()) {
            if (!chains.contains(a.chain())) {
                chains.add(a.chain());
            }
        }
        for (String angle : angles) {
            for (int r = 0; r < top.residues(); r++) {
                List<Topology.Atom> res = top.residue(r);
                if (res.isEmpty()) {
                    continue;
                }
                String chain = res.get(0).chain();
                int[] q;
                switch (angle) {
                case "phi":
                    q = r > 0 && sameChain(top, r - 1, chain)
                            ? new int[] { top.find(r - 1, "C"), top.find(r, "N"), top.find(r, "CA"), top.find(r, "C") }
                            : null;
                    break;
                case "psi":
                    q = r + 1 < top.residues() && sameChain(top, r + 1, chain)
                            ? new int[] { top.find(r, "N"), top.find(r, "CA"), top.find(r, "C"), top.find(r + 1, "N") }
                            : null;
                    break;
                default:
                    q = r + 1 < top.residues() && sameChain(top, r + 1, chain)
                            ? new int[] { top.find(r, "CA"), top.find(r, "C"), top.find(r + 1, "N"),
                                    top.find(r + 1, "CA") }
                            : null;
                    break;
                }
                if (q == null || q[0] < 0 || q[1] < 0 || q[2] < 0 || q[3] < 0) {
                    continue;
                }
                quads.add(q);
                labels.add(angle.toUpperCase(java.util.Locale.ROOT) + " " + chains.indexOf(chain) + " "
                        + res.get(0).residueName() + " " + res.get(0).residueNumber());
            }
        }
        return quads;
    }

    private static boolean sameChain(Topology top, int r, String chain) {
        List<Topology.Atom> res = top.residue(r);
        return !res.isEmpty() && res.get(0).chain().equals(chain);
    }

    /** Dihedral angle of four points in (-pi, pi], the IUPAC sign convention. */
    static double dihedral(float[] x, int base, int a, int b, int c, int d) {
        double b1x = x[base + 3 * b] - x[base + 3 * a], b1y = x[base + 3 * b + 1] - x[base + 3 * a + 1],
                b1z = x[base + 3 * b + 2] - x[base + 3 * a + 2];
        double b2x = x[base + 3 * c] - x[base + 3 * b], b2y = x[base + 3 * c + 1] - x[base + 3 * b + 1],
                b2z = x[base + 3 * c + 2] - x[base + 3 * b + 2];
        double b3x = x[base + 3 * d] - x[base + 3 * c], b3y = x[base + 3 * d + 1] - x[base + 3 * c + 1],
                b3z = x[base + 3 * d + 2] - x[base + 3 * c + 2];
        // n1 = b1 x b2, n2 = b2 x b3
        double n1x = b1y * b2z - b1z * b2y, n1y = b1z * b2x - b1x * b2z, n1z = b1x * b2y - b1y * b2x;
        double n2x = b2y * b3z - b2z * b3y, n2y = b2z * b3x - b2x * b3z, n2z = b2x * b3y - b2y * b3x;
        double b2len = Math.sqrt(b2x * b2x + b2y * b2y + b2z * b2z);
        double y = b2len * (b1x * n2x + b1y * n2y + b1z * n2z);
        double xx = n1x * n2x + n1y * n2y + n1z * n2z;
        return Math.atan2(y, xx);
    }

    @Override
    public Plan plan(Topology topology, Path topologyFile, Settings settings) {
        List<String> names = new ArrayList<>();
        List<int[]> quads = torsions(topology, settings.get(ANGLES), names);
        if (quads.isEmpty()) {
            throw new ConfigurationException(ID + ": no " + settings.get(ANGLES) + " torsion found in "
                    + topology.source() + " (atoms N, CA, C of consecutive residues of one chain are needed)");
        }
        boolean sincos = settings.get(OUTPUT).equals("sincos");
        List<String> labels = new ArrayList<>();
        for (String n : names) {
            if (sincos) {
                labels.add("COS(" + n + ")");
                labels.add("SIN(" + n + ")");
            } else {
                labels.add(n);
            }
        }
        int[][] q = quads.toArray(new int[0][]);
        return new Plan() {
            @Override
            public List<String> labels() {
                return labels;
            }

            @Override
            public void compute(FrameChunk chunk, int f, double[] out, int offset) {
                float[] x = chunk.coordinates();
                int base = f * chunk.atoms() * 3;
                for (int k = 0; k < q.length; k++) {
                    double angle = dihedral(x, base, q[k][0], q[k][1], q[k][2], q[k][3]);
                    if (sincos) {
                        out[offset + 2 * k] = Math.cos(angle);
                        out[offset + 2 * k + 1] = Math.sin(angle);
                    } else {
                        out[offset + k] = angle;
                    }
                }
            }
        };
    }
}
