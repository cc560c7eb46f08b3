package org.slowdyn.kinetics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.slowdyn.core.data.StateSequence;

/** The comparison API: dwell distributions, the KS test, spurious transitions, and times in reference frames. */
class ComparisonTest {
    private static StateSequence seq(int n, int... states) {
        return new StateSequence(states, n, 1, "ps", "t");
    }

    /** A two-state chain with stay probabilities p0 and p1. */
    private static List<StateSequence> chain(double p0, double p1, int trajectories, int frames, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<StateSequence> out = new ArrayList<>();
        for (int t = 0; t < trajectories; t++) {
            int[] x = new int[frames];
            for (int i = 1; i < frames; i++) {
                double stay = x[i - 1] == 0 ? p0 : p1;
                x[i] = r.nextDouble() < stay ? x[i - 1] : 1 - x[i - 1];
            }
            out.add(seq(2, x));
        }
        return out;
    }

    @Test
    void dwellDistributionKeepsOnlyCompleteStaysInReferenceFrames() {
        // stays: 0 (cut by the start), 1 x2, 0 x1, 1 x3, 2 x1, 0 (cut by the end)
        DwellDistribution d = DwellDistribution.of(List.of(seq(3, 0, 0, 1, 1, 0, 1, 1, 1, 2, 0, 0)), 1);
        assertArrayEquals(new int[] { 1 }, d.lengths(0));
        assertArrayEquals(new int[] { 2, 3 }, d.lengths(1));
        assertArrayEquals(new int[] { 1 }, d.lengths(2));
        assertEquals(2.5, d.mean(1), 1e-12);
        assertEquals(0.5, d.fractionAtMost(1, 2), 1e-12);
        assertEquals(1.0, d.fractionAtMost(1, 3), 1e-12);
        assertEquals(0.0, d.fractionAtMost(1, 1), 1e-12);
        // generated at a step of 4 reference frames: lengths scale by the step
        DwellDistribution g = DwellDistribution.of(List.of(seq(3, 0, 0, 1, 1, 0, 1, 1, 1, 2, 0, 0)), 4);
        assertArrayEquals(new int[] { 8, 12 }, g.lengths(1));
    }

    @Test
    void kolmogorovSmirnovDistanceMatchesTheEmpiricalDistributionsComputedByBruteForce() {
        DwellDistribution a = DwellDistribution.of(chain(0.9, 0.8, 5, 2000, 1), 1);
        DwellDistribution b = DwellDistribution.of(chain(0.5, 0.8, 5, 2000, 2), 1);
        for (int s = 0; s < 2; s++) {
            int[] x = a.lengths(s), y = b.lengths(s);
            double d = 0;
            for (int t = 0; t <= 200; t++) { // both ECDFs at every whole number of frames
                final int tt = t;
                double fx = java.util.Arrays.stream(x).filter(v -> v <= tt).count() / (double) x.length;
                double fy = java.util.Arrays.stream(y).filter(v -> v <= tt).count() / (double) y.length;
                d = Math.max(d, Math.abs(fx - fy));
            }
            assertEquals(d, a.kolmogorovSmirnov(s, b)[0], 1e-12);
        }
        // state 0 stays 10 frames on average in a and 2 in b: the test sees it; state 1 is the same chain in both
        assertTrue(a.kolmogorovSmirnov(0, b)[1] < 1e-6, "p = " + a.kolmogorovSmirnov(0, b)[1]);
        assertTrue(a.kolmogorovSmirnov(1, b)[1] > 1e-3, "p = " + a.kolmogorovSmirnov(1, b)[1]);
    }

    @Test
    void spuriousTransitionsAreGeneratedPairsTheReferenceNeverMakes() {
        List<StateSequence> ref = List.of(seq(3, 0, 1, 0, 1, 2, 1));
        List<StateSequence> gen = List.of(seq(3, 0, 2, 0, 2, 1, 0, 2), seq(3, 2, 0));
        ComparisonOptions o = new ComparisonOptions(200, 12, new int[] { 1 }, 3, 1, true, 50, new int[] { 1 },
                new int[0]);
        KineticsComparison c = KineticsComparison.compare(ref, List.of(new KineticsComparison.Generated("g", gen,
                1)), o, 1, new NullProgressMonitor());
        // the reference makes 0->1, 1->0, 1->2, 2->1; the generated 0->2 (x3), 2->0 (x2), 2->1, 1->0
        long brute = 0;
        int pairs = 0;
        long[][] rc = TransitionCounts.count(ref, 1), gc = TransitionCounts.count(gen, 1);
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                if (a != b && rc[a][b] == 0) {
                    brute += gc[a][b];
                    pairs += gc[a][b] > 0 ? 1 : 0;
                }
            }
        }
        assertEquals(5, brute);
        assertEquals(brute, c.spuriousTransitions(c.generators().get(0)));
        assertEquals(pairs, c.spuriousPairs(c.generators().get(0)));
        // a generator on another frame interval cannot be compared frame by frame
        KineticsComparison strided = KineticsComparison.compare(ref, List.of(new KineticsComparison.Generated("g",
                gen, 2)), o, 1, new NullProgressMonitor());
        assertEquals(-1, strided.spuriousTransitions(strided.generators().get(0)));
    }

    @Test
    void measuresOfSubsampledTrajectoriesAreInReferenceFrames() {
        List<StateSequence> ref = chain(0.99, 0.98, 10, 20000, 3);
        List<StateSequence> every2 = new ArrayList<>();
        ref.forEach(s -> every2.add(s.stride(2, 0)));
        ComparisonOptions o = new ComparisonOptions(20, 12, new int[] { 1, 2, 4, 10 }, 1, 2, true, 0,
                new int[] { 1, 2, 4 }, new int[] { 1, 2 });
        KineticsComparison c = KineticsComparison.compare(ref, List.of(new KineticsComparison.Generated("sub",
                every2, 2)), o, 5, new NullProgressMonitor());
        KineticsMeasures r = c.reference(), g = c.generators().get(0);
        // lag 1 is not a multiple of the step: not estimated; lag 2 of the reference = lag 1 of the subsampled data
        assertTrue(Double.isNaN(g.markov().timescale(1, 0)));
        // both estimate -1 / ln(1 - 0.01 - 0.02) = 32.8 frames from the same 2e5 frames, the subsampled data from
        // half of the lag-2 pairs: 3% is about 3 standard errors of their difference
        assertEquals(r.markov().timescale(2, 0), g.markov().timescale(2, 0), 0.03 * r.markov().timescale(2, 0));
        // the MSM at the MSM lag of 2 frames is one model of the subsampled data at lag 1: its MFPTs, scaled by
        // the step, equal MsmMfpt's estimate on that data
        MsmMfpt direct = MsmMfpt.estimate(every2, 1, true, 0, 1);
        assertEquals(2 * direct.mfpt(0, 1), g.markov().mfpt(0, 1), 1e-9 * direct.mfpt(0, 1));
        assertEquals(2 * direct.mfpt(1, 0), g.markov().mfpt(1, 0), 1e-9 * direct.mfpt(1, 0));
        // direct MFPT: 1 / (1 - p) = 100 frames to leave 0 for a two-state chain; in reference frames for both.
        // About 1,300 passages (2/3 of 2e5 frames in state 0, 100 frames each): a standard error of about 2.7
        // frames, so 8 is 3 standard errors; the subsampled data see a passage end up to one step (1 frame) late
        assertEquals(100, r.mfpt(0, 1), 8);
        assertEquals(100, g.mfpt(0, 1), 10);
        // commit time 1 is not a multiple of 2: not counted for the subsampled data
        assertEquals(-1, g.committed(0));
        assertTrue(g.committed(1) > 0);
        assertNull(r.markov().note());
    }

    @Test
    void generatorsMustUseTheReferencesStates() {
        ComparisonOptions o = new ComparisonOptions(200, 12, new int[] { 1 }, 3, 1, true, 50, new int[] { 1 },
                new int[0]);
        assertThrows(IllegalArgumentException.class, () -> KineticsComparison.compare(List.of(seq(2, 0, 1)),
                List.of(new KineticsComparison.Generated("g", List.of(seq(3, 0, 2)), 1)), o, 1, null));
    }

    @Test
    void chapmanKolmogorovLagsReachThreeSlowestTimescalesSoThatANonMarkovianModelFails() {
        // a two-state chain whose state 1 hides two substates, one left fast and one slowly: the lumped chain is not
        // Markovian (its stays in 1 are not geometric), which only long lags reveal
        SplittableRandom r = new SplittableRandom(4);
        List<StateSequence> hidden = new ArrayList<>(), markov = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            int[] x = new int[20000], y = new int[20000];
            int h = 0; // 0; 1 = substate fast; 2 = substate slow
            int m = 0;
            for (int i = 0; i < x.length; i++) {
                double u = r.nextDouble();
                if (h == 0) {
                    h = u < 0.01 ? 1 : u < 0.02 ? 2 : 0;
                } else {
                    h = u < (h == 1 ? 0.2 : 0.002) ? 0 : h;
                }
                x[i] = h == 0 ? 0 : 1;
                m = r.nextDouble() < 0.01 ? 1 - m : m;
                y[i] = m;
            }
            hidden.add(seq(2, x));
            markov.add(seq(2, y));
        }
        ComparisonOptions o = new ComparisonOptions(0, 12, new int[] { 1 }, 1, 1, true, 0, new int[] { 1 },
                new int[0]);
        ChapmanKolmogorovTest ok = MarkovMeasures.of(markov, 1, o, 1, null).chapmanKolmogorov();
        ChapmanKolmogorovTest bad = MarkovMeasures.of(hidden, 1, o, 1, null).chapmanKolmogorov();
        // the slowest timescale of the Markov chain is -1 / ln(1 - 2 * 0.01) = 49.5 frames: k up to 3 x 49.5 = 149,
        // from the timescale as estimated on 4e5 frames (about 5% statistical error)
        int[] k = ok.multiples();
        assertEquals(1, k[0]);
        assertEquals(149, k[k.length - 1], 8);
        assertTrue(ok.maxDeviation() < 0.03, "Markovian: " + ok.maxDeviation());
        assertTrue(bad.maxDeviation() > 0.1, "hidden substates: " + bad.maxDeviation());
        // with the former fixed multiples (1, 2, 5, 10) the hidden substates pass unnoticed
        ChapmanKolmogorovTest shortLags = MarkovMeasures.of(hidden, 1, o.withCkMultiples(new int[] { 1, 2, 5, 10 }),
                1, null).chapmanKolmogorov();
        assertTrue(shortLags.maxDeviation() < 0.1, "short lags: " + shortLags.maxDeviation());
    }
}
