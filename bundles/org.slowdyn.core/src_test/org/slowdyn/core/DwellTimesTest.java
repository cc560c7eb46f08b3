package org.slowdyn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.slowdyn.core.data.StateSequence;

class DwellTimesTest {
    @Test
    void runsMeanLengthsAndPowerOfTwoBins() {
        // state 0: runs of 3, 1 and 4 frames; state 1: runs of 2 and 5 (the second trajectory); state 2: none
        StateSequence a = new StateSequence(new int[] { 0, 0, 0, 1, 1, 0, 0, 0, 0, 0 }, 3, 1, "ps", "a");
        StateSequence b = new StateSequence(new int[] { 1, 1, 1, 1, 1 }, 3, 1, "ps", "b");
        StateSequence c = new StateSequence(new int[] { 0 }, 3, 1, "ps", "c");
        DwellTimes d = DwellTimes.of(List.of(a, b, c));
        // runs in a: 000 (3), 11 (2), 00000 (5); in b: 11111 (5); in c: 0 (1)
        assertEquals(3, d.runs(0));
        assertEquals((3 + 5 + 1) / 3.0, d.meanDwell(0), 1e-12);
        assertEquals(2, d.runs(1));
        assertEquals(3.5, d.meanDwell(1), 1e-12);
        assertTrue(Double.isNaN(d.meanDwell(2)));
        assertEquals(1, d.histogram(0, 0)); // length 1
        assertEquals(1, d.histogram(0, 1)); // length 3 in [2, 4)
        assertEquals(1, d.histogram(0, 2)); // length 5 in [4, 8)
        assertEquals(1, d.histogram(1, 1));
        assertEquals(1, d.histogram(1, 2));
    }
}
