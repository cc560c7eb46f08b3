package org.slowdyn.partition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Settings;

import com.fasterxml.jackson.databind.ObjectMapper;

class MetastablePartitionTest {
    /**
     * A walker on a line that hops between three regions around x = -3, 0 and 3: small steps inside a region, rare
     * jumps between regions. The metastable sets are the regions.
     */
    static List<FeatureSeries> threeRegions(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<FeatureSeries> out = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            double[] x = new double[50_000];
            int region = t % 3;
            for (int i = 0; i < x.length; i++) {
                if (rng.nextDouble() < 0.002) {
                    region = (region + 1 + rng.nextInt(2)) % 3;
                }
                x[i] = 3 * (region - 1) + 0.4 * rng.nextGaussian();
            }
            out.add(FeatureSeries.wrap(x, List.of("x"), 1, "ps", "walker " + t));
        }
        return out;
    }

    private static Settings settings(String micro, int sets) throws Exception {
        return MetastablePartition.SCHEMA.defaults()
                .with(MetastablePartition.MICRO_PARTITION, new ObjectMapper().readTree(micro))
                .with(MetastablePartition.SETS, sets).with(MetastablePartition.LAG, 5);
    }

    @Test
    void lumpsMicrostatesIntoTheMetastableRegions() throws Exception {
        List<FeatureSeries> data = threeRegions(1);
        FittedPartition f = new MetastablePartition().fit(data,
                settings("{\"id\": \"partition.kmeans\", \"settings\": {\"clusters\": 30}}", 3), null);
        assertEquals(3, f.numberOfStates());
        // points in the middle of each region fall into three different sets
        FeatureSeries probe = new FeatureSeries(new double[] { -3, -2.8, 0, 0.2, 3, 2.9 }, List.of("x"), 1, "ps",
                "probe");
        int[] s = f.assign(probe).toArray();
        assertEquals(s[0], s[1]);
        assertEquals(s[2], s[3]);
        assertEquals(s[4], s[5]);
        assertTrue(s[0] != s[2] && s[2] != s[4] && s[0] != s[4], java.util.Arrays.toString(s));
        assertTrue(f.notes().stream().anyMatch(n -> n.startsWith("PCCA+: 30 microstates")), f.notes().toString());
        // saved and loaded, it assigns the same
        FittedPartition g = new MetastablePartition().load(new ObjectMapper().readTree(f.toJson().toString()));
        assertArrayEquals(s, g.assign(probe).toArray());
    }

    @Test
    void badMicroSettingsAndTooManySetsAreNamed() throws Exception {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> settings("{\"id\": \"partition.kmeans\", \"settings\": {\"clusters\": 0}}", 3));
        assertEquals("micro.clusters", e.field());
        assertThrows(InvalidSettingException.class, () -> settings("{\"id\": \"partition.none\"}", 3));
        List<FeatureSeries> data = threeRegions(2);
        InvalidSettingException sets = assertThrows(InvalidSettingException.class,
                () -> new MetastablePartition().fit(data,
                        settings("{\"id\": \"partition.grid\", \"settings\": {\"bins\": [4]}}", 6), null));
        assertEquals("sets", sets.field());
        // asking for more sets than there are metastable regions is reported
        FittedPartition five = new MetastablePartition().fit(data,
                settings("{\"id\": \"partition.grid\", \"settings\": {\"bins\": [30]}}", 5), null);
        assertTrue(five.notes().stream().anyMatch(n -> n.contains("warning")), five.notes().toString());
    }
}
