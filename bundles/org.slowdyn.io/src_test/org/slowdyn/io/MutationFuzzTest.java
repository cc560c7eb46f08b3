package org.slowdyn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowdyn.core.InputException;

/**
 * Seeded mutations of valid XTC, TRR, DCD and .npy files (bit flips, overwritten bytes and extreme integers,
 * truncation, insertion): reading a mutated file either succeeds or fails with {@link InputException} naming the
 * file; no other exception or error escapes, and no read takes more than a second. {@code slowdyn.fuzz.count}
 * (default 10,000 per format) sets the number of mutations; {@code benchmarks/fuzz-readers.sh} runs a million.
 */
class MutationFuzzTest {
    static final int COUNT = Integer.getInteger("slowdyn.fuzz.count", 10_000);
    static final long SEED = Long.getLong("slowdyn.fuzz.seed", 20261129L);

    @TempDir
    Path tmp;

    /** Reads everything; returns the frames (or values) read. */
    interface Reader {
        long read(Path file);
    }

    static long readTrajectory(Path file) {
        long frames = 0;
        try (TrajectoryReader r = TrajectoryFiles.open(file)) {
            for (FrameChunk c; (c = r.read(7, 1)) != null;) {
                frames += c.frames();
                for (int f = 0; f < c.frames(); f++) {
                    for (int a = 0; a < c.atoms(); a++) {
                        for (int k = 0; k < 3; k++) {
                            if (!Float.isFinite(c.coordinate(f, a, k))) {
                                throw new AssertionError(file + ": non-finite coordinate returned at frame "
                                        + (c.firstFrame() + f));
                            }
                        }
                    }
                }
            }
        }
        return frames;
    }

    static long readNpy(Path file) {
        return Npy.read(file).size();
    }

    /** Small valid files of each format: 20 atoms, 30 frames with a box (npy: 30 x 3 float64). */
    Map<String, byte[]> originals() throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        int atoms = 20, frames = 30;
        float[][] xyz = new float[frames][atoms * 3];
        for (float[] f : xyz) {
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) (1 + 2 * r.nextDouble());
            }
        }
        float[] box = { 3f, 0, 0, 0, 3f, 0, 0, 0, 3f };
        Map<String, byte[]> out = new LinkedHashMap<>();
        Path xtc = tmp.resolve("o.xtc"), trr = tmp.resolve("o.trr"), dcd = tmp.resolve("o.dcd"),
                npy = tmp.resolve("o.npy");
        try (XtcWriter w = new XtcWriter(xtc, atoms, 1000f)) {
            for (int f = 0; f < frames; f++) {
                w.write(f, f * 2f, xyz[f], box);
            }
        }
        try (TrrWriter w = new TrrWriter(trr, atoms, false)) {
            for (int f = 0; f < frames; f++) {
                w.write(f, f * 2.0, xyz[f], null, box);
            }
        }
        try (DcdWriter w = new DcdWriter(dcd, atoms, 0, 2.0, true, "fuzz")) {
            for (int f = 0; f < frames; f++) {
                w.write(xyz[f], new double[] { 3, 0, 0, 0, 3, 0, 0, 0, 3 });
            }
        }
        double[] values = new double[90];
        for (int i = 0; i < values.length; i++) {
            values[i] = r.nextDouble();
        }
        Npy.write(npy, new int[] { 30, 3 }, values, false);
        for (Path p : List.of(xtc, trr, dcd, npy)) {
            out.put(p.getFileName().toString().substring(2), Files.readAllBytes(p));
        }
        return out;
    }

    static byte[] mutate(byte[] in, SplittableRandom r) {
        byte[] b = in.clone();
        switch (r.nextInt(6)) {
        case 0: { // flip 1-8 bits
            int n = 1 + r.nextInt(8);
            for (int i = 0; i < n; i++) {
                b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            }
            return b;
        }
        case 1: { // overwrite a run of random bytes
            int at = r.nextInt(b.length), n = 1 + r.nextInt(16);
            for (int i = at; i < Math.min(b.length, at + n); i++) {
                b[i] = (byte) r.nextInt(256);
            }
            return b;
        }
        case 2: { // an extreme 32-bit integer at an aligned offset
            int[] extremes = { 0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7fff_ffff - r.nextInt(16),
                    1 << r.nextInt(31), r.nextInt() };
            int at = (r.nextInt(Math.max(1, b.length / 4))) * 4;
            int v = extremes[r.nextInt(extremes.length)];
            for (int i = 0; i < 4 && at + i < b.length; i++) {
                b[at + i] = (byte) (v >>> (24 - 8 * i));
            }
            return b;
        }
        case 3: // truncate
            return java.util.Arrays.copyOf(b, r.nextInt(b.length));
        case 4: { // insert bytes
            int at = r.nextInt(b.length + 1), n = 1 + r.nextInt(12);
            byte[] c = new byte[b.length + n];
            System.arraycopy(b, 0, c, 0, at);
            for (int i = 0; i < n; i++) {
                c[at + i] = (byte) r.nextInt(256);
            }
            System.arraycopy(b, at, c, at + n, b.length - at);
            return c;
        }
        default: { // a float NaN or infinity at an aligned offset
            float[] bad = { Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e30f, -1e30f };
            int at = (r.nextInt(Math.max(1, b.length / 4))) * 4;
            int v = Float.floatToRawIntBits(bad[r.nextInt(bad.length)]);
            for (int i = 0; i < 4 && at + i < b.length; i++) {
                b[at + i] = (byte) (v >>> (24 - 8 * i));
            }
            return b;
        }
        }
    }

    @Test
    void mutatedFilesFailOnlyWithInputErrorsThatNameTheFile() throws IOException {
        Map<String, byte[]> originals = originals();
        Map<String, Reader> readers = Map.of("xtc", MutationFuzzTest::readTrajectory, "trr",
                MutationFuzzTest::readTrajectory, "dcd", MutationFuzzTest::readTrajectory, "npy",
                MutationFuzzTest::readNpy);
        List<String> escapes = new ArrayList<>();
        StringBuilder summary = new StringBuilder();
        for (Map.Entry<String, byte[]> e : originals.entrySet()) {
            String format = e.getKey();
            Reader reader = readers.get(format);
            Path file = tmp.resolve("m." + format);
            Files.write(file, e.getValue());
            assertTrue(reader.read(file) > 0, format + ": the unmutated file reads");
            SplittableRandom r = new SplittableRandom(SEED ^ format.hashCode());
            int ok = 0, refused = 0, escaped = 0;
            long slowest = 0;
            for (int i = 0; i < COUNT; i++) {
                byte[] m = mutate(e.getValue(), r);
                Files.write(file, m);
                long t0 = System.nanoTime();
                try {
                    reader.read(file);
                    ok++;
                } catch (InputException x) {
                    refused++;
                    if (!x.getMessage().contains(file.toString())) {
                        escaped++;
                        if (escaped <= 5) {
                            escapes.add(format + " mutation " + i + ": message does not name the file: "
                                    + x.getMessage());
                        }
                    }
                } catch (Throwable x) {
                    escaped++;
                    if (escaped <= 5) {
                        StackTraceElement at = x.getStackTrace().length > 0 ? x.getStackTrace()[0] : null;
                        escapes.add(format + " mutation " + i + ": " + x + " at " + at);
                    }
                }
                slowest = Math.max(slowest, System.nanoTime() - t0);
            }
            summary.append(String.format("%s: %d mutations, %d read, %d refused, %d escaped, slowest %.1f ms%n",
                    format, COUNT, ok, refused, escaped, slowest / 1e6));
            assertTrue(slowest < 1_000_000_000L, format + ": a read took " + slowest / 1e6 + " ms");
        }
        System.out.print(summary);
        assertEquals(List.of(), escapes, summary.toString());
    }
}
