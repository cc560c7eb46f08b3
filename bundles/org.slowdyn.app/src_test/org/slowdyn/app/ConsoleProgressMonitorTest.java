package org.slowdyn.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ConsoleProgressMonitorTest {
    /** Not a terminal: a line every 10%; a new subtask alone prints only 10 s after the last line. */
    @Test
    void logStreamGetsEveryTenPercentAndThrottledSubtasks() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgressMonitor m = new ConsoleProgressMonitor(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                false);
        m.beginTask("Run", 100);
        m.subTask("epoch 1: loss 0.5");
        m.subTask("epoch 2: loss 0.4");
        for (int i = 0; i < 25; i++) {
            m.worked(1);
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("slowdyn:   0% Run", lines[0]);
        assertEquals("slowdyn:  10% Run: epoch 2: loss 0.4", lines[1]);
        assertEquals("slowdyn:  20% Run: epoch 2: loss 0.4", lines[2]);
        assertEquals(3, lines.length);
    }
}
