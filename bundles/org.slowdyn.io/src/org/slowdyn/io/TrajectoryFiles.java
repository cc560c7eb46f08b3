package org.slowdyn.io;

import java.nio.file.Path;
import java.util.Locale;

import org.slowdyn.core.InputException;

/** Opens trajectory files by their extension. */
public final class TrajectoryFiles {
    private TrajectoryFiles() {
    }

    public static TrajectoryReader open(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".xtc")) {
            return new XtcReader(file);
        }
        if (name.endsWith(".dcd")) {
            return new DcdReader(file);
        }
        throw new InputException(file + ": unknown trajectory format (supported: .xtc, .dcd)");
    }

    /** The topology of a structure file (.pdb). */
    public static Topology topology(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".pdb") || name.endsWith(".ent")) {
            return PdbReader.read(file).topology();
        }
        throw new InputException(file + ": unknown topology format (supported: .pdb)");
    }
}
