package org.slowdyn.io;

import java.nio.file.Path;
import java.util.List;

import org.slowdyn.core.InputException;

/**
 * Several trajectory files read as one continuous trajectory, in the order given (as GROMACS writes a long run in
 * parts). When a part starts with the frame its predecessor ended with (the same time stamp, as a continuation from a
 * checkpoint writes it), that repeated frame is dropped and counted in {@link #overlapsDropped()}; the other frames
 * are kept. Every part must have the same number of atoms. Frame indices, strides and {@link #skip(long)} run over
 * the joined trajectory.
 */
public final class JoinedReader implements TrajectoryReader {
    private final List<Path> files;
    private final int atoms;
    private int part;
    private TrajectoryReader current;
    private long position;
    private double lastTime = Double.NaN;
    private int overlaps;

    public JoinedReader(List<Path> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no files to join");
        }
        this.files = List.copyOf(files);
        this.current = TrajectoryFiles.open(files.get(0));
        this.atoms = current.atoms();
    }

    @Override
    public int atoms() {
        return atoms;
    }

    @Override
    public String source() {
        return current.source() + " (part " + (part + 1) + " of " + files.size() + " joined)";
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public double lastTime() {
        return lastTime;
    }

    /** Frames dropped because a part repeated the last frame of the part before it. */
    public int overlapsDropped() {
        return overlaps;
    }

    @Override
    public void close() {
        current.close();
    }

    /** Moves to the next part; false after the last. Drops a first frame that repeats the previous part's last. */
    private boolean nextPart() {
        double previous = current.lastTime();
        current.close();
        if (++part >= files.size()) {
            current = new NoFrames(current.source());
            return false;
        }
        Path file = files.get(part);
        current = TrajectoryFiles.open(file);
        if (current.atoms() != atoms) {
            throw new InputException(file + ": " + current.atoms() + " atoms per frame, but " + files.get(0)
                    + ", the first of the joined files, has " + atoms);
        }
        if (!Double.isNaN(previous) && current.skip(1) == 1) {
            double first = current.lastTime();
            if (Math.abs(first - previous) <= 4 * Math.ulp((float) previous)) {
                overlaps++;
            } else {
                current.close();
                current = TrajectoryFiles.open(file);
            }
        }
        return true;
    }

    @Override
    public long skip(long n) {
        long done = 0;
        while (done < n) {
            long s = current.skip(n - done);
            done += s;
            if (s > 0) {
                lastTime = current.lastTime();
            }
            if (done < n && !nextPart()) {
                break;
            }
        }
        position += done;
        return done;
    }

    @Override
    public FrameChunk read(int maxFrames, int stride) {
        if (maxFrames < 1 || stride < 1) {
            throw new IllegalArgumentException("maxFrames and stride must be at least 1");
        }
        maxFrames = FileTrajectoryReader.framesWithinBudget(maxFrames, atoms);
        long start = position;
        float[] xyz = null;
        double[] time = null;
        double[] box = null;
        int n = 0;
        while (n < maxFrames) {
            FrameChunk c = current.read(stride == 1 ? maxFrames - n : 1, 1);
            if (c == null) {
                if (!nextPart()) {
                    break;
                }
                continue;
            }
            if (xyz == null) {
                xyz = new float[maxFrames * atoms * 3];
                time = new double[maxFrames];
                box = c.hasBox() ? new double[maxFrames * 9] : null;
            }
            System.arraycopy(c.coordinates(), 0, xyz, n * atoms * 3, c.frames() * atoms * 3);
            for (int f = 0; f < c.frames(); f++) {
                time[n + f] = c.time(f);
                for (int k = 0; box != null && k < 9; k++) {
                    box[(n + f) * 9 + k] = c.box(f, k);
                }
            }
            n += c.frames();
            position += c.frames();
            lastTime = current.lastTime();
            if (stride > 1 && skip(stride - 1) < stride - 1) {
                break;
            }
        }
        if (n == 0) {
            return null;
        }
        return new FrameChunk(atoms, n, start, java.util.Arrays.copyOf(xyz, n * atoms * 3),
                java.util.Arrays.copyOf(time, n), box == null ? null : java.util.Arrays.copyOf(box, n * 9));
    }

    /** The reader after the last part: no frames. */
    private static final class NoFrames implements TrajectoryReader {
        private final String source;

        NoFrames(String source) {
            this.source = source;
        }

        @Override
        public int atoms() {
            return 0;
        }

        @Override
        public String source() {
            return source;
        }

        @Override
        public FrameChunk read(int maxFrames, int stride) {
            return null;
        }

        @Override
        public long skip(long n) {
            return 0;
        }

        @Override
        public long position() {
            return 0;
        }

        @Override
        public double lastTime() {
            return Double.NaN;
        }

        @Override
        public void close() {
        }
    }
}
