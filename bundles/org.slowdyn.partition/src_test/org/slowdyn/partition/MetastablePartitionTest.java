package org.slowdyn.partition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.IProgressMonitor;
import org.junit.jupiter.api.Test;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.StageRegistry;
import org.slowdyn.core.StatePartition;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

import com.fasterxml.jackson.databind.JsonNode;
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

    /** The built-in partitions, registered by hand as on a plain classpath. */
    static final StageRegistry STAGES = StageRegistry.of(new KMeansPartition(), new RegularSpacePartition(),
            new UniformGridPartition(), new NearestCentersPartition(), new MetastablePartition());

    private static Settings settings(String micro, int sets) throws Exception {
        return MetastablePartition.SCHEMA.fromJson(new ObjectMapper().readTree("{\"micro\": " + micro
                + ", \"sets\": " + sets + ", \"lag\": 5}"), "test", STAGES);
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
        FittedPartition g = new MetastablePartition().load(new ObjectMapper().readTree(f.toJson().toString()),
                STAGES);
        assertArrayEquals(s, g.assign(probe).toArray());
    }

    @Test
    void badMicroSettingsAndTooManySetsAreNamed() throws Exception {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> settings("{\"id\": \"partition.kmeans\", \"settings\": {\"clusters\": 0}}", 3));
        assertEquals("micro.settings.clusters", e.field());
        InvalidSettingException unknown = assertThrows(InvalidSettingException.class,
                () -> settings("{\"id\": \"partition.none\"}", 3));
        assertTrue(unknown.getMessage().contains("partition.none") && unknown.getMessage().contains("partition.grid"),
                unknown.getMessage());
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

    /** A partition that is not built in (as a lab's bundle would add) serves as the microstates. */
    @Test
    void anyInstalledPartitionCanBeTheMicrostates() throws Exception {
        StageRegistry stages = StageRegistry.of(new MetastablePartition(), new TenthsPartition());
        Settings s = MetastablePartition.SCHEMA.fromJson(new ObjectMapper().readTree(
                "{\"micro\": {\"id\": \"lab.tenths\"}, \"sets\": 3, \"lag\": 5}"), "test", stages);
        List<FeatureSeries> data = threeRegions(3);
        FittedPartition f = new MetastablePartition().fit(data, s, null);
        FeatureSeries probe = new FeatureSeries(new double[] { -3, -2.8, 0, 0.2, 3, 2.9 }, List.of("x"), 1, "ps",
                "probe");
        int[] a = f.assign(probe).toArray();
        assertEquals(a[0], a[1]);
        assertEquals(a[2], a[3]);
        assertEquals(a[4], a[5]);
        assertTrue(a[0] != a[2] && a[2] != a[4] && a[0] != a[4], java.util.Arrays.toString(a));
        // the saved partition names its microstate partition and loads through the same registry
        JsonNode saved = new ObjectMapper().readTree(f.toJson().toString());
        assertEquals("lab.tenths", saved.path("microPartition").asText());
        assertArrayEquals(a, new MetastablePartition().load(saved, stages).assign(probe).toArray());
        // without the lab's bundle, the saved partition cannot be loaded, and the error says which id is missing
        ConfigurationException missing = assertThrows(ConfigurationException.class,
                () -> new MetastablePartition().load(saved, STAGES));
        assertTrue(missing.getMessage().contains("lab.tenths"), missing.getMessage());
    }

    /** Bins of width 0.5 on the first feature from -5 to 5: a stand-in for a third-party partition. */
    static final class TenthsPartition implements StatePartition {
        @Override
        public String id() {
            return "lab.tenths";
        }

        @Override
        public String label() {
            return "Tenths";
        }

        @Override
        public String description() {
            return "20 bins of width 0.5 from -5 to 5";
        }

        @Override
        public SettingsSchema settingsSchema() {
            return EMPTY;
        }

        @Override
        public FittedPartition fit(List<FeatureSeries> data, Settings settings, IProgressMonitor monitor) {
            return load(null);
        }

        @Override
        public FittedPartition load(JsonNode json) {
            return new FittedPartition() {
                @Override
                public String partitionId() {
                    return "lab.tenths";
                }

                @Override
                public int numberOfStates() {
                    return 20;
                }

                @Override
                public List<String> stateLabels() {
                    return java.util.Collections.nCopies(20, "bin");
                }

                @Override
                public StateSequence assign(FeatureSeries series) {
                    int[] s = new int[series.frames()];
                    for (int i = 0; i < s.length; i++) {
                        s[i] = (int) Math.max(0, Math.min(19, Math.floor((series.get(i, 0) + 5) / 0.5)));
                    }
                    return StateSequence.wrap(s, 20, series.frameInterval(), series.timeUnit(), series.source());
                }

                @Override
                public com.fasterxml.jackson.databind.node.ObjectNode toJson() {
                    return new ObjectMapper().createObjectNode().put("partition", "lab.tenths");
                }
            };
        }

        static final SettingsSchema EMPTY = SettingsSchema.of();
    }
}
