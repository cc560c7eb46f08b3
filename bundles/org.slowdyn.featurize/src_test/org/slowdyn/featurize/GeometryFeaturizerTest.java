package org.slowdyn.featurize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.TrajectoryInput;
import org.slowdyn.io.FrameChunk;
import org.slowdyn.io.PdbReader;
import org.slowdyn.io.TrajectoryFiles;
import org.slowdyn.io.TrajectoryReader;

class GeometryFeaturizerTest {
    static final Path DATA = TorsionFeaturizerTest.data();

    private static FrameChunk firstFrames(int n) {
        try (TrajectoryReader r = TrajectoryFiles.open(DATA.resolve("ala2_0-10ns.xtc"))) {
            return r.read(n, 1);
        }
    }

    @Test
    void distancesMatchTheEuclideanFormula() {
        FeatureSeries d = new DistanceFeaturizer().featurize(
                TrajectoryInput.ofFiles(List.of(DATA.resolve("ala2_0-10ns.xtc")), DATA.resolve("ala2.pdb")),
                DistanceFeaturizer.SCHEMA.defaults().with(DistanceFeaturizer.SELECTION1, "name CA C N"), null).get(0);
        // atoms C 4, N 6, CA 8, C 14, N 16 and NME's methyl C 18: 15 pairs within the selection
        assertEquals(15, d.features());
        assertEquals("DIST: C 1 - N 2", d.labels().get(0));
        FrameChunk c = firstFrames(50);
        for (int f = 0; f < 50; f++) {
            double dx = c.coordinate(f, 6, 0) - c.coordinate(f, 4, 0), dy = c.coordinate(f, 6, 1)
                    - c.coordinate(f, 4, 1), dz = c.coordinate(f, 6, 2) - c.coordinate(f, 4, 2);
            assertEquals(Math.sqrt(dx * dx + dy * dy + dz * dz), d.get(f, 0), 1e-12);
        }
        // the C-N peptide bond is about 0.133 nm
        assertEquals(0.133, d.get(0, 0), 0.01);
    }

    @Test
    void minimumImageInARectangularBox() {
        // two atoms 0.1 nm from opposite faces of a 3 nm box are 0.2 nm apart through the boundary
        float[] xyz = { 0.1f, 1, 1, 2.9f, 1, 1 };
        double[] box = { 3, 0, 0, 0, 3, 0, 0, 0, 3 };
        FrameChunk c = new FrameChunk(2, 1, 0, xyz, new double[] { 0 }, box);
        assertEquals(0.2, Geometry.distance(c, 0, 0, 1, true), 1e-6);
        assertEquals(2.8, Geometry.distance(c, 0, 0, 1, false), 1e-6);
        // a triclinic box: b tilted by 1 nm along x
        double[] tilted = { 3, 0, 0, 1, 3, 0, 0, 0, 3 };
        float[] pair = { 0.2f, 0.1f, 1, 1.0f, 2.9f, 1 };
        FrameChunk t = new FrameChunk(2, 1, 0, pair, new double[] { 0 }, tilted);
        // the image of atom 1 shifted by -b is at (0, -0.1, 1): 0.2 nm along x and 0.2 along y from atom 0
        assertEquals(Math.sqrt(0.08), Geometry.distance(t, 0, 0, 1, true), 1e-6);
    }

    /**
     * RMSD of frames against the first PDB model, compared with an independent superposition: Kabsch's SVD of the
     * covariance (with the reflection fix), rotating the frame onto the reference and measuring directly.
     */
    @Test
    void rmsdEqualsTheKabschSuperposition() {
        FeatureSeries r = new RmsdFeaturizer().featurize(
                TrajectoryInput.ofFiles(List.of(DATA.resolve("ala2_0-10ns.xtc")), DATA.resolve("ala2.pdb")),
                RmsdFeaturizer.SCHEMA.defaults().with(RmsdFeaturizer.SELECTION, "not element H"), null).get(0);
        assertEquals(List.of("RMSD: not element H to ala2.pdb"), r.labels());
        float[] ref = PdbReader.read(DATA.resolve("ala2.pdb")).coordinates();
        int[] heavy = { 0, 4, 5, 6, 8, 10, 14, 15, 16, 18 };
        FrameChunk c = firstFrames(20);
        for (int f = 0; f < 20; f++) {
            double[][] p = new double[heavy.length][3], q = new double[heavy.length][3];
            for (int i = 0; i < heavy.length; i++) {
                for (int k = 0; k < 3; k++) {
                    p[i][k] = c.coordinate(f, heavy[i], k);
                    q[i][k] = ref[3 * heavy[i] + k];
                }
            }
            assertEquals(kabschRmsd(p, q), r.get(f, 0), 1e-6, "frame " + f);
        }
        assertTrue(r.get(0, 0) > 0.01, "the frames are not the reference structure");
    }

    static double kabschRmsd(double[][] p, double[][] q) {
        int n = p.length;
        center(p);
        center(q);
        RealMatrix h = new Array2DRowRealMatrix(3, 3);
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    h.addToEntry(a, b, p[i][a] * q[i][b]);
                }
            }
        }
        SingularValueDecomposition svd = new SingularValueDecomposition(h);
        RealMatrix v = svd.getV(), ut = svd.getUT();
        double det = new org.apache.commons.math3.linear.LUDecomposition(v.multiply(ut)).getDeterminant();
        RealMatrix dfix = new Array2DRowRealMatrix(new double[][] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, det < 0 ? -1 : 1 } });
        RealMatrix rot = v.multiply(dfix).multiply(ut);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double[] rp = rot.operate(p[i]);
            for (int k = 0; k < 3; k++) {
                sum += (rp[k] - q[i][k]) * (rp[k] - q[i][k]);
            }
        }
        return Math.sqrt(sum / n);
    }

    private static void center(double[][] x) {
        double[] m = new double[3];
        for (double[] r : x) {
            for (int k = 0; k < 3; k++) {
                m[k] += r[k] / x.length;
            }
        }
        for (double[] r : x) {
            for (int k = 0; k < 3; k++) {
                r[k] -= m[k];
            }
        }
    }

    @Test
    void contactsOfResiduesApartAndTooFewResiduesIsAnError() {
        FeatureSeries ca = new ContactFeaturizer().featurize(
                TrajectoryInput.ofFiles(List.of(DATA.resolve("ala2_0-10ns.xtc")), DATA.resolve("ala2.pdb")),
                ContactFeaturizer.SCHEMA.defaults().with(ContactFeaturizer.MIN_SEPARATION, 2), null).get(0);
        // ACE 1 and NME 3 are two residues apart: their closest heavy atoms over all pairs
        assertEquals(List.of("CONTACT: ACE 1 - NME 3"), ca.labels());
        FrameChunk c = firstFrames(5);
        int[] ace = { 0, 4, 5 }, nme = { 16, 18 };
        for (int f = 0; f < 5; f++) {
            double min = Double.POSITIVE_INFINITY;
            for (int i : ace) {
                for (int j : nme) {
                    min = Math.min(min, Geometry.distance(c, f, i, j, false));
                }
            }
            assertEquals(min, ca.get(f, 0), 1e-12);
        }
        assertThrows(ConfigurationException.class, () -> new ContactFeaturizer().featurize(
                TrajectoryInput.ofFiles(List.of(DATA.resolve("ala2_0-10ns.xtc")), DATA.resolve("ala2.pdb")),
                ContactFeaturizer.SCHEMA.defaults(), null));
    }
}
