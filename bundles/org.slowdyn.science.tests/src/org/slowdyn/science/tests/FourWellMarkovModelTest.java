package org.slowdyn.science.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.StageRegistry;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.kinetics.ImpliedTimescales;
import org.slowdyn.partition.KMeansPartition;
import org.slowdyn.partition.MetastablePartition;
import org.slowdyn.simulate.FourWellPotential;
import org.slowdyn.simulate.LangevinSimulator;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Tsai's four-state system (SCIENCE.md): 2D k-means microstates lumped by PCCA+ into 4 metastable sets recover the
 * four wells, and the slowest implied timescale is near the reference of about 8,600 frames (SCIENCE.md: core sets,
 * 9e7 frames of two simulators; here 4e6 frames, so within 25%).
 */
class FourWellMarkovModelTest {
    /**
     * SCIENCE.md (2026-11-29): about 8,600 +- 120 frames, pooled from 9e7 frames of two independent simulators, core
     * sets of radius 0.6 with milestoning. The 9,300 cited here before came from one high replicate of 1.6e7 frames;
     * replicates of 1e7 frames scatter from 8,200 to 9,000.
     */
    static final double REFERENCE_SLOWEST_TIMESCALE = 8600;

    @Test
    void kmeansPlusPccaRecoversTheWellsAndTheSlowTimescale() throws Exception {
        Settings sim = LangevinSimulator.SCHEMA.defaults().with(LangevinSimulator.TRAJECTORIES, 800)
                .with(LangevinSimulator.FRAMES, 5000);
        List<FeatureSeries> xy = LangevinSimulator.fourWell().simulate(sim, 5, null);
        Settings pcca = MetastablePartition.SCHEMA.fromJson(new ObjectMapper().readTree("{\"micro\": {\"id\": "
                + "\"partition.kmeans\", \"settings\": {\"clusters\": 100}}, \"lag\": 100, \"sets\": 4}"), "test",
                StageRegistry.of(new KMeansPartition()));
        FittedPartition sets = new MetastablePartition().fit(xy, pcca, null);

        List<StateSequence> macro = new ArrayList<>();
        double[][] sum = new double[4][3];
        for (FeatureSeries f : xy) {
            StateSequence s = sets.assign(f);
            macro.add(s);
            for (int i = 0; i < f.frames(); i++) {
                sum[s.state(i)][0] += f.get(i, 0);
                sum[s.state(i)][1] += f.get(i, 1);
                sum[s.state(i)][2]++;
            }
        }
        boolean[] wellFound = new boolean[4];
        for (double[] set : sum) {
            double cx = set[0] / set[2], cy = set[1] / set[2];
            int nearest = -1;
            for (int w = 0; w < 4; w++) {
                double[] well = FourWellPotential.WELLS[w];
                if (Math.hypot(cx - well[0], cy - well[1]) < 0.15) {
                    nearest = w;
                }
            }
            assertTrue(nearest >= 0, "set centered at (" + cx + ", " + cy + ") is not at a well");
            assertTrue(!wellFound[nearest], "two sets at well " + nearest);
            wellFound[nearest] = true;
        }

        ImpliedTimescales its = ImpliedTimescales.estimate(macro, new int[] { 100, 300 }, 1, true, 20, 3, null);
        for (int l = 0; l < 2; l++) {
            double t = its.timescale(l, 0);
            assertTrue(its.error(l, 0) < 0.1 * t, "bootstrap error " + its.error(l, 0) + " too large to test");
            assertEquals(REFERENCE_SLOWEST_TIMESCALE, t, 0.25 * REFERENCE_SLOWEST_TIMESCALE,
                    "slowest implied timescale at lag " + its.lags()[l] + ": " + t + " +- " + its.error(l, 0));
        }
    }
}
