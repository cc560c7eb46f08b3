package org.slowdyn.recrossing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.FilterContext;
import org.slowdyn.core.FilterResult;
import org.slowdyn.core.InputException;
import org.slowdyn.core.MembershipPartition;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Settings;

import com.fasterxml.jackson.databind.node.ObjectNode;

class CoreSetMilestoningTest {
    private final CoreSetMilestoning filter = new CoreSetMilestoning();

    private static StateSequence seq(int n, String states) {
        return new StateSequence(states.chars().map(c -> c - '0').toArray(), n, 1, "ps", states);
    }

    private static int[] s(String states) {
        return states.chars().map(c -> c - '0').toArray();
    }

    @Test
    void coresAsPartitionStates() {
        Settings cores = CoreSetMilestoning.SCHEMA.defaults().edit().set(CoreSetMilestoning.CORES, "states")
                .set(CoreSetMilestoning.CORE_STATES, List.of(0, 2)).done();
        // 1102112001: frames 0-1 (state 1) come before the first core and are dropped; from frame 2 the states
        // 0 2 1 1 2 0 0 1 become 0 2 2 2 2 0 0 0 (outside frames take the last core)
        FilterResult r = filter.filter(List.of(seq(3, "1102112001"), seq(3, "012"), seq(3, "211"), seq(3, "1111")),
                cores, null);
        assertEquals(3, r.sequences().size());
        assertArrayEquals(s("02222000"), r.sequences().get(0).toArray());
        assertArrayEquals(s("002"), r.sequences().get(1).toArray(), "starts inside a core");
        assertArrayEquals(s("222"), r.sequences().get(2).toArray(), "ends in a recrossing");
        assertEquals(1, r.trajectoriesDropped(), "1111 never reaches a core");
        assertEquals(2 + 4, r.framesDropped());
        assertEquals(3 + 1 + 2, r.framesRelabelled(), "kept frames outside every core");
        assertEquals(2 + 1 + 0, r.transitionsAfter());
        assertEquals(20, r.framesIn());
        assertTrue(r.stateLabels().isEmpty(), "states keep the partition's labels");
        assertEquals(3, r.sequences().get(0).numberOfStates());
    }

    @Test
    void noTrajectoryReachingACoreIsAnError() {
        Settings cores = CoreSetMilestoning.SCHEMA.defaults().edit().set(CoreSetMilestoning.CORES, "states")
                .set(CoreSetMilestoning.CORE_STATES, List.of(2)).done();
        InputException e = assertThrows(InputException.class,
                () -> filter.filter(List.of(seq(3, "0101"), seq(3, "11")), cores, null));
        assertTrue(e.getMessage().contains("2 trajectories"), e.getMessage());
    }

    @Test
    void spheresInFeatureSpaceDefineNewStates() {
        // cores: radius 0.5 around x = -1 (core 0) and x = 1 (core 1)
        FeatureSeries x = new FeatureSeries(new double[] { 0, -0.9, -0.2, 0.3, 0.8, 0.1, -0.6 }, List.of("x"), 1, "ps",
                "x");
        StateSequence raw = seq(5, "4444444");
        Settings spheres = CoreSetMilestoning.SCHEMA.defaults().with(CoreSetMilestoning.CENTERS,
                List.of(List.of(-1.0), List.of(1.0))).with(CoreSetMilestoning.RADIUS, 0.5);
        FilterResult r = filter.filter(new FilterContext(List.of(raw), List.of(x), null), spheres, null);
        StateSequence out = r.sequences().get(0);
        assertArrayEquals(s("000110"), out.toArray());
        assertEquals(2, out.numberOfStates());
        assertEquals(1, r.framesDropped());
        assertEquals(2, r.transitionsAfter());
        assertEquals(2, r.stateLabels().orElseThrow().size());
        // without the feature series the filter cannot place the cores
        assertThrows(ConfigurationException.class, () -> filter.filter(List.of(raw), spheres, null));
    }

    @Test
    void boxesInFeatureSpace() {
        FeatureSeries xy = new FeatureSeries(new double[] { 0, 0, 1, 1, 3, 3, 5, 5, 2, 2, 1.5, 0.5 }, List.of("x", "y"),
                1, "ps", "xy");
        Settings boxes = CoreSetMilestoning.SCHEMA.defaults().edit().set(CoreSetMilestoning.CORES, "boxes")
                .set(CoreSetMilestoning.BOX_MIN, List.of(List.of(0.5, 0.5), List.of(4.0, 4.0)))
                .set(CoreSetMilestoning.BOX_MAX, List.of(List.of(1.5, 1.5), List.of(6.0, 6.0))).done();
        // (0,0) outside: dropped; (1,1) box 0; (3,3) outside; (5,5) box 1; (2,2) outside; (1.5,0.5) on box 0's edge
        FilterResult r = filter.filter(new FilterContext(List.of(seq(1, "000000")), List.of(xy), null), boxes, null);
        assertArrayEquals(s("00110"), r.sequences().get(0).toArray());
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> boxes
                .with(CoreSetMilestoning.BOX_MAX, List.of(List.of(0.0, 1.5), List.of(6.0, 6.0))));
        assertEquals("boxMax", e.field());
    }

    @Test
    void metastableCoresFromMemberships() {
        FeatureSeries f = new FeatureSeries(new double[] { 0.95, 0.5, 0.02, 0.3, 0.92 }, List.of("m"), 1, "ps", "m");
        // membership in set 0 is the feature value, in set 1 the rest
        MembershipPartition fuzzy = new MembershipPartition() {
            @Override
            public double[][] memberships(FeatureSeries series) {
                double[][] chi = new double[series.frames()][];
                for (int i = 0; i < chi.length; i++) {
                    chi[i] = new double[] { series.get(i, 0), 1 - series.get(i, 0) };
                }
                return chi;
            }

            @Override
            public String partitionId() {
                return "test.fuzzy";
            }

            @Override
            public int numberOfStates() {
                return 2;
            }

            @Override
            public List<String> stateLabels() {
                return List.of("a", "b");
            }

            @Override
            public StateSequence assign(FeatureSeries series) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ObjectNode toJson() {
                throw new UnsupportedOperationException();
            }
        };
        Settings m = CoreSetMilestoning.SCHEMA.defaults().with(CoreSetMilestoning.CORES, "memberships")
                .with(CoreSetMilestoning.THRESHOLD, 0.9);
        FilterResult r = filter.filter(new FilterContext(List.of(seq(2, "01010")), List.of(f), fuzzy), m, null);
        // 0.95 -> core 0; 0.5 outside; 0.02 -> core 1 (membership 0.98); 0.3 outside (0.7 < 0.9); 0.92 -> core 0
        assertArrayEquals(s("00110"), r.sequences().get(0).toArray());
        assertThrows(ConfigurationException.class,
                () -> filter.filter(new FilterContext(List.of(seq(2, "01010")), List.of(f), null), m, null));
    }

    @Test
    void statesModeNeedsCoreStates() {
        assertEquals("coreStates", assertThrows(InvalidSettingException.class,
                () -> CoreSetMilestoning.SCHEMA.defaults().with(CoreSetMilestoning.CORES, "states")).field());
    }
}
