package org.slowdyn.featurize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowdyn.core.InputException;
import org.slowdyn.core.StageRegistry;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.TrajectoryInput;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.io.Npy;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Start, stop and stride, joined files and the combined featurizer give exactly the rows and columns of the plain
 * featurizers over the whole files; .npy arrays are columns.
 */
class ReadingOptionsTest {
    /** The built-in featurizers, registered by hand as on a plain classpath. */
    static final StageRegistry STAGES = StageRegistry.of(new ColumnFeaturizer(), new TorsionFeaturizer(),
            new DistanceFeaturizer(), new ContactFeaturizer(), new RmsdFeaturizer(), new CombinedFeaturizer(),
            new TicaFeaturizer(), new PcaFeaturizer());

    static final Path DATA = TorsionFeaturizerTest.data();
    static final Path XTC = DATA.resolve("ala2_0-10ns.xtc");
    static final Path PDB = DATA.resolve("ala2.pdb");

    @TempDir
    Path tmp;

    private static FeatureSeries run(TrajectoryFeaturizer f, List<Path> files, Settings s) {
        List<FeatureSeries> out = f.featurize(TrajectoryInput.ofFiles(files, PDB), s, null);
        assertEquals(1, out.size());
        return out.get(0);
    }

    private static void assertRows(FeatureSeries all, int[] rows, FeatureSeries part, int firstColumn) {
        assertEquals(rows.length, part.frames());
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < all.features(); j++) {
                assertEquals(all.get(rows[i], j), part.get(i, firstColumn + j), 0.0, "row " + rows[i]);
            }
        }
    }

    @Test
    void startStopAndStrideSelectTheFramesOfTheWholeFile() {
        TorsionFeaturizer t = new TorsionFeaturizer();
        FeatureSeries all = run(t, List.of(XTC), TorsionFeaturizer.SCHEMA.defaults());
        assertEquals(10_000, all.frames());
        Settings part = TorsionFeaturizer.SCHEMA.defaults().edit().set(TrajectoryFeaturizer.START, 100L)
                .set(TrajectoryFeaturizer.STOP, 1000L).set(TrajectoryFeaturizer.STRIDE, 7).done();
        FeatureSeries p = run(t, List.of(XTC), part);
        assertRows(all, java.util.stream.IntStream.iterate(100, i -> i < 1000, i -> i + 7).toArray(), p, 0);
        assertEquals(7.0, p.frameInterval(), 0.0, "7 frames of 1 ps");
        FeatureSeries given = run(t, List.of(XTC), part.with(TrajectoryFeaturizer.FRAME_INTERVAL, 2.0));
        assertEquals(14.0, given.frameInterval(), 0.0, "the override is per frame of the file");
        for (String ext : List.of("dcd")) {
            FeatureSeries dcd = run(t, List.of(DATA.resolve("ala2_0-10ns." + ext)), part);
            assertEquals(p.frames(), dcd.frames());
            // the XTC rounds coordinates to 1e-3 nm; over bonds of about 0.15 nm that moves a torsion by < 0.01 rad
            assertEquals(p.get(5, 1), dcd.get(5, 1), 1e-2, "DCD and XTC of the same frame");
        }
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> part.with(TrajectoryFeaturizer.STOP, 100L));
        assertEquals("stop", e.field());
        InputException late = assertThrows(InputException.class, () -> run(t, List.of(XTC), TorsionFeaturizer.SCHEMA
                .defaults().with(TrajectoryFeaturizer.START, 20_000L)));
        assertTrue(late.getMessage().contains("'start' = 20000 but the trajectory has only 10000 frames"),
                late.getMessage());
    }

    @Test
    void joinedFilesAreOneTrajectoryEqualToTheFilesApart() {
        TorsionFeaturizer t = new TorsionFeaturizer();
        List<Path> files = List.of(XTC, DATA.resolve("ala2_10-20ns.xtc"));
        List<FeatureSeries> apart = t.featurize(TrajectoryInput.ofFiles(files, PDB), TorsionFeaturizer.SCHEMA
                .defaults(), null);
        assertEquals(2, apart.size());
        Settings joined = TorsionFeaturizer.SCHEMA.defaults().edit().set(TrajectoryFeaturizer.JOIN_FILES, true)
                .set(TrajectoryFeaturizer.START, 9_990L).set(TrajectoryFeaturizer.STRIDE, 3).done();
        FeatureSeries one = run(t, files, joined);
        int n = 0;
        for (int frame = 9_990; frame < 20_000; frame += 3, n++) {
            FeatureSeries from = frame < 10_000 ? apart.get(0) : apart.get(1);
            int row = frame < 10_000 ? frame : frame - 10_000;
            for (int j = 0; j < 2; j++) {
                assertEquals(from.get(row, j), one.get(n, j), 0.0, "joined frame " + frame);
            }
        }
        assertEquals(n, one.frames());
        assertEquals(3.0, one.frameInterval(), 0.0);
    }

    @Test
    void combinedFeaturizerGivesThePartsColumnsSideBySide() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Settings s = CombinedFeaturizer.SCHEMA.fromJson(json.readTree("{\"features\": ["
                + "{\"id\": \"featurize.torsions\", \"settings\": {\"output\": \"sincos\"}},"
                + "{\"id\": \"featurize.distances\", \"settings\": {\"selection1\": \"name CA C N\"}},"
                + "{\"id\": \"featurize.rmsd\"}], \"stride\": 5}"), "test", STAGES);
        FeatureSeries c = run(new CombinedFeaturizer(), List.of(XTC), s);
        Settings stride = TorsionFeaturizer.SCHEMA.defaults().edit().set(TorsionFeaturizer.OUTPUT, "sincos")
                .set(TrajectoryFeaturizer.STRIDE, 5).done();
        FeatureSeries torsions = run(new TorsionFeaturizer(), List.of(XTC), stride);
        FeatureSeries distances = run(new DistanceFeaturizer(), List.of(XTC), DistanceFeaturizer.SCHEMA.defaults()
                .edit().set(DistanceFeaturizer.SELECTION1, "name CA C N").set(TrajectoryFeaturizer.STRIDE, 5).done());
        FeatureSeries rmsd = run(new RmsdFeaturizer(), List.of(XTC), RmsdFeaturizer.SCHEMA.defaults()
                .with(TrajectoryFeaturizer.STRIDE, 5));
        List<String> labels = new ArrayList<>(torsions.labels());
        labels.addAll(distances.labels());
        labels.addAll(rmsd.labels());
        assertEquals(labels, c.labels());
        assertEquals(4 + 15 + 1, c.features());
        int[] rows = java.util.stream.IntStream.range(0, 2000).toArray();
        assertRows(torsions, rows, c, 0);
        assertRows(distances, rows, c, 4);
        assertRows(rmsd, rows, c, 19);
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> CombinedFeaturizer.SCHEMA
                .fromJson(json.readTree("{\"features\": [{\"id\": \"featurize.torsions\", \"settings\": "
                        + "{\"stride\": 2}}]}"), "test", STAGES));
        assertTrue(e.getMessage().contains("belongs to featurize.combined itself"), e.getMessage());
        assertEquals("features[0].stride", e.field());
        e = assertThrows(InvalidSettingException.class, () -> CombinedFeaturizer.SCHEMA.fromJson(json.readTree(
                "{\"features\": [{\"id\": \"featurize.columns\"}]}"), "test", STAGES));
        assertTrue(e.getMessage().contains("features[0]") && e.getMessage().contains("molecular featurizer"),
                e.getMessage());
        e = assertThrows(InvalidSettingException.class, () -> CombinedFeaturizer.SCHEMA.fromJson(json.readTree(
                "{\"features\": [{\"id\": \"featurize.torsion\"}]}"), "test", STAGES));
        assertEquals("features[0]", e.field());
        assertTrue(e.getMessage().contains("featurize.torsions"), e.getMessage());
        // a part's own settings are checked against its schema, and the field is named with its path
        e = assertThrows(InvalidSettingException.class, () -> CombinedFeaturizer.SCHEMA.fromJson(json.readTree(
                "{\"features\": [{\"id\": \"featurize.torsions\", \"settings\": {\"output\": \"deg\"}}]}"),
                "test", STAGES));
        assertEquals("features[0].settings.output", e.field());
    }

    @Test
    void npyArraysAreColumnsNamedByIndex() throws IOException {
        Path npy = tmp.resolve("cv.npy");
        double[] v = new double[300];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(i) * (i % 3 + 1);
        }
        Npy.write(npy, new int[] { 100, 3 }, v, false);
        FeatureSeries s = new ColumnFeaturizer().featurize(TrajectoryInput.ofFiles(List.of(npy), null),
                ColumnFeaturizer.SCHEMA.defaults().edit().set(ColumnFeaturizer.COLUMNS, List.of("2", "0"))
                        .set(ColumnFeaturizer.FRAME_INTERVAL, 0.5).done(), null).get(0);
        assertEquals(List.of("2", "0"), s.labels());
        assertEquals(100, s.frames());
        assertEquals(0.5, s.frameInterval(), 0.0);
        for (int i = 0; i < 100; i++) {
            assertEquals(v[3 * i + 2], s.get(i, 0), 0.0);
            assertEquals(v[3 * i], s.get(i, 1), 0.0);
        }
    }
}
