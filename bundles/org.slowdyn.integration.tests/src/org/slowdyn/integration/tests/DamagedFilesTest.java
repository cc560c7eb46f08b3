package org.slowdyn.integration.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowdyn.app.CommandLine;
import org.slowdyn.io.DcdWriter;
import org.slowdyn.io.Npy;
import org.slowdyn.io.TrrWriter;
import org.slowdyn.io.XtcWriter;

/**
 * A corpus of damaged input files, each run through {@code slowdyn run}: every one exits 1 with a message that names
 * the file and the frame (binary trajectories) or the line (text), or 2 for a damaged pipeline file with its line.
 * The files are made here from small valid ones; each case states the damage.
 */
class DamagedFilesTest {
    static final int ATOMS = 22, FRAMES = 12;

    @TempDir
    Path dir;

    record Case(String name, Path file, int exit, List<String> mustName) {
    }

    private final List<Case> cases = new ArrayList<>();
    private Path topology;
    private float[][] xyz;

    private int run(Path pipeline, ByteArrayOutputStream err) throws Exception {
        return new CommandLine(ServicesTest.registry(), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), new NullProgressMonitor())
                .execute(List.of("run", pipeline.toString(), "--out", dir.resolve("runs").resolve(pipeline.getFileName()
                        .toString().replace(".json", "")).toString()));
    }

    private Path pipelineFor(Case c) throws IOException {
        String name = c.file().getFileName().toString();
        if (name.endsWith(".json")) {
            return c.file(); // a damaged pipeline file itself
        }
        String featurizer = name.endsWith(".npy")
                ? "{\"id\": \"featurize.columns\", \"settings\": {\"frameInterval\": 2}}"
                : name.endsWith(".dat") || name.endsWith(".colvar") ? "{\"id\": \"featurize.columns\"}"
                : "{\"id\": \"featurize.distances\", \"settings\": {\"pairs\": [[0, 1]], \"frameInterval\": 2}}";
        String input = name.endsWith(".npy") || name.endsWith(".dat") || name.endsWith(".colvar")
                ? "{\"files\": [\"" + c.file() + "\"]}"
                : "{\"files\": [\"" + c.file() + "\"], \"topology\": \"" + topology + "\"}";
        Path p = dir.resolve(c.name() + ".json");
        Files.writeString(p, "{\"name\": \"damaged\", \"input\": " + input + ", \"featurizer\": " + featurizer
                + ", \"partition\": {\"id\": \"partition.grid\", \"settings\": {\"bins\": [3]}},"
                + " \"filter\": {\"id\": \"recrossing.none\"}, \"trainer\": {\"id\": \"train.markov\"},"
                + " \"kinetics\": {\"bootstrap\": 0, \"msmBootstrap\": 0}}");
        return p;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private void binary(String name, byte[] valid, UnaryOperator<byte[]> damage, String... mustName)
            throws IOException {
        cases.add(new Case(name, write(name, damage.apply(valid.clone())), 1, List.of(mustName)));
    }

    private void text(String name, String valid, UnaryOperator<String> damage, String... mustName) throws IOException {
        cases.add(new Case(name, write(name, damage.apply(valid).getBytes(StandardCharsets.UTF_8)), 1,
                List.of(mustName)));
    }

    static byte[] putInt(byte[] b, int at, int v, ByteOrder order) {
        ByteBuffer.wrap(b).order(order).putInt(at, v);
        return b;
    }

    static byte[] putFloat(byte[] b, int at, float v, ByteOrder order) {
        ByteBuffer.wrap(b).order(order).putFloat(at, v);
        return b;
    }

    /** Start of every XTC frame (22 atoms: compressed, 92 bytes of header and a padded block). */
    static int[] xtcFrames(byte[] b) {
        List<Integer> at = new ArrayList<>();
        int p = 0;
        while (p < b.length) {
            at.add(p);
            int bytes = ByteBuffer.wrap(b).getInt(p + 88);
            p += 92 + ((bytes + 3) & ~3);
        }
        return at.stream().mapToInt(Integer::intValue).toArray();
    }

    void makeCorpus() throws IOException {
        SplittableRandom r = new SplittableRandom(3);
        xyz = new float[FRAMES][ATOMS * 3];
        for (float[] f : xyz) {
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) (0.5 + 2 * r.nextDouble());
            }
        }
        StringBuilder gro = new StringBuilder();
        for (int f = 0; f < FRAMES; f++) {
            gro.append("synthetic t= ").append(2.0 * f).append('\n').append(ATOMS).append('\n');
            for (int a = 0; a < ATOMS; a++) {
                gro.append(String.format(Locale.ROOT, "%5d%-5s%5s%5d%8.3f%8.3f%8.3f%n", 1 + a / 11, "ALA",
                        a % 2 == 0 ? "C" : "N", a + 1, xyz[f][3 * a], xyz[f][3 * a + 1], xyz[f][3 * a + 2]));
            }
            gro.append("   3.00000   3.00000   3.00000\n");
        }
        String validGro = gro.toString();
        topology = write("topology.gro", validGro.substring(0, validGro.indexOf("synthetic", 10))
                .getBytes(StandardCharsets.UTF_8));
        float[] box = { 3, 0, 0, 0, 3, 0, 0, 0, 3 };
        Path xtcFile = dir.resolve("valid.xtc"), trrFile = dir.resolve("valid.trr"), dcdFile = dir.resolve("valid.dcd");
        try (XtcWriter w = new XtcWriter(xtcFile, ATOMS, 1000f)) {
            for (int f = 0; f < FRAMES; f++) {
                w.write(f, 2f * f, xyz[f], box);
            }
        }
        try (TrrWriter w = new TrrWriter(trrFile, ATOMS, false)) {
            for (int f = 0; f < FRAMES; f++) {
                w.write(f, 2.0 * f, xyz[f], null, box);
            }
        }
        try (DcdWriter w = new DcdWriter(dcdFile, ATOMS, 0, 2.0, true, "corpus")) {
            for (int f = 0; f < FRAMES; f++) {
                w.write(xyz[f], new double[] { 3, 0, 0, 0, 3, 0, 0, 0, 3 });
            }
        }
        byte[] xtc = Files.readAllBytes(xtcFile), trr = Files.readAllBytes(trrFile), dcd = Files.readAllBytes(dcdFile);
        ByteOrder be = ByteOrder.BIG_ENDIAN, le = ByteOrder.LITTLE_ENDIAN;
        int[] xf = xtcFrames(xtc);

        // XTC: header fields of frames 0 to 11, truncation, compressed block
        binary("xtc-magic-frame-0.xtc", xtc, b -> putInt(b, 0, 1996, be), "magic number");
        binary("xtc-magic-frame-5.xtc", xtc, b -> putInt(b, xf[5], 7, be), "frame 5", "magic number");
        binary("xtc-atoms-frame-3.xtc", xtc, b -> putInt(b, xf[3] + 4, 23, be), "frame 3", "atoms");
        binary("xtc-block-atoms-frame-2.xtc", xtc, b -> putInt(b, xf[2] + 52, 21, be), "frame 2");
        binary("xtc-nan-time-frame-4.xtc", xtc, b -> putFloat(b, xf[4] + 12, Float.NaN, be), "frame 4", "time");
        binary("xtc-inf-box-frame-6.xtc", xtc, b -> putFloat(b, xf[6] + 16, Float.POSITIVE_INFINITY, be), "frame 6",
                "box");
        binary("xtc-precision-1e30-frame-1.xtc", xtc, b -> putFloat(b, xf[1] + 56, 1e30f, be), "frame 1",
                "precision");
        binary("xtc-precision-zero-frame-7.xtc", xtc, b -> putFloat(b, xf[7] + 56, 0f, be), "frame 7", "precision");
        binary("xtc-byte-count-frame-8.xtc", xtc, b -> putInt(b, xf[8] + 88, Integer.MAX_VALUE, be), "frame 8");
        binary("xtc-small-index-frame-9.xtc", xtc, b -> putInt(b, xf[9] + 84, 999, be), "frame 9");
        binary("xtc-ranges-frame-10.xtc", xtc, b -> putInt(b, xf[10] + 60, Integer.MAX_VALUE, be), "frame 10");
        binary("xtc-truncated-frame-11.xtc", xtc, b -> java.util.Arrays.copyOf(b, xf[11] + 40), "frame 11",
                "truncated");
        binary("xtc-truncated-header-only.xtc", xtc, b -> java.util.Arrays.copyOf(b, 6), "too short");
        binary("xtc-atoms-huge.xtc", xtc, b -> putInt(b, 4, Integer.MAX_VALUE, be), "atoms");
        binary("xtc-atoms-negative.xtc", xtc, b -> putInt(b, 4, -5, be), "atoms");

        // TRR: fixed frames of 84 + 36 + 264 bytes
        int tf = trr.length / FRAMES;
        binary("trr-magic-frame-0.trr", trr, b -> putInt(b, 0, 1, be), "magic number");
        binary("trr-magic-frame-4.trr", trr, b -> putInt(b, 4 * tf, 1, be), "frame 4", "magic number");
        binary("trr-atoms-frame-2.trr", trr, b -> putInt(b, 2 * tf + 64, 23, be), "frame 2");
        binary("trr-nan-time-frame-3.trr", trr, b -> putFloat(b, 3 * tf + 76, Float.NaN, be), "frame 3", "time");
        binary("trr-nan-box-frame-5.trr", trr, b -> putFloat(b, 5 * tf + 84, Float.NaN, be), "frame 5", "box");
        binary("trr-nan-coordinate-frame-6.trr", trr, b -> putFloat(b, 6 * tf + 120 + 8, Float.NaN, be), "frame 6");
        binary("trr-truncated-frame-7.trr", trr, b -> java.util.Arrays.copyOf(b, 7 * tf + 200), "frame 7");
        binary("trr-truncated-header-frame-9.trr", trr, b -> java.util.Arrays.copyOf(b, 9 * tf + 30), "frame 9");
        binary("trr-atoms-huge.trr", trr, b -> putInt(b, 64, Integer.MAX_VALUE, be), "atoms");
        binary("trr-atoms-2-to-30.trr", trr, b -> putInt(b, 64, 1 << 30, be), "atoms");
        binary("trr-block-size-frame-1.trr", trr, b -> putInt(b, tf + 24 + 4 * 7, 5, be), "frame 1");

        // DCD: a header, then frames of 56 (unit cell) + 3 x (8 + 88) bytes
        int df = 56 + 3 * (8 + 4 * ATOMS), d0 = dcd.length - FRAMES * df;
        binary("dcd-nan-coordinate-frame-3.dcd", dcd, b -> putFloat(b, d0 + 3 * df + 56 + 4 + 8, Float.NaN, le),
                "frame 3");
        binary("dcd-inf-coordinate-frame-0.dcd", dcd, b -> putFloat(b, d0 + 56 + 4, Float.NEGATIVE_INFINITY, le),
                "frame 0");
        binary("dcd-record-marker-frame-2.dcd", dcd, b -> putInt(b, d0 + 2 * df + 56, 5, le), "frame 2");
        binary("dcd-cell-marker-frame-4.dcd", dcd, b -> putInt(b, d0 + 4 * df, 47, le), "frame 4");
        binary("dcd-nan-cell-frame-5.dcd", dcd, b -> {
            ByteBuffer.wrap(b).order(le).putDouble(d0 + 5 * df + 4, Double.NaN);
            return b;
        }, "frame 5", "unit cell");
        binary("dcd-truncated-frame-11.dcd", dcd, b -> java.util.Arrays.copyOf(b, d0 + 11 * df + 100), "frame 11",
                "truncated");
        binary("dcd-atoms-huge.dcd", dcd, b -> putInt(b, d0 - 8, Integer.MAX_VALUE, le), "atoms");
        binary("dcd-not-a-dcd.dcd", dcd, b -> putInt(b, 0, 12345, le));
        binary("dcd-truncated-header.dcd", dcd, b -> java.util.Arrays.copyOf(b, 50));
        binary("dcd-negative-title-length.dcd", dcd, b -> putInt(b, 92, -1000, le), "header");

        // GRO: text, errors name the line
        int line3 = validGro.indexOf('\n', validGro.indexOf('\n') + 1) + 1;
        text("gro-atom-count.gro", validGro, s -> s.replaceFirst("\n22\n", "\ntwenty-two\n"), "line 2");
        text("gro-coordinate-text.gro", validGro, s -> s.substring(0, line3 + 20) + "  abc.de" + s.substring(line3 + 28),
                "line 3");
        text("gro-nan-coordinate.gro", validGro, s -> s.substring(0, line3 + 20) + "     nan" + s.substring(line3 + 28),
                "line 3");
        text("gro-truncated-frame-4.gro", validGro, s -> s.substring(0, nthIndex(s, "synthetic", 4) + 200), "frame 4");
        text("gro-short-line.gro", validGro, s -> s.substring(0, line3 + 10) + s.substring(line3 + 44), "line 3");
        text("gro-atoms-differ-frame-2.gro", validGro, s -> {
            int at = nthIndex(s, "synthetic", 2);
            int nl = s.indexOf('\n', at) + 1;
            return s.substring(0, nl) + "21\n" + s.substring(s.indexOf('\n', nl) + 1);
        }, "frame 2");
        text("gro-bad-box-frame-0.gro", validGro, s -> s.replaceFirst("   3.00000   3.00000   3.00000\n", "   box\n"),
                "line 25");
        text("gro-empty.gro", validGro, s -> "");

        // .npy tables
        Path npyFile = dir.resolve("valid.npy");
        double[] values = new double[FRAMES * 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = r.nextDouble();
        }
        Npy.write(npyFile, new int[] { FRAMES, 2 }, values, false);
        byte[] npy = Files.readAllBytes(npyFile);
        String header = new String(npy, 0, 128, StandardCharsets.ISO_8859_1);
        int shapeAt = header.indexOf("'shape': (") + 10;
        binary("npy-magic.npy", npy, b -> {
            b[1] = 'X';
            return b;
        }, "NumPy");
        binary("npy-shape-overflow.npy", npy, b -> replaceAscii(b, shapeAt, "12, 2)", "4611686018427387904, 2)"),
                "shape");
        binary("npy-shape-beyond-file.npy", npy, b -> replaceAscii(b, shapeAt, "12, 2)", "99, 2)"), "bytes");
        binary("npy-truncated.npy", npy, b -> java.util.Arrays.copyOf(b, b.length - 20));
        binary("npy-nan-value.npy", npy, b -> {
            ByteBuffer.wrap(b).order(le).putDouble(b.length - 8 * 5, Double.NaN);
            return b;
        }, "row 9", "NaN");
        binary("npy-inf-value.npy", npy, b -> {
            ByteBuffer.wrap(b).order(le).putDouble(b.length - 8 * 24, Double.POSITIVE_INFINITY);
            return b;
        }, "row 0", "Infinity");
        binary("npy-fortran.npy", npy, b -> replaceAscii(b, header.indexOf("False"), "False", "True "), "Fortran");
        binary("npy-dtype.npy", npy, b -> replaceAscii(b, header.indexOf("<f8"), "<f8", "<c8"), "dtype");

        // whitespace tables and PLUMED COLVAR
        StringBuilder table = new StringBuilder("time x y\n");
        for (int f = 0; f < FRAMES; f++) {
            table.append(2 * f).append(' ').append(values[2 * f]).append(' ').append(values[2 * f + 1]).append('\n');
        }
        String validTable = table.toString();
        text("table-ragged-line-5.dat", validTable, s -> replaceLine(s, 5, "8 0.5"), "line 5");
        text("table-text-value-line-7.dat", validTable, s -> replaceLine(s, 7, "12 0.5 abc"), "line 7");
        text("table-uneven-time-line-9.dat", validTable, s -> replaceLine(s, 9, "17 0.5 0.5"), "frame");
        String colvar = "#! FIELDS time cv1 cv2\n" + validTable.substring(validTable.indexOf('\n') + 1);
        text("colvar-ragged-line-4.colvar", colvar, s -> replaceLine(s, 4, "6 0.1"), "line 4");
        text("colvar-text-line-6.colvar", colvar, s -> replaceLine(s, 6, "10 x 0.2"), "line 6");

        // pipeline files: exit 2 with the line
        String pipeline = "{\n  \"name\": \"p\",\n  \"input\": {\"simulate\": {\"trajectories\": 4, \"frames\": 100}},\n"
                + "  \"featurizer\": {\"id\": \"featurize.columns\"},\n  \"partition\": {\"id\": \"partition.nearest\"},\n"
                + "  \"filter\": {\"id\": \"recrossing.none\"},\n  \"trainer\": {\"id\": \"train.markov\"}\n}\n";
        json("json-duplicate-key-line-3.json", pipeline.replace("\"input\"", "\"seed\": 1, \"seed\": 2, \"input\""),
                "line 3", "Duplicate field 'seed'");
        json("json-trailing-line-9.json", pipeline + "{}\n", "line 9");
        json("json-truncated.json", pipeline.substring(0, 60), "line 3");
        json("json-missing-comma-line-5.json", pipeline.replace("\"featurize.columns\"},", "\"featurize.columns\"}"),
                "line 5");
        json("json-deep.json", "[".repeat(5000) + "]".repeat(5000), "line 1", "nesting depth");
        json("json-not-object.json", "[1, 2, 3]", "a pipeline must be a JSON object");
        json("json-bad-name.json", pipeline.replace("\"p\"", "\"/etc/x\""), "'name'");
    }

    private void json(String name, String content, String... mustName) throws IOException {
        cases.add(new Case(name.replace(".json", ""), write(name, content.getBytes(StandardCharsets.UTF_8)), 2,
                List.of(mustName)));
    }

    static int nthIndex(String s, String what, int n) {
        int at = -1;
        for (int i = 0; i <= n; i++) {
            at = s.indexOf(what, at + 1);
        }
        return at;
    }

    static String replaceLine(String s, int line, String with) {
        String[] lines = s.split("\n", -1);
        lines[line - 1] = with;
        return String.join("\n", lines);
    }

    static byte[] replaceAscii(byte[] b, int at, String old, String with) {
        String all = new String(b, StandardCharsets.ISO_8859_1);
        if (!all.startsWith(old, at)) {
            throw new IllegalStateException("no '" + old + "' at " + at);
        }
        String header = all.substring(0, at) + with + all.substring(at + old.length());
        return header.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void everyDamagedFileFailsWithItsNameAndWhere() throws Exception {
        makeCorpus();
        // the valid files run (the corpus damages working files)
        for (String valid : List.of("valid.xtc", "valid.trr", "valid.dcd", "valid.npy")) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Case ok = new Case("ok-" + valid.replace('.', '-'), dir.resolve(valid), 0, List.of());
            assertEquals(0, run(pipelineFor(ok), err), valid + ": " + err);
        }
        Map<String, String> wrong = new LinkedHashMap<>();
        for (Case c : cases) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            long t0 = System.nanoTime();
            int exit = run(pipelineFor(c), err);
            String message = err.toString(StandardCharsets.UTF_8).trim();
            List<String> missing = new ArrayList<>();
            if (!message.contains(c.file().toString())) {
                missing.add("the file");
            }
            for (String m : c.mustName()) {
                if (!message.contains(m)) {
                    missing.add("'" + m + "'");
                }
            }
            if (exit != c.exit() || !missing.isEmpty() || (System.nanoTime() - t0) > 10_000_000_000L) {
                wrong.put(c.name(), "exit " + exit + (missing.isEmpty() ? "" : ", lacks " + missing) + ": " + message);
            }
        }
        System.out.println("damaged-file corpus: " + cases.size() + " cases, " + (cases.size() - wrong.size())
                + " as expected");
        assertEquals(Map.of(), wrong, cases.size() + " cases");
        assertEquals(true, cases.size() >= 60, cases.size() + " cases");
    }
}
