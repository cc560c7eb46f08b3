package org.slowdyn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowdyn.core.InputException;

/**
 * GRO, TRR, DCD writing, NumPy .npy, start/stride skipping and joined files, on the alanine-dipeptide frames of
 * ../shared/data (decoded from its XTC, which MdReadersTest checks against MDTraj) and on NumPy's own bytes.
 */
class MoreFormatsTest {
    @TempDir
    Path tmp;

    /** The first n frames of the reference XTC. */
    private static FrameChunk reference(int n) {
        try (XtcReader r = new XtcReader(SharedData.dir().resolve("ala2_0-10ns.xtc"))) {
            return r.read(n, 1);
        }
    }

    private static float[] frame(FrameChunk c, int f) {
        return java.util.Arrays.copyOfRange(c.coordinates(), f * c.atoms() * 3, (f + 1) * c.atoms() * 3);
    }

    private static void assertSameFrames(FrameChunk expected, int[] frames, FrameChunk actual, double tolerance) {
        assertEquals(frames.length, actual.frames());
        for (int i = 0; i < frames.length; i++) {
            assertEquals(expected.time(frames[i]), actual.time(i), 1e-9 * Math.abs(expected.time(frames[i])),
                    "time of frame " + frames[i]);
            for (int a = 0; a < expected.atoms(); a++) {
                for (int k = 0; k < 3; k++) {
                    assertEquals(expected.coordinate(frames[i], a, k), actual.coordinate(i, a, k), tolerance,
                            "frame " + frames[i] + " atom " + a);
                }
            }
        }
    }

    private static int[] range(int from, int to, int step) {
        return java.util.stream.IntStream.iterate(from, i -> i < to, i -> i + step).toArray();
    }

    /** A GRO file written here by hand in GROMACS' layout, with the PDB's names and the XTC's coordinates. */
    private Path writeGro(FrameChunk c, int frames, String coordinateFormat, boolean velocities) throws IOException {
        Topology t = PdbReader.read(SharedData.dir().resolve("ala2.pdb")).topology();
        StringBuilder s = new StringBuilder();
        for (int f = 0; f < frames; f++) {
            s.append(String.format(Locale.ROOT, "Alanine dipeptide in water t= %10.5f step= %d%n", c.time(f), f));
            s.append(String.format(Locale.ROOT, "%5d%n", t.atoms()));
            for (Topology.Atom a : t.atomList()) {
                s.append(String.format(Locale.ROOT, "%5d%-5s%5s%5d", a.residueNumber(), a.residueName(), a.name(),
                        a.index() + 1));
                for (int k = 0; k < 3; k++) {
                    s.append(String.format(Locale.ROOT, coordinateFormat, c.coordinate(f, a.index(), k)));
                }
                if (velocities) {
                    s.append(String.format(Locale.ROOT, "%8.4f%8.4f%8.4f", -1.2345, 0.5, 12.25));
                }
                s.append('\n');
            }
            s.append(String.format(Locale.ROOT, "%10.5f%10.5f%10.5f%n", 2.5, 2.6, 2.7 + f * 0.001));
        }
        Path gro = tmp.resolve("ala2-" + coordinateFormat.length() + velocities + ".gro");
        Files.writeString(gro, s.toString());
        return gro;
    }

    @Test
    void groTopologyMatchesThePdbAndFramesMatchTheXtcToTheWrittenPrecision() throws IOException {
        FrameChunk ref = reference(50);
        Topology pdb = PdbReader.read(SharedData.dir().resolve("ala2.pdb")).topology();
        for (String format : List.of("%8.3f", "%10.5f")) {
            for (boolean velocities : List.of(false, true)) {
                Path gro = writeGro(ref, 50, format, velocities);
                Structure s = TrajectoryFiles.structure(gro);
                assertEquals(pdb.atoms(), s.topology().atoms());
                assertEquals(pdb.residues(), s.topology().residues());
                for (int a = 0; a < pdb.atoms(); a++) {
                    Topology.Atom p = pdb.atom(a), g = s.topology().atom(a);
                    assertEquals(p.name(), g.name());
                    assertEquals(p.residueName(), g.residueName());
                    assertEquals(p.residueIndex(), g.residueIndex());
                    assertEquals(p.element(), g.element(), "element guessed from the name of " + p.name());
                }
                double precision = format.equals("%8.3f") ? 0.5e-3 : 0.5e-5;
                try (TrajectoryReader r = TrajectoryFiles.open(gro)) {
                    FrameChunk c = r.read(100, 3);
                    assertSameFrames(ref, range(0, 50, 3), c, precision + 1e-6);
                    assertEquals(2.7 + 3 * 0.001, c.box(1, 8), 1e-12);
                    assertEquals(2.5, c.box(1, 0), 1e-12);
                    assertEquals(0.0, c.box(1, 1), 0.0);
                    assertNull(r.read(10, 1));
                    assertEquals(50, r.position());
                }
            }
        }
    }

    @Test
    void damagedGroFilesNameTheLineAndFrame() throws IOException {
        Path gro = writeGro(reference(3), 3, "%8.3f", false);
        List<String> lines = Files.readAllLines(gro);
        Path cut = tmp.resolve("cut.gro");
        Files.write(cut, lines.subList(0, 24 + 10));
        InputException e = assertThrows(InputException.class, () -> {
            try (GroReader r = new GroReader(cut)) {
                r.read(10, 1);
            }
        });
        assertTrue(e.getMessage().contains("cut.gro, line 35, frame 1: file ends where atom 8 of 22")
                && e.getMessage().contains("1 complete frames were read"), e.getMessage());
        List<String> bad = new ArrayList<>(lines);
        bad.set(26, "   23");
        Path count = tmp.resolve("count.gro");
        Files.write(count, bad);
        e = assertThrows(InputException.class, () -> {
            try (GroReader r = new GroReader(count)) {
                r.read(10, 1);
            }
        });
        assertTrue(e.getMessage().contains("line 27, frame 1: 23 atoms, but the first frame has 22"), e.getMessage());
        bad = new ArrayList<>(lines);
        bad.set(5, bad.get(5).substring(0, 28) + "     nan" + bad.get(5).substring(36));
        Path nan = tmp.resolve("nan.gro");
        Files.write(nan, bad);
        e = assertThrows(InputException.class, () -> {
            try (GroReader r = new GroReader(nan)) {
                r.read(10, 1);
            }
        });
        assertTrue(e.getMessage().contains("line 6, frame 0: atom 4: coordinate is not finite"), e.getMessage());
    }

    @Test
    void trrRoundTripsInSingleAndDoublePrecisionWithVelocitiesSkipped() throws IOException {
        FrameChunk ref = reference(200);
        float[] box = { 2.5f, 0, 0, 0.1f, 2.4f, 0, 0.2f, 0.3f, 2.3f };
        for (boolean dbl : List.of(false, true)) {
            Path trr = tmp.resolve("ala2-" + dbl + ".trr");
            try (TrrWriter w = new TrrWriter(trr, 22, dbl)) {
                for (int f = 0; f < 200; f++) {
                    float[] v = frame(ref, f).clone();
                    java.util.Arrays.fill(v, -7f); // velocities, which the reader must skip
                    w.write(f * 500, ref.time(f), frame(ref, f), f % 2 == 0 ? v : null, f % 3 == 0 ? null : box);
                }
            }
            long realSize = dbl ? 8 : 4;
            long expected = 0;
            for (int f = 0; f < 200; f++) {
                expected += 76 + 2 * realSize + (f % 3 == 0 ? 0 : 9 * realSize) + 66 * realSize * (f % 2 == 0 ? 2 : 1);
            }
            assertEquals(expected, Files.size(trr), "GROMACS' frame layout: header, box, x, v");
            try (TrrReader r = new TrrReader(trr)) {
                assertEquals(22, r.atoms());
                FrameChunk all = r.read(1000, 1);
                assertSameFrames(ref, range(0, 200, 1), all, 0.0);
                assertEquals(2.4, all.box(1, 4), 1e-6);
                assertTrue(Double.isNaN(all.box(0, 4)), "frame 0 has no box");
            }
            try (TrrReader r = new TrrReader(trr)) {
                assertEquals(13, r.skip(13));
                assertEquals(ref.time(12), r.lastTime(), 0.0);
                FrameChunk a = r.read(10, 7), b = r.read(100, 7);
                assertSameFrames(ref, range(13, 83, 7), a, 0.0);
                assertSameFrames(ref, range(83, 200, 7), b, 0.0);
                assertNull(r.read(10, 1));
            }
        }
        Path trr = tmp.resolve("ala2-false.trr");
        byte[] bytes = Files.readAllBytes(trr);
        Path cut = tmp.resolve("cut.trr");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        InputException e = assertThrows(InputException.class, () -> {
            try (TrrReader r = new TrrReader(cut)) {
                r.read(1000, 1);
            }
        });
        assertTrue(e.getMessage().contains("cut.trr, frame 199: truncated last frame")
                && e.getMessage().contains("199 complete frames"), e.getMessage());
        bytes[3] = 7;
        Path foreign = tmp.resolve("foreign.trr");
        Files.write(foreign, bytes);
        assertTrue(assertThrows(InputException.class, () -> new TrrReader(foreign)).getMessage()
                .contains("not a TRR file: magic number"));
    }

    @Test
    void dcdWriterRoundTripsCoordinatesBoxAndTimes() throws IOException {
        FrameChunk ref = reference(300);
        double[] box = new double[9];
        DcdReader.boxVectors(2.5, 2.6, 2.7, Math.toRadians(80), Math.toRadians(95), Math.toRadians(70), box, 0);
        for (boolean cell : List.of(true, false)) {
            Path dcd = tmp.resolve("ala2-" + cell + ".dcd");
            try (DcdWriter w = new DcdWriter(dcd, 22, ref.time(0), ref.time(1) - ref.time(0), cell, "SlowDyn test")) {
                for (int f = 0; f < 300; f++) {
                    w.write(frame(ref, f), box);
                }
            }
            try (DcdReader r = new DcdReader(dcd)) {
                assertEquals(300, r.frames());
                r.skip(10);
                FrameChunk c = r.read(1000, 1);
                assertEquals(290, c.frames());
                for (int f = 0; f < 290; f++) {
                    assertEquals(ref.time(f + 10), c.time(f), 1e-6 * ref.time(f + 10));
                    for (int a = 0; a < 22; a++) {
                        for (int k = 0; k < 3; k++) {
                            // Angstrom in single precision: one rounding each way
                            assertEquals(ref.coordinate(f + 10, a, k), c.coordinate(f, a, k), 1e-6);
                        }
                    }
                }
                assertEquals(cell, c.hasBox());
                for (int k = 0; cell && k < 9; k++) {
                    // lengths and angles are stored as doubles: only double rounding separates them
                    assertEquals(box[k], c.box(5, k), 1e-9, "box component " + k);
                }
            }
            int frames = java.nio.ByteBuffer.wrap(Files.readAllBytes(dcd), 8, 4)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
            assertEquals(300, frames, "frame count in the header, written on close");
        }
    }

    @Test
    void npyReadsNumpysBytesInBothByteOrdersAndWritesWhatNumpyWrites() throws IOException {
        // np.save of np.arange(6).reshape(3, 2) * 1.5 - 2 as <f4 and >f8, and of np.arange(6).reshape(3, 2) *
        // 1000000007 - 3 as <i4 (wrapping) and >i8; numpy 2.4.6
        String f4 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsIDIpLCB9ICAgICAg"
                + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAADAAAAAvwAAgD8AACBAAACAQAAAsEA=";
        String f8 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPmY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsIDIpLCB9ICAgICAg"
                + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIArAAAAAAAAAAL/gAAAAAAAAP/AAAAAAAABABA"
                + "AAAAAAAEAQAAAAAAAAQBYAAAAAAAA=";
        String i4 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsIDIpLCB9ICAgICAg"
                + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr9////BMqaOwuUNXcSXtCyGShr7iDyBSo=";
        String i8 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPmk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsIDIpLCB9ICAgICAg"
                + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr//////////QAAAAA7msoEAAAAAHc1lAsAAA"
                + "AAstBeEgAAAADuaygZAAAAASoF8iA=";
        // np.save of np.array([3, 1, 2], dtype='<i8')
        String i8vector = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAg"
                + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoDAAAAAAAAAAEAAAAAAAAAAgAAAA"
                + "AAAAA=";
        double[] floats = { -2.0, -0.5, 1.0, 2.5, 4.0, 5.5 };
        for (String b64 : List.of(f4, f8)) {
            Npy.Array a = Npy.read(file(b64));
            assertArrayEquals(new int[] { 3, 2 }, a.shape());
            assertArrayEquals(floats, a.doubles(), 0.0);
        }
        Npy.Array a = Npy.read(file(i4));
        assertArrayEquals(new long[] { -3, 1000000004, 2000000011, -1294967278, -294967271, 705032736 }, a.longs());
        a = Npy.read(file(i8));
        assertArrayEquals(new long[] { -3, 1000000004, 2000000011, 3000000018L, 4000000025L, 5000000032L }, a.longs());
        assertEquals(">i8", a.dtype());
        a = Npy.read(file(i8vector));
        assertArrayEquals(new int[] { 3 }, a.shape());
        assertArrayEquals(new long[] { 3, 1, 2 }, a.longs());

        Path mine = tmp.resolve("mine.npy");
        Npy.write(mine, new int[] { 3, 2 }, floats, true);
        assertArrayEquals(Base64.getDecoder().decode(f4), Files.readAllBytes(mine), "byte for byte what numpy writes");
        Npy.write(mine, new int[] { 3 }, new long[] { 3, 1, 2 }, true);
        assertArrayEquals(Base64.getDecoder().decode(i8vector), Files.readAllBytes(mine));
        Npy.write(mine, new int[] { 2, 3 }, floats, false);
        a = Npy.read(mine);
        assertEquals("<f8", a.dtype());
        assertArrayEquals(new int[] { 2, 3 }, a.shape());
        assertArrayEquals(floats, a.doubles(), 0.0);
        Npy.write(mine, new int[] { 3, 2 }, new long[] { -3, 1000000004, 2000000011, -1294967278, -294967271,
                705032736 }, false);
        assertArrayEquals(Base64.getDecoder().decode(i4), Files.readAllBytes(mine));
        assertThrows(IllegalArgumentException.class, () -> Npy.write(tmp.resolve("x.npy"), new int[] { 1 },
                new long[] { 1L << 40 }, false));

        byte[] cut = Base64.getDecoder().decode(f8);
        Path truncated = tmp.resolve("truncated.npy");
        Files.write(truncated, java.util.Arrays.copyOf(cut, cut.length - 9));
        assertTrue(assertThrows(InputException.class, () -> Npy.read(truncated)).getMessage()
                .contains("truncated.npy: file ends after 4 of 6 elements"));
        String fortran = new String(Base64.getDecoder().decode(f8), java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("False", "True ");
        Path f = tmp.resolve("fortran.npy");
        Files.write(f, fortran.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertTrue(assertThrows(InputException.class, () -> Npy.read(f)).getMessage().contains("Fortran"));
        String u8 = new String(Base64.getDecoder().decode(f8), java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace(">f8", "|u1");
        Path u = tmp.resolve("u1.npy");
        Files.write(u, u8.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertTrue(assertThrows(InputException.class, () -> Npy.read(u)).getMessage()
                .contains("unsupported dtype '|u1'"));
    }

    private Path file(String base64) throws IOException {
        Path p = Files.createTempFile(tmp, "numpy", ".npy");
        Files.write(p, Base64.getDecoder().decode(base64));
        return p;
    }

    @Test
    void skipThenStrideReadsTheSameFramesAsReadingEverything() {
        FrameChunk ref = reference(10_000);
        try (XtcReader r = new XtcReader(SharedData.dir().resolve("ala2_0-10ns.xtc"))) {
            assertEquals(100, r.skip(100));
            assertEquals(100.0, r.lastTime(), 0.0, "time of frame 99");
            FrameChunk a = r.read(50, 3);
            assertSameFrames(ref, range(100, 250, 3), a, 0.0);
            assertEquals(250, r.position(), "the stride continues into the next call");
            assertSameFrames(ref, range(250, 10_000, 3), r.read(20_000, 3), 0.0);
            assertEquals(0, r.skip(5));
        }
        try (DcdReader r = new DcdReader(SharedData.dir().resolve("ala2_0-10ns.dcd"))) {
            assertEquals(9_990, r.skip(9_990));
            assertEquals(10, r.skip(20));
            assertNull(r.read(1, 1));
        }
    }

    @Test
    void joinedPartsReadAsTheOriginalTrajectoryWithTheRepeatedBoundaryFrameDropped() throws IOException {
        FrameChunk ref = reference(3000);
        // part 1: frames 0-1199; part 2 (a continuation that repeats frame 1199): 1199-2099; part 3: 2100-2999
        int[][] parts = { { 0, 1200 }, { 1199, 2100 }, { 2100, 3000 } };
        List<Path> files = new ArrayList<>();
        for (int p = 0; p < parts.length; p++) {
            Path part = tmp.resolve("part" + p + (p == 2 ? ".trr" : ".xtc"));
            files.add(part);
            if (p == 2) {
                try (TrrWriter w = new TrrWriter(part, 22, false)) {
                    for (int f = parts[p][0]; f < parts[p][1]; f++) {
                        w.write(f, ref.time(f), frame(ref, f), null, null);
                    }
                }
            } else {
                try (XtcWriter w = new XtcWriter(part, 22, 1000f)) {
                    for (int f = parts[p][0]; f < parts[p][1]; f++) {
                        w.write(f, (float) ref.time(f), frame(ref, f), null);
                    }
                }
            }
        }
        try (JoinedReader r = new JoinedReader(files)) {
            FrameChunk all = r.read(10_000, 1);
            assertSameFrames(ref, range(0, 3000, 1), all, 0.0);
            assertEquals(1, r.overlapsDropped());
        }
        for (int stride : new int[] { 7, 1200 }) {
            try (TrajectoryReader r = TrajectoryFiles.openJoined(files)) {
                assertEquals(1195, r.skip(1195));
                List<FrameChunk> chunks = new ArrayList<>();
                FrameChunk c;
                while ((c = r.read(13, stride)) != null) {
                    chunks.add(c);
                }
                int[] expected = range(1195, 3000, stride);
                int at = 0;
                for (FrameChunk chunk : chunks) {
                    assertSameFrames(ref, java.util.Arrays.copyOfRange(expected, at, at + chunk.frames()), chunk, 0.0);
                    at += chunk.frames();
                }
                assertEquals(expected.length, at, "stride " + stride + " runs across the part boundaries");
            }
        }
        Path other = tmp.resolve("other.xtc");
        try (XtcWriter w = new XtcWriter(other, 3, 1000f)) {
            w.write(0, 0f, new float[9], null);
        }
        InputException e = assertThrows(InputException.class, () -> {
            try (JoinedReader r = new JoinedReader(List.of(files.get(2), other))) {
                r.skip(1_000_000);
            }
        });
        assertTrue(e.getMessage().contains("other.xtc: 3 atoms per frame, but") && e.getMessage().contains("has 22"),
                e.getMessage());
    }
}
