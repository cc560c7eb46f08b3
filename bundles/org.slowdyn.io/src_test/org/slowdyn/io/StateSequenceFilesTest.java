package org.slowdyn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowdyn.core.InputException;
import org.slowdyn.core.data.StateSequence;

class StateSequenceFilesTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsEveryTrajectorySeparate() throws IOException {
        List<StateSequence> in = List.of(new StateSequence(new int[] { 0, 1, 1, 2 }, 3, 2.5, "ps", "a"),
                new StateSequence(new int[] { 2 }, 3, 2.5, "ps", "b"),
                new StateSequence(new int[] { 1, 0 }, 3, 2.5, "ps", "c"));
        Path f = dir.resolve("s.txt.gz");
        StateSequenceFiles.write(f, in);
        List<StateSequence> out = StateSequenceFiles.read(f);
        assertEquals(in, out);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file may be left behind");
        }
    }

    @Test
    void truncatedFileIsAnError() throws IOException {
        Path f = dir.resolve("s.txt.gz");
        StateSequenceFiles.write(f, List.of(new StateSequence(new int[4000], 3, 1, "ps", "a"),
                new StateSequence(new int[4000], 3, 1, "ps", "b")));
        byte[] bytes = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.txt.gz");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        InputException e = assertThrows(InputException.class, () -> StateSequenceFiles.read(cut));
        assertTrue(e.getMessage().contains("cut.txt.gz"), e.getMessage());
    }
}
