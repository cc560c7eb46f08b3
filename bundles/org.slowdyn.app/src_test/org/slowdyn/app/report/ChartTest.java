package org.slowdyn.app.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The log axes' ticks: 1-2-5 within three decades, one per decade beyond, and labels in the drawn SVG. */
class ChartTest {
    @Test
    void logAxesTickAtOneTwoAndFiveWithinThreeDecadesAndOncePerDecadeBeyond() {
        assertArrayEquals(new double[] { 1, 2, 5 }, Chart.DecadeAxis.tickValues(1, 5), 1e-12);
        assertArrayEquals(new double[] { 1, 2, 5, 10, 20 }, Chart.DecadeAxis.tickValues(0.8, 25), 1e-12);
        assertArrayEquals(new double[] { 0.01, 0.1, 1, 10, 100 }, Chart.DecadeAxis.tickValues(0.01, 300), 1e-12);
        // between 1,100 and 1,900 lies none of those: four values at 1/8, 3/8, 5/8, 7/8 of the log range
        // (1,177.8, 1,350.2, 1,547.9, 1,774.5) to two significant digits
        assertArrayEquals(new double[] { 1200, 1400, 1500, 1800 }, Chart.DecadeAxis.tickValues(1100, 1900), 1e-9);
    }

    @Test
    void aSavingIntervalPlotFromOneToFiveLabelsTwoAndFive() {
        String svg = Chart.lines("t", "saving interval", "MFPT", true, true, List.of(new Chart.Line("a",
                new double[] { 1, 2, 5 }, new double[] { 1000, 1500, 3000 }, null))).svg(600, 400);
        for (String label : List.of(">1<", ">2<", ">5<", ">1,000<", ">2,000<")) {
            assertTrue(svg.contains(label), label + " is a tick label");
        }
    }

    @Test
    void linesGivenOneColourShareItAndOthersTakeThePalettesInOrder() {
        double[] x = { 1, 2, 3 }, y = { 1, 2, 3 };
        // the palette's second colour is Okabe-Ito vermillion, #D55E00
        String vermillion = "rgb(213,94,0)";
        String shared = Chart.lines("t", "x", "y", false, false, List.of(new Chart.Line("a", x, y, null, false, 0),
                new Chart.Line("b", x, y, null, true, 0))).svg(600, 400);
        assertFalse(shared.contains(vermillion), "both lines in the first colour");
        String byPosition = Chart.lines("t", "x", "y", false, false, List.of(new Chart.Line("a", x, y, null),
                new Chart.Line("b", x, y, null))).svg(600, 400);
        assertTrue(byPosition.contains(vermillion), "the second line in the second colour");
    }
}
