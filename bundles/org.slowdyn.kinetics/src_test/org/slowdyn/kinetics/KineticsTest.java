package org.slowdyn.kinetics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.slowdyn.core.data.StateSequence;

class KineticsTest {
    private static StateSequence seq(int n, int... states) {
        return new StateSequence(states, n, 1, "ps", "t");
    }

    @Test
    void transitionCountsUseASlidingWindowWithinEachTrajectory() {
        List<StateSequence> trajs = List.of(seq(3, 0, 0, 1, 2, 1), seq(3, 2, 0));
        long[][] lag1 = TransitionCounts.count(trajs, 1);
        assertArrayEquals(new long[] { 1, 1, 0 }, lag1[0]);
        assertArrayEquals(new long[] { 0, 0, 1 }, lag1[1]);
        assertArrayEquals(new long[] { 1, 1, 0 }, lag1[2]); // 2->1 in the first, 2->0 in the second
        long[][] lag2 = TransitionCounts.count(trajs, 2);
        // pairs (0,1),(0,2),(1,1) from the first trajectory; the second is too short
        assertArrayEquals(new long[] { 0, 1, 1 }, lag2[0]);
        assertArrayEquals(new long[] { 0, 1, 0 }, lag2[1]);
        assertArrayEquals(new long[] { 0, 0, 0 }, lag2[2]);
    }

    @Test
    void directPassagesOnAHandMadeTrajectory() {
        // frame: 0 1 2 3 4 5 6 7 8
        // state: 0 0 1 1 0 2 0 0 1
        TrajectoryStatistics t = TrajectoryStatistics.of(seq(3, 0, 0, 1, 1, 0, 2, 0, 0, 1));
        // 0 -> 1: from frame 0 to 2 (2 frames), from frame 4 (re-entries at 6, 7 do not restart) to 8 (4 frames)
        assertEquals(2, t.completedPassages(0, 1));
        assertEquals(3.0, t.meanCompletedPassage(0, 1), 1e-12);
        assertEquals(3.0, t.meanFirstPassage(0, 1), 1e-12);
        // 1 -> 0: from 2 to 4 completed; from 8 to the end (frame 8) is cut off after 0 frames
        assertEquals(1, t.completedPassages(1, 0));
        assertEquals(2.0, t.meanFirstPassage(1, 0), 1e-12);
        // 2 -> 1: from 5 to 8 (3 frames); 2 -> 0: from 5 to 6 (1 frame)
        assertEquals(3.0, t.meanFirstPassage(2, 1), 1e-12);
        assertEquals(1.0, t.meanFirstPassage(2, 0), 1e-12);
        // 0 -> 2: from 0 to 5 (5 frames); then 0 is entered at 6 and the trajectory ends at 8: 2 frames cut off
        assertEquals(1, t.completedPassages(0, 2));
        assertEquals(5.0, t.meanCompletedPassage(0, 2), 1e-12);
        assertEquals(7.0, t.meanFirstPassage(0, 2), 1e-12);
        // 1 -> 2: entered 1 at 2, reached 2 at 5 (3 frames); entered 1 at 8, cut off after 0 frames
        assertEquals(3.0, t.meanFirstPassage(1, 2), 1e-12);
        assertEquals(5.0 / 9, t.population(0), 1e-12);
    }

    /**
     * Two-state chain with P(0 -> 1) = p per frame: the first-passage time from entering 0 to 1 is geometric with mean
     * 1/p = 50 frames. Trajectories of 50 frames cut most passages off: the mean of completed passages alone is biased
     * low; the estimator that counts the cut-off time at risk recovers 1/p.
     */
    @Test
    void mfptFromShortTrajectoriesMatchesTheGeometricMean() {
        double p = 0.02, q = 0.02;
        SplittableRandom rng = new SplittableRandom(11);
        List<StateSequence> trajs = new ArrayList<>();
        for (int t = 0; t < 20_000; t++) {
            int[] s = new int[50];
            s[0] = rng.nextDouble() < 0.5 ? 0 : 1; // stationary start (p = q)
            for (int i = 1; i < s.length; i++) {
                double u = rng.nextDouble();
                s[i] = s[i - 1] == 0 ? (u < p ? 1 : 0) : (u < q ? 0 : 1);
            }
            trajs.add(seq(2, s));
        }
        KineticsSummary k = KineticsSummary.of(trajs, 100, 5);
        // about 10,000 passages: relative standard error about 1%
        assertEquals(1 / p, k.mfpt(0, 1), 0.04 / p);
        assertEquals(1 / q, k.mfpt(1, 0), 0.04 / q);
        double naive = TrajectoryStatistics.sum(trajs.stream().map(TrajectoryStatistics::of).toList())
                .meanCompletedPassage(0, 1);
        assertTrue(naive < 0.7 / p, "mean of completed passages only should be biased low, got " + naive);
        // the bootstrap standard error is near the expected relative error of 1/sqrt(passages)
        double expected = k.mfpt(0, 1) / Math.sqrt(k.passages(0, 1));
        assertEquals(expected, k.mfptError(0, 1), 0.35 * expected);
        assertEquals(0.5, k.population(0), 0.01);
    }

    /** Bootstrap over trajectories against the textbook standard error of a mean of independent values. */
    @Test
    void populationStandardErrorMatchesTheSpreadBetweenTrajectories() {
        SplittableRandom rng = new SplittableRandom(3);
        List<StateSequence> trajs = new ArrayList<>();
        double[] fraction = new double[100];
        for (int t = 0; t < 100; t++) {
            int[] s = new int[100];
            int ones = 0;
            double bias = rng.nextDouble();
            for (int i = 0; i < s.length; i++) {
                s[i] = rng.nextDouble() < bias ? 1 : 0;
                ones += s[i];
            }
            fraction[t] = ones / 100.0;
            trajs.add(seq(2, s));
        }
        double mean = java.util.Arrays.stream(fraction).average().orElseThrow();
        double var = java.util.Arrays.stream(fraction).map(f -> (f - mean) * (f - mean)).sum() / (100 - 1);
        KineticsSummary k = KineticsSummary.of(trajs, 1000, 9);
        assertEquals(mean, k.population(1), 1e-12);
        assertEquals(Math.sqrt(var / 100), k.populationError(1), 0.1 * Math.sqrt(var / 100));
    }

    @Test
    void fewTrajectoriesAreResampledInBlocksAndUnseenPassagesAreNaN() {
        int[] s = new int[10_000];
        for (int i = 0; i < s.length; i++) {
            s[i] = (i / 50) % 2; // 0 for 50 frames, 1 for 50 frames, ...
        }
        // one trajectory is cut into 20 blocks of 500 frames, each starting at the start of a run of 0
        KineticsSummary k = KineticsSummary.of(List.of(seq(3, s)), 50, 1);
        assertEquals(50.0, k.mfpt(0, 1), 1e-9);
        assertEquals(0.0, k.mfptError(0, 1), 1e-9, "every block has the same passages");
        assertTrue(Double.isNaN(k.mfpt(0, 2)), "state 2 is never reached");
        assertEquals(0, k.passages(0, 2));
        assertEquals(0.0, k.population(2));
    }

    @Test
    void commitTimeCountsTransitionsBetweenLongEnoughStays() {
        // runs: 0 x5, 1 x1, 0 x2, 1 x4, 2 x1, 1 x3, 0 x6
        StateSequence s = seq(3, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 1, 2, 1, 1, 1, 0, 0, 0, 0, 0, 0);
        long[][] t1 = CommitTimeCounts.count(List.of(s), 1);
        assertEquals(6, t1[0][1] + t1[1][0] + t1[1][2] + t1[2][1] + t1[0][2] + t1[2][0]);
        // t = 3: committed stays 0 (5), 1 (4), 1 (3), 0 (6): transitions 0->1 and 1->0; the stay of 2 is too short
        long[][] t3 = CommitTimeCounts.count(List.of(s), 3);
        assertEquals(1, t3[0][1]);
        assertEquals(1, t3[1][0]);
        assertEquals(0, t3[1][2] + t3[2][1]);
        // t = 5: stays 0 (5) and 0 (6) only: no transition
        assertArrayEquals(new long[] { 6, 2, 0 }, CommitTimeCounts.totals(List.of(s), new int[] { 1, 3, 5 }));
    }

    @Test
    void relativeErrorPropagatesBothUncertainties() {
        RelativeError e = RelativeError.of(100, 3, 110, 4);
        assertEquals(0.10, e.value(), 1e-12);
        assertEquals(1.1 * Math.sqrt(0.03 * 0.03 + (4 / 110.0) * (4 / 110.0)), e.error(), 1e-12);
        assertTrue(Double.isNaN(RelativeError.of(0, 1, 1, 1).value()));
    }
}
