package org.slowdyn.io;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/** The MD reference data in ../shared/data (alanine dipeptide, with MDTraj's decoded values). */
final class SharedData {
    private SharedData() {
    }

    /** The folder, searched upwards from the working directory; the test is skipped where it does not exist. */
    static Path dir() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            Path candidate = p.resolve("shared").resolve("data");
            if (Files.isRegularFile(candidate.resolve("ala2.pdb"))) {
                return candidate;
            }
            p = p.getParent();
        }
        Assumptions.abort("../shared/data is not available");
        return null;
    }
}
