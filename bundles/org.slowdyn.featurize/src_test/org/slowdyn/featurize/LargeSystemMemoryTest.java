package org.slowdyn.featurize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.TrajectoryInput;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.io.XtcWriter;

/**
 * A 200,000-atom system featurized in the small heap this module's tests run in (-Xmx256m, see pom.xml): chunks are
 * sized by bytes, not by a frame count (4,096 frames of it would be 9.8 GB), and the distances come out as computed
 * directly from the coordinates written.
 */
class LargeSystemMemoryTest {
    static final int ATOMS = 200_000, FRAMES = 40;

    @TempDir
    Path tmp;

    @Test
    void twoHundredThousandAtomsFeaturizeInASmallHeap() throws IOException {
        assertTrue(Runtime.getRuntime().maxMemory() <= 300L << 20, "this test is meant to run with -Xmx256m, has "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
        Path gro = tmp.resolve("big.gro"), xtc = tmp.resolve("big.xtc");
        SplittableRandom r = new SplittableRandom(1);
        float[] xyz = new float[ATOMS * 3];
        for (int i = 0; i < xyz.length; i++) {
            xyz[i] = (float) (1 + 8 * r.nextDouble());
        }
        try (BufferedWriter w = Files.newBufferedWriter(gro)) {
            w.write("synthetic water box\n" + ATOMS + "\n");
            for (int a = 0; a < ATOMS; a++) {
                w.write(String.format(Locale.ROOT, "%5d%-5s%5s%5d%8.3f%8.3f%8.3f%n", (a / 3 + 1) % 100_000, "SOL",
                        a % 3 == 0 ? "OW" : "HW" + (a % 3), (a + 1) % 100_000, xyz[3 * a], xyz[3 * a + 1],
                        xyz[3 * a + 2]));
            }
            w.write("  10.00000  10.00000  10.00000\n");
        }
        double[] expected = new double[FRAMES];
        try (XtcWriter w = new XtcWriter(xtc, ATOMS, 1000f)) {
            for (int f = 0; f < FRAMES; f++) {
                // atom 7 moves along x; every other atom stays
                xyz[3 * 7] = 2f + 0.05f * f;
                double dx = xyz[3 * 7] - xyz[0], dy = xyz[3 * 7 + 1] - xyz[1], dz = xyz[3 * 7 + 2] - xyz[2];
                expected[f] = Math.sqrt(dx * dx + dy * dy + dz * dz);
                w.write(f, f * 10f, xyz, new float[] { 10, 0, 0, 0, 10, 0, 0, 0, 10 });
            }
        }
        Settings s = DistanceFeaturizer.SCHEMA.defaults().edit()
                .set(DistanceFeaturizer.PAIRS, List.of(List.of(0.0, 7.0))).set(DistanceFeaturizer.PERIODIC, false)
                .done();
        FeatureSeries d = new DistanceFeaturizer().featurize(TrajectoryInput.ofFiles(List.of(xtc), gro), s, null)
                .get(0);
        assertEquals(FRAMES, d.frames());
        for (int f = 0; f < FRAMES; f++) {
            // XTC stores coordinates to 1e-3 nm: a distance is good to sqrt(3) * 1e-3
            assertEquals(expected[f], d.get(f, 0), 2e-3, "frame " + f);
        }
        assertEquals(10.0, d.frameInterval(), 1e-9);
    }
}
