package org.slowdyn.recrossing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.slowdyn.core.FilterResult;
import org.slowdyn.core.data.StateSequence;

class RecrossingFilterTest {
    private static int[] s(String states) {
        return states.chars().map(c -> c - '0').toArray();
    }

    @Test
    void minimumDwellAbsorbsShortExcursions() {
        // k = 3: the 2-frame visit to 1 is absorbed; the 3-frame visit to 2 is accepted; the final 1-frame 0 is cut
        // by the end of the trajectory and absorbed into 2.
        assertArrayEquals(s("0000000222222"), MinimumDwellFilter.apply(s("0001100222220"), 3));
        // an excursion through several short states goes back to the committed state, then a long run commits
        assertArrayEquals(s("00000000333"), MinimumDwellFilter.apply(s("00012120333"), 3));
        // the first run is committed whatever its length
        assertArrayEquals(s("1100000"), MinimumDwellFilter.apply(s("1100000"), 3));
        // k = 1 changes nothing; k longer than the trajectory keeps only the first run's state
        assertArrayEquals(s("0120120"), MinimumDwellFilter.apply(s("0120120"), 1));
        assertArrayEquals(s("0000000"), MinimumDwellFilter.apply(s("0120120"), 100));
        assertArrayEquals(new int[0], MinimumDwellFilter.apply(new int[0], 5));
    }

    @Test
    void peakAndStepSplitsNoiseSegmentsBetweenNeighbours() {
        // changes at 3 (0->1) and 5 (1->0), 2 frames apart <= 2: segment [3,5) = 2 frames, first half (1 frame) takes
        // 0 (before), second half takes 0 (after): the peak disappears
        assertArrayEquals(s("00000000"), PeakAndStepFilter.apply(s("00011000"), 2));
        // a step 0 -> 1 -> 2 with a 4-frame stay in 1: first 2 frames go to 0, last 2 to 2
        assertArrayEquals(s("000002222"), PeakAndStepFilter.apply(s("000111122"), 4));
        // odd segment of 3 frames: floor(3/2) = 1 frame to the earlier state, 2 to the later
        assertArrayEquals(s("00002222"), PeakAndStepFilter.apply(s("00011122"), 3));
        // changes farther apart than the threshold are kept
        assertArrayEquals(s("00011100"), PeakAndStepFilter.apply(s("00011100"), 2));
        // chain: changes at 3, 5, 7 (0->1->2->3), threshold 2; segment [3,5) -> 0,2; segment [5,7) starts after the
        // already filtered frame 4 (= 2): first frame 2, second frame 3
        assertArrayEquals(s("0000223333"), PeakAndStepFilter.apply(s("0001122333"), 2));
    }

    @Test
    void accountingCountsTransitionsAndRelabelledFrames() {
        StateSequence a = new StateSequence(s("0001100222220"), 3, 1, "ps", "a");
        StateSequence b = new StateSequence(s("222"), 3, 1, "ps", "b");
        MinimumDwellFilter f = new MinimumDwellFilter();
        FilterResult r = f.filter(List.of(a, b), MinimumDwellFilter.SCHEMA.defaults()
                .with(MinimumDwellFilter.MIN_DWELL, 3), null);
        assertEquals(2, r.sequences().size());
        assertEquals(4, r.transitionsBefore()); // 0->1, 1->0, 0->2, 2->0
        assertEquals(1, r.transitionsAfter());
        assertEquals(3, r.framesRelabelled());
        assertEquals(16, r.framesIn());
        assertEquals(0, r.framesDropped());
        assertArrayEquals(s("222"), r.sequences().get(1).toArray());
        FilterResult none = new NoRecrossingFilter().filter(List.of(a), new NoRecrossingFilter().settingsSchema().defaults(), null);
        assertEquals(none.transitionsBefore(), none.transitionsAfter());
        assertEquals(a, none.sequences().get(0));
    }
}
