package org.slowdyn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowdyn.core.InputException;

/**
 * XTC, DCD and PDB readers against MDTraj 1.9.7's decoding of the same files (../shared/data/README.md): coordinates
 * within 1e-6 nm, frame counts and time stamps exact; damaged copies fail with the file and the frame named.
 */
class MdReadersTest {
    @TempDir
    Path tmp;

    /** MDTraj's coordinates: "frame:atom" to {time, x, y, z}. */
    static Map<String, double[]> mdtrajFrames(Path dir) throws IOException {
        Map<String, double[]> ref = new HashMap<>();
        for (String l : Files.readAllLines(dir.resolve("ala2_0-10ns.xtc.frames.mdtraj.txt"))) {
            if (l.startsWith("#") || l.startsWith("frame")) {
                continue;
            }
            String[] t = l.trim().split("\\s+");
            ref.put(t[0] + ":" + t[2], new double[] { Double.parseDouble(t[1]), Double.parseDouble(t[3]),
                    Double.parseDouble(t[4]), Double.parseDouble(t[5]) });
        }
        return ref;
    }

    @Test
    void xtcMatchesMdtraj() throws IOException {
        Path dir = SharedData.dir();
        Map<String, double[]> ref = mdtrajFrames(dir);
        int frames = 0, checked = 0;
        try (XtcReader r = new XtcReader(dir.resolve("ala2_0-10ns.xtc"))) {
            assertEquals(22, r.atoms());
            FrameChunk c;
            while ((c = r.read(777, 1)) != null) {
                for (int f = 0; f < c.frames(); f++) {
                    long frame = c.firstFrame() + f;
                    assertEquals(frame + 1.0, c.time(f), 0.0, "time stamps are 1 ... 10000 ps");
                    for (int a = 0; a < 22; a++) {
                        double[] e = ref.get(frame + ":" + a);
                        if (e != null) {
                            checked++;
                            for (int k = 0; k < 3; k++) {
                                assertEquals(e[k + 1], c.coordinate(f, a, k), 1e-6, "frame " + frame + " atom " + a);
                            }
                        }
                    }
                }
                frames += c.frames();
            }
        }
        assertEquals(10_000, frames);
        assertEquals(4 * 22, checked);
    }

    @Test
    void xtcStrideSkipsFramesWithoutDecodingThem() {
        Path dir = SharedData.dir();
        try (XtcReader all = new XtcReader(dir.resolve("ala2_0-10ns.xtc"));
                XtcReader strided = new XtcReader(dir.resolve("ala2_0-10ns.xtc"))) {
            FrameChunk a = all.read(10_000, 1);
            FrameChunk s = strided.read(10_000, 7);
            assertEquals((10_000 + 6) / 7, s.frames());
            for (int f = 0; f < s.frames(); f++) {
                assertEquals(a.time(7 * f), s.time(f));
                assertEquals(a.coordinate(7 * f, 13, 2), s.coordinate(f, 13, 2));
            }
            assertNull(strided.read(10, 1));
        }
    }

    @Test
    void truncatedAndForeignXtcFilesAreNamedErrors() throws IOException {
        Path dir = SharedData.dir();
        byte[] bytes = Files.readAllBytes(dir.resolve("ala2_0-10ns.xtc"));
        Path cut = tmp.resolve("cut.xtc");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2 + 13));
        int[] read = { 0 };
        InputException e = assertThrows(InputException.class, () -> {
            try (XtcReader r = new XtcReader(cut)) {
                FrameChunk c;
                while ((c = r.read(100, 1)) != null) {
                    read[0] += c.frames();
                }
            }
        });
        assertTrue(e.getMessage().contains("cut.xtc, frame " + read[0]), e.getMessage());
        assertTrue(e.getMessage().contains(read[0] + " complete frames were read"), e.getMessage());
        assertTrue(read[0] > 4000 && read[0] < 5100, "about half the frames are whole: " + read[0]);

        Path foreign = tmp.resolve("foreign.xtc");
        byte[] copy = bytes.clone();
        copy[3] = 0;
        Files.write(foreign, copy);
        assertTrue(assertThrows(InputException.class, () -> new XtcReader(foreign)).getMessage()
                .contains("magic number"));
    }

    @Test
    void dcdAgreesWithTheXtcOfTheSameFramesInBothByteOrders() throws IOException {
        Path dir = SharedData.dir();
        Path big = tmp.resolve("big-endian.dcd");
        Files.write(big, swapDcdByteOrder(Files.readAllBytes(dir.resolve("ala2_0-10ns.dcd"))));
        for (Path dcd : List.of(dir.resolve("ala2_0-10ns.dcd"), big)) {
            try (DcdReader d = new DcdReader(dcd); XtcReader x = new XtcReader(dir.resolve("ala2_0-10ns.xtc"))) {
                assertEquals(10_000, d.frames());
                assertEquals(22, d.atoms());
                FrameChunk a = d.read(10_000, 1), b = x.read(10_000, 1);
                assertEquals(10_000, a.frames());
                double maxDiff = 0;
                for (int f = 0; f < a.frames(); f++) {
                    assertEquals(b.time(f), a.time(f), 1e-4, "DCD time from its step and time step");
                    for (int at = 0; at < 22; at++) {
                        for (int k = 0; k < 3; k++) {
                            maxDiff = Math.max(maxDiff, Math.abs(a.coordinate(f, at, k) - b.coordinate(f, at, k)));
                        }
                    }
                }
                // the XTC keeps 1e-3 nm: the full-precision DCD differs by at most half of that
                assertTrue(maxDiff <= 0.0005 + 1e-6, "DCD and XTC differ by " + maxDiff + " nm");
                assertTrue(maxDiff > 1e-5, "the DCD is full precision, so it is not identical to the XTC");
            }
        }
    }

    @Test
    void truncatedDcdNamesTheIncompleteFrame() throws IOException {
        Path dir = SharedData.dir();
        byte[] bytes = Files.readAllBytes(dir.resolve("ala2_0-10ns.dcd"));
        Path cut = tmp.resolve("cut.dcd");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        try (DcdReader d = new DcdReader(cut)) {
            assertEquals(9_999, d.frames());
            assertEquals(9_999, d.read(20_000, 1).frames());
            InputException e = assertThrows(InputException.class, () -> d.read(10, 1));
            assertTrue(e.getMessage().contains("frame 9999: truncated last frame")
                    && e.getMessage().contains("9999 complete frames"), e.getMessage());
        }
        Path notDcd = tmp.resolve("not.dcd");
        Files.write(notDcd, new byte[200]);
        assertThrows(InputException.class, () -> new DcdReader(notDcd));
    }

    /** Frames re-written by XtcWriter decode to the same coordinates and times (MDTraj reads them too). */
    @Test
    void xtcWriterRoundTripsExactly() throws IOException {
        Path dir = SharedData.dir();
        Path copy = tmp.resolve("copy.xtc");
        try (XtcReader r = new XtcReader(dir.resolve("ala2_0-10ns.xtc")); XtcWriter w = new XtcWriter(copy, 22, 1000f)) {
            FrameChunk c = r.read(2000, 1);
            float[] x = new float[66];
            for (int f = 0; f < c.frames(); f++) {
                for (int a = 0; a < 22; a++) {
                    for (int k = 0; k < 3; k++) {
                        x[3 * a + k] = c.coordinate(f, a, k);
                    }
                }
                w.write(f, (float) c.time(f), x, null);
            }
        }
        try (XtcReader a = new XtcReader(dir.resolve("ala2_0-10ns.xtc")); XtcReader b = new XtcReader(copy)) {
            FrameChunk ca = a.read(2000, 1), cb = b.read(5000, 1);
            assertEquals(2000, cb.frames());
            for (int f = 0; f < 2000; f++) {
                assertEquals(ca.time(f), cb.time(f));
                for (int at = 0; at < 22; at++) {
                    for (int k = 0; k < 3; k++) {
                        assertEquals(ca.coordinate(f, at, k), cb.coordinate(f, at, k), 0f);
                    }
                }
            }
        }
        // a large system with coordinates spread over more than 2^24 precision units per axis uses per-axis bits
        Path wide = tmp.resolve("wide.xtc");
        float[] far = new float[3 * 12];
        for (int i = 0; i < far.length; i++) {
            far[i] = (i % 2 == 0 ? 1 : -1) * (i * 1000.123f) % 20000f;
        }
        try (XtcWriter w = new XtcWriter(wide, 12, 1000f)) {
            w.write(0, 0f, far, null);
        }
        try (XtcReader r = new XtcReader(wide)) {
            FrameChunk c = r.read(1, 1);
            for (int i = 0; i < 12; i++) {
                for (int k = 0; k < 3; k++) {
                    // rounding to 1e-3 nm, plus the spacing of single-precision numbers at this magnitude
                    float v = far[3 * i + k];
                    assertEquals(v, c.coordinate(0, i, k), 0.5e-3 + 2 * Math.ulp(v));
                }
            }
        }
    }

    @Test
    void pdbGivesTheTopologyOfAlanineDipeptide() {
        Structure s = PdbReader.read(SharedData.dir().resolve("ala2.pdb"));
        Topology t = s.topology();
        assertEquals(22, t.atoms());
        assertEquals(3, t.residues());
        assertEquals("ACE", t.atom(0).residueName());
        assertEquals("ALA", t.atom(8).residueName());
        assertEquals(2, t.atom(8).residueNumber());
        assertEquals("CA", t.atom(8).name());
        assertEquals("C", t.atom(8).element());
        assertEquals("N", t.atom(6).element());
        assertEquals(8, t.find(1, "CA"));
        assertEquals(16, t.find(2, "N"));
        assertEquals(0.3555f, s.coordinates()[8 * 3], 1e-6f, "Angstrom in the file, nm here");
    }

    /** The DCD records re-encoded big-endian: every 4-byte word swapped except the CORD tag and the title text. */
    static byte[] swapDcdByteOrder(byte[] le) {
        ByteBuffer in = ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(le.length).order(ByteOrder.BIG_ENDIAN);
        int record = 0;
        while (in.hasRemaining()) {
            int len = in.getInt();
            out.putInt(len);
            for (int p = 0; p < len; p += 4) {
                boolean text = (record == 0 && p == 0) || (record == 1 && p > 0);
                if (text) {
                    out.put(le, in.position(), 4);
                    in.position(in.position() + 4);
                } else {
                    out.putInt(in.getInt());
                }
            }
            out.putInt(in.getInt());
            record++;
        }
        return out.array();
    }
}
