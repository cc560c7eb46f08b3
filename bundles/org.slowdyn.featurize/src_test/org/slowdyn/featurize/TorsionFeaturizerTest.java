package org.slowdyn.featurize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowdyn.core.InputException;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.TrajectoryInput;

/** phi and psi of alanine dipeptide against MDTraj 1.9.7's compute_phi/compute_psi on the same files. */
class TorsionFeaturizerTest {
    @TempDir
    Path tmp;

    static Path data() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isRegularFile(p.resolve("shared/data/ala2.pdb"))) {
                return p.resolve("shared/data");
            }
            p = p.getParent();
        }
        Assumptions.abort("../shared/data is not available");
        return null;
    }

    private static FeatureSeries torsions(Path trajectory, Path pdb, String output) {
        return new TorsionFeaturizer().featurize(TrajectoryInput.ofFiles(List.of(trajectory), pdb),
                TorsionFeaturizer.SCHEMA.defaults().with(TorsionFeaturizer.OUTPUT, output), null).get(0);
    }

    private static double angleDifference(double a, double b) {
        double d = Math.abs(a - b) % (2 * Math.PI);
        return Math.min(d, 2 * Math.PI - d);
    }

    @Test
    void phiPsiMatchMdtrajForXtcAndDcd() throws IOException {
        Path dir = data();
        for (String ext : List.of("xtc", "dcd")) {
            FeatureSeries s = torsions(dir.resolve("ala2_0-10ns." + ext), dir.resolve("ala2.pdb"), "radians");
            assertEquals(List.of("PHI 0 ALA 2", "PSI 0 ALA 2"), s.labels());
            assertEquals(1.0, s.frameInterval(), 0.0);
            assertEquals("ps", s.timeUnit());
            List<String> ref = Files.readAllLines(dir.resolve("ala2_0-10ns." + ext + ".phi_psi.mdtraj.txt")).stream()
                    .filter(l -> !l.startsWith("#") && !l.startsWith("frame")).toList();
            assertEquals(ref.size(), s.frames());
            for (int i = 0; i < s.frames(); i++) {
                String[] t = ref.get(i).trim().split("\\s+");
                assertEquals(0.0, angleDifference(s.get(i, 0), Double.parseDouble(t[1])), 1e-5, ext + " phi " + i);
                assertEquals(0.0, angleDifference(s.get(i, 1), Double.parseDouble(t[2])), 1e-5, ext + " psi " + i);
            }
        }
    }

    @Test
    void sinCosOutputAndAtomCountCheck() throws IOException {
        Path dir = data();
        FeatureSeries rad = torsions(dir.resolve("ala2_0-10ns.xtc"), dir.resolve("ala2.pdb"), "radians");
        FeatureSeries sc = torsions(dir.resolve("ala2_0-10ns.xtc"), dir.resolve("ala2.pdb"), "sincos");
        assertEquals(List.of("COS(PHI 0 ALA 2)", "SIN(PHI 0 ALA 2)", "COS(PSI 0 ALA 2)", "SIN(PSI 0 ALA 2)"),
                sc.labels());
        for (int i = 0; i < 100; i++) {
            assertEquals(Math.cos(rad.get(i, 1)), sc.get(i, 2), 1e-12);
            assertEquals(Math.sin(rad.get(i, 0)), sc.get(i, 1), 1e-12);
        }
        // a topology with one atom fewer does not fit the trajectory
        List<String> lines = Files.readAllLines(dir.resolve("ala2.pdb"));
        Path shortPdb = tmp.resolve("short.pdb");
        Files.write(shortPdb, lines.stream().filter(l -> !l.contains("HETATM   22")).toList());
        InputException e = assertThrows(InputException.class,
                () -> torsions(dir.resolve("ala2_0-10ns.xtc"), shortPdb, "radians"));
        assertTrue(e.getMessage().contains("22 atoms per frame") && e.getMessage().contains("has 21"), e.getMessage());
    }

    /**
     * Hand-built dihedrals of magnitude 90 degrees: mirroring the last atom flips the sign. (The sign convention
     * itself is that of MDTraj, checked on real data above.)
     */
    @Test
    void dihedralSignConvention() {
        float[] x = { 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1 };
        assertEquals(-Math.PI / 2, TorsionFeaturizer.dihedral(x, 0, 0, 1, 2, 3), 1e-12);
        float[] mirror = { 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, -1 };
        assertEquals(Math.PI / 2, TorsionFeaturizer.dihedral(mirror, 0, 0, 1, 2, 3), 1e-12);
    }
}
