package org.slowdyn.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.slowdyn.core.InputException;

/** Opens trajectory and structure files by their extension. */
public final class TrajectoryFiles {
    /** Extensions of the trajectory formats {@link #open(Path)} reads. */
    public static final List<String> TRAJECTORY_FORMATS = List.of(".xtc", ".trr", ".dcd", ".gro", ".pdb");
    /** Extensions of the structure formats {@link #structure(Path)} reads. */
    public static final List<String> STRUCTURE_FORMATS = List.of(".pdb", ".gro");

    private TrajectoryFiles() {
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot).equals(".ent") ? ".pdb" : name.substring(dot);
    }

    public static TrajectoryReader open(Path file) {
        switch (extension(file)) {
            case ".xtc":
                return new XtcReader(file);
            case ".trr":
                return new TrrReader(file);
            case ".dcd":
                return new DcdReader(file);
            case ".gro":
                return new GroReader(file);
            case ".pdb":
                return new StructureReader(structure(file), file.toString());
            default:
                throw new InputException(file + ": unknown trajectory format (supported: "
                        + String.join(", ", TRAJECTORY_FORMATS) + ")");
        }
    }

    /** Several files as one continuous trajectory ({@link JoinedReader}); one file is opened as itself. */
    public static TrajectoryReader openJoined(List<Path> files) {
        return files.size() == 1 ? open(files.get(0)) : new JoinedReader(files);
    }

    /** The first frame of a structure file (.pdb or .gro) with its topology. */
    public static Structure structure(Path file) {
        switch (extension(file)) {
            case ".pdb":
                return PdbReader.read(file);
            case ".gro":
                return GroReader.readStructure(file);
            default:
                throw new InputException(file + ": unknown structure format (supported: "
                        + String.join(", ", STRUCTURE_FORMATS) + ")");
        }
    }

    /** The topology of a structure file (.pdb or .gro). */
    public static Topology topology(Path file) {
        return structure(file).topology();
    }

    /** A single structure as a one-frame trajectory. */
    private static final class StructureReader implements TrajectoryReader {
        private final Structure structure;
        private final String source;
        private long position;

        StructureReader(Structure structure, String source) {
            this.structure = structure;
            this.source = source;
        }

        @Override
        public int atoms() {
            return structure.topology().atoms();
        }

        @Override
        public String source() {
            return source;
        }

        @Override
        public FrameChunk read(int maxFrames, int stride) {
            if (position > 0) {
                return null;
            }
            position = 1;
            return new FrameChunk(atoms(), 1, 0, structure.coordinates().clone(), new double[] { structure.time() },
                    structure.box() == null ? null : structure.box().clone());
        }

        @Override
        public long skip(long n) {
            long done = Math.min(n, 1 - position);
            position += done;
            return done;
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public double lastTime() {
            return position == 0 ? Double.NaN : structure.time();
        }

        @Override
        public void close() {
        }
    }
}
