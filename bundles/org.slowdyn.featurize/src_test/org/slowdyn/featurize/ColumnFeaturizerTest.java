package org.slowdyn.featurize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.InputException;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.TrajectoryInput;
import org.slowdyn.core.settings.Settings;

class ColumnFeaturizerTest {
    @TempDir
    Path dir;
    final ColumnFeaturizer featurizer = new ColumnFeaturizer();

    @Test
    void selectsColumnsOfInMemorySeriesInTheGivenOrder() {
        FeatureSeries s = new FeatureSeries(new double[] { 1, 2, 3, 4, 5, 6 }, List.of("x", "y", "z"), 1, "ps", "m");
        Settings settings = ColumnFeaturizer.SCHEMA.defaults().with(ColumnFeaturizer.COLUMNS, List.of("z", "x"));
        FeatureSeries out = featurizer.featurize(TrajectoryInput.ofSeries(List.of(s)), settings,
                new NullProgressMonitor()).get(0);
        assertEquals(List.of("z", "x"), out.labels());
        assertEquals(2, out.frames());
        assertEquals(3.0, out.get(0, 0));
        assertEquals(4.0, out.get(1, 1));
    }

    @Test
    void readsColvarFilesAsSeparateTrajectoriesWithTheirTimeStep() throws IOException {
        Path a = dir.resolve("a.colvar"), b = dir.resolve("b.colvar");
        Files.writeString(a, "#! FIELDS time d1 d2\n0.0 1 2\n0.5 3 4\n1.0 5 6\n");
        Files.writeString(b, "#! FIELDS time d1 d2\n0.0 7 8\n0.5 9 10\n");
        List<FeatureSeries> out = featurizer.featurize(TrajectoryInput.ofFiles(List.of(a, b), null),
                ColumnFeaturizer.SCHEMA.defaults(), new NullProgressMonitor());
        assertEquals(2, out.size());
        assertEquals(List.of("d1", "d2"), out.get(0).labels(), "empty 'columns' keeps all but time");
        assertEquals(3, out.get(0).frames());
        assertEquals(2, out.get(1).frames());
        assertEquals(0.5, out.get(0).frameInterval(), 1e-12);
        assertEquals(9.0, out.get(1).get(1, 0));
    }

    @Test
    void unevenTimeAndMissingColumnsAreClearErrors() throws IOException {
        Path a = dir.resolve("gap.colvar");
        Files.writeString(a, "#! FIELDS time d1\n0 1\n1 2\n3 3\n");
        InputException e = assertThrows(InputException.class, () -> featurizer.featurize(
                TrajectoryInput.ofFiles(List.of(a), null), ColumnFeaturizer.SCHEMA.defaults(), null));
        assertTrue(e.getMessage().contains("gap.colvar, data row 3"), e.getMessage());
        Settings fixed = ColumnFeaturizer.SCHEMA.defaults().with(ColumnFeaturizer.FRAME_INTERVAL, 2.0)
                .with(ColumnFeaturizer.COLUMNS, List.of("d9"));
        ConfigurationException c = assertThrows(ConfigurationException.class,
                () -> featurizer.featurize(TrajectoryInput.ofFiles(List.of(a), null), fixed, null));
        assertTrue(c.getMessage().contains("no feature 'd9'") && c.getMessage().contains("time, d1"), c.getMessage());
    }

    @Test
    void frameIntervalSettingOverridesAndIsNeededWithoutTimeColumn() throws IOException {
        Path a = dir.resolve("t.csv");
        Files.writeString(a, "u,v\n1,2\n3,4\n");
        assertThrows(ConfigurationException.class, () -> featurizer.featurize(TrajectoryInput.ofFiles(List.of(a), null),
                ColumnFeaturizer.SCHEMA.defaults(), null));
        FeatureSeries s = featurizer.featurize(TrajectoryInput.ofFiles(List.of(a), null),
                ColumnFeaturizer.SCHEMA.defaults().with(ColumnFeaturizer.FRAME_INTERVAL, 10.0), null).get(0);
        assertEquals(10.0, s.frameInterval());
        assertEquals(List.of("u", "v"), s.labels());
    }
}
