package org.slowdyn.partition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Settings;

import com.fasterxml.jackson.databind.ObjectMapper;

class PartitionTest {
    static FeatureSeries series(List<String> labels, double... values) {
        return new FeatureSeries(values, labels, 1, "ps", "test");
    }

    @Test
    void nearestCenterOnOneCoordinateAsTsai() {
        NearestCentersPartition p = new NearestCentersPartition();
        Settings s = NearestCentersPartition.SCHEMA.defaults()
                .with(NearestCentersPartition.FEATURES, List.of("x"))
                .with(NearestCentersPartition.CENTERS, List.of(List.of(2.0), List.of(0.5), List.of(-0.5), List.of(-2.0)));
        FeatureSeries data = series(List.of("x", "y"), 1.9, 0, 1.2, 0, 1.3, 0, -0.1, 0, 0.1, 0, -1.3, 0, -5, 0);
        FittedPartition fitted = p.fit(List.of(data), s, null);
        // 1.2 is 0.7 from 0.5 and 0.8 from 2; 1.3 is 0.7 from 2 and 0.8 from 0.5; -1.3 is nearer -2 (0.7) than -0.5 (0.8)
        assertArrayEquals(new int[] { 0, 1, 0, 2, 1, 3, 3 }, fitted.assign(data).toArray());
        assertEquals(List.of("(2)", "(0.5)", "(-0.5)", "(-2)"), fitted.stateLabels());
    }

    @Test
    void nearestCenterIn2dAndTiesGoToTheFirstCenter() {
        NearestCentersPartition p = new NearestCentersPartition();
        Settings s = NearestCentersPartition.SCHEMA.defaults().with(NearestCentersPartition.CENTERS,
                List.of(List.of(0.0, 0.0), List.of(2.0, 0.0), List.of(0.0, 2.0)));
        FeatureSeries data = series(List.of("a", "b"), 1.0, 0.0, 1.1, 0.1, 0.2, 1.5, 1.0, 1.0);
        // (1,0): tie between centers 0 and 1 -> 0; (1,1): equidistant from all three -> 0
        assertArrayEquals(new int[] { 0, 1, 2, 0 }, p.fit(List.of(data), s, null).assign(data).toArray());
    }

    @Test
    void centersOfTheWrongDimensionOrMissingFeaturesAreRejected() {
        NearestCentersPartition p = new NearestCentersPartition();
        FeatureSeries data = series(List.of("x"), 1, 2);
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> p.fit(List.of(data), NearestCentersPartition.SCHEMA.defaults(), null));
        assertEquals("centers", e.field());
        Settings s = NearestCentersPartition.SCHEMA.defaults().with(NearestCentersPartition.FEATURES, List.of("q"))
                .with(NearestCentersPartition.CENTERS, List.of(List.of(1.0)));
        ConfigurationException c = assertThrows(ConfigurationException.class, () -> p.fit(List.of(data), s, null));
        assertTrue(c.getMessage().contains("no feature 'q'"), c.getMessage());
    }

    @Test
    void gridBinsSinPhiLikeTsaiAndClampsOutsideValues() {
        UniformGridPartition p = new UniformGridPartition();
        Settings s = UniformGridPartition.SCHEMA.defaults().with(UniformGridPartition.BINS, List.of(20))
                .with(UniformGridPartition.MIN, List.of(-1.0)).with(UniformGridPartition.MAX, List.of(1.0));
        FeatureSeries data = series(List.of("sin"), -1.0, -0.95, -0.949, 0.0, 0.999, 1.0, 1.5, -3);
        // width 0.1: -1 -> 0, -0.95 -> 0.5 -> bin 0 (floor of 0.5), -0.949 -> bin 0, 0 -> 10, 0.999 -> 19, 1 -> 19 (last
        // bin holds max), 1.5 -> 19 and -3 -> 0 (clamped)
        assertArrayEquals(new int[] { 0, 0, 0, 10, 19, 19, 19, 0 },
                p.fit(List.of(data), s, null).assign(data).toArray());
    }

    @Test
    void twoDimensionalGridIsRowMajorAndEdgesDefaultToTheDataRange() {
        UniformGridPartition p = new UniformGridPartition();
        Settings s = UniformGridPartition.SCHEMA.defaults().with(UniformGridPartition.BINS, List.of(2, 3));
        // x range [0, 4] in 2 bins of 2; y range [0, 3] in 3 bins of 1
        FeatureSeries data = series(List.of("x", "y"), 0, 0, 4, 3, 1.9, 2.5, 2.1, 1.2);
        FittedPartition f = p.fit(List.of(data), s, null);
        assertEquals(6, f.numberOfStates());
        assertArrayEquals(new int[] { 0, 5, 2, 4 }, f.assign(data).toArray());
        assertEquals("[2, 4) x [1, 2)", f.stateLabels().get(4));
    }

    @Test
    void fittedPartitionsRoundTripThroughJson() throws Exception {
        FeatureSeries data = series(List.of("x", "y"), 0, 0, 4, 3, 1.9, 2.5, 2.1, 1.2, -1, 7);
        ObjectMapper mapper = new ObjectMapper();
        UniformGridPartition grid = new UniformGridPartition();
        FittedPartition g = grid.fit(List.of(data), UniformGridPartition.SCHEMA.defaults()
                .with(UniformGridPartition.BINS, List.of(3)), null);
        FittedPartition g2 = grid.load(mapper.readTree(g.toJson().toString()));
        assertArrayEquals(g.assign(data).toArray(), g2.assign(data).toArray());
        NearestCentersPartition near = new NearestCentersPartition();
        FittedPartition n = near.fit(List.of(data), NearestCentersPartition.SCHEMA.defaults(), null);
        FittedPartition n2 = near.load(mapper.readTree(n.toJson().toString()));
        assertArrayEquals(n.assign(data).toArray(), n2.assign(data).toArray());
        assertEquals(n.stateLabels(), n2.stateLabels());
    }

    @Test
    void gridRejectsMismatchedSettings() {
        UniformGridPartition p = new UniformGridPartition();
        FeatureSeries data = series(List.of("x", "y"), 0, 0, 1, 1);
        assertEquals("bins", assertThrows(InvalidSettingException.class, () -> p.fit(List.of(data),
                UniformGridPartition.SCHEMA.defaults().with(UniformGridPartition.BINS, List.of(2, 2, 2)), null))
                .field());
        assertEquals("min", assertThrows(InvalidSettingException.class, () -> p.fit(List.of(data),
                UniformGridPartition.SCHEMA.defaults().with(UniformGridPartition.MIN, List.of(0.0)), null)).field());
        FeatureSeries flat = series(List.of("x"), 1, 1, 1);
        assertEquals("max", assertThrows(InvalidSettingException.class,
                () -> p.fit(List.of(flat), UniformGridPartition.SCHEMA.defaults(), null)).field());
    }
}
