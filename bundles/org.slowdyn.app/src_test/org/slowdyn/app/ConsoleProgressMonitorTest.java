package org.slowdyn.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ConsoleProgressMonitorTest {
    /** A monitor writing lines for a log (not a terminal) into bytes, on a clock the test sets (nanoseconds). */
    private static ConsoleProgressMonitor logMonitor(ByteArrayOutputStream bytes, long[] now) {
        return new ConsoleProgressMonitor(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, () -> now[0]);
    }

    /** Not a terminal: a line for another 10% or a new subtask, at most one every 5 s, with the time left. */
    @Test
    void logStreamGetsAThrottledLineWithElapsedTimeAndTimeLeft() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long[] now = { 0 };
        ConsoleProgressMonitor m = logMonitor(bytes, now);
        m.beginTask("Run", 100);
        m.subTask("epoch 1: loss 0.5"); // within 5 s of the first line: not printed
        now[0] = 6_000_000_000L;
        m.subTask("epoch 2: loss 0.4"); // 6 s: printed; nothing done yet, so no estimate
        for (int i = 0; i < 25; i++) {
            now[0] += 1_000_000_000L; // one percent per second
            m.worked(1);
        }
        m.done();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("slowdyn:   0% (0:00 elapsed) Run", lines[0]);
        assertEquals("slowdyn:   0% (0:06 elapsed) Run: epoch 2: loss 0.4", lines[1]);
        // 10% at 16 s: the rate says 144 s more; 15% at 21 s (5 s later, but no new decile or subtask): silent;
        // 20% at 26 s: 104 s more
        assertEquals("slowdyn:  10% (0:16 elapsed, about 2:24 left) Run: epoch 2: loss 0.4", lines[2]);
        assertEquals("slowdyn:  20% (0:26 elapsed, about 1:44 left) Run: epoch 2: loss 0.4", lines[3]);
        assertEquals("slowdyn: 100% (0:31 elapsed) Run: epoch 2: loss 0.4", lines[4]);
        assertEquals(5, lines.length);
    }

    /** Work under one subtask for minutes, far from the next 10%: a line a minute while work is done, none without. */
    @Test
    void logStreamGetsALineAMinuteWhileWorkGoesOnUnderOneSubtask() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long[] now = { 0 };
        ConsoleProgressMonitor m = logMonitor(bytes, now);
        m.beginTask("Study", 1000);
        now[0] = 10_000_000_000L;
        m.subTask("generating");
        for (int i = 0; i < 14; i++) { // 0.1% every 10 s, from 20 s to 150 s
            now[0] += 10_000_000_000L;
            m.worked(1);
        }
        now[0] = 400_000_000_000L;
        m.subTask("generating"); // work done since the last line (at 140 and 150 s): printed
        now[0] = 500_000_000_000L;
        m.subTask("generating"); // no work since: silent
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(java.util.List.of("slowdyn:   0% (0:00 elapsed) Study",
                "slowdyn:   0% (0:10 elapsed) Study: generating",
                "slowdyn:   1% (1:10 elapsed) Study: generating",
                "slowdyn:   1% (2:10 elapsed) Study: generating",
                "slowdyn:   1% (6:40 elapsed) Study: generating"), java.util.List.of(lines));
    }

    @Test
    void cancelledWorkEndsWhereItStoppedNotAtAHundredPercent() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long[] now = { 0 };
        ConsoleProgressMonitor m = logMonitor(bytes, now);
        m.beginTask("Study", 10);
        now[0] = 10_000_000_000L;
        m.worked(3); // 30% at 10 s: 23 s more
        m.setCanceled(true);
        m.done();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("slowdyn:  30% (0:10 elapsed, about 0:23 left) Study", lines[lines.length - 1]);
        assertEquals(2, lines.length);
    }

    /**
     * A study predicts its time left from the seconds of finished cells; the line shows that prediction, counted down,
     * in place of the rate so far, until it runs out or a new task begins.
     */
    @Test
    void theWorksOwnPredictionReplacesTheRateSoFarUntilItRunsOut() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long[] now = { 0 };
        ConsoleProgressMonitor m = logMonitor(bytes, now);
        m.beginTask("Study", 100);
        m.timeLeft(3600); // at 0 s
        now[0] = 10_000_000_000L;
        m.worked(10); // 10% at 10 s: the prediction less 10 s (the rate would say 1:30)
        m.timeLeft(15); // a new prediction at 10 s
        now[0] = 20_000_000_000L;
        m.worked(10); // 20% at 20 s: 5 s of it left
        now[0] = 30_000_000_000L;
        m.worked(10); // 30% at 30 s: the prediction ran out 5 s ago; the rate says 70 s
        m.timeLeft(600);
        m.beginTask("Report", 10); // a new task forgets the study's prediction
        now[0] = 40_000_000_000L;
        m.worked(1); // 10% at 10 s into it: the rate says 90 s
        assertEquals(java.util.List.of("slowdyn:   0% (0:00 elapsed) Study",
                "slowdyn:  10% (0:10 elapsed, about 59:50 left) Study",
                "slowdyn:  20% (0:20 elapsed, about 0:05 left) Study",
                "slowdyn:  30% (0:30 elapsed, about 1:10 left) Study",
                "slowdyn:   0% (0:00 elapsed) Report",
                "slowdyn:  10% (0:10 elapsed, about 1:30 left) Report"),
                java.util.List.of(bytes.toString(StandardCharsets.UTF_8).split("\n")));
    }

    @Test
    void clockTimesHaveHoursOnlyWhenNeeded() {
        assertEquals("0:59", ConsoleProgressMonitor.clockTime(59.4));
        assertEquals("2:05", ConsoleProgressMonitor.clockTime(125));
        assertEquals("1:00:00", ConsoleProgressMonitor.clockTime(3600));
    }
}
