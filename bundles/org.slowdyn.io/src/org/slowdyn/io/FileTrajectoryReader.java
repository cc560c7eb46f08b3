package org.slowdyn.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.slowdyn.core.InputException;

/** What the binary trajectory readers share: the open file, the frame position, the last time stamp. */
abstract class FileTrajectoryReader implements TrajectoryReader {
    final Path file;
    final FileChannel channel;
    /** Index of the next frame. */
    long frame;
    /** Time stamp (ps) of the last frame read or skipped. */
    double lastTime = Double.NaN;

    FileTrajectoryReader(Path file) {
        this.file = file;
        try {
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException e) {
            throw new InputException(file + ": cannot open: " + e.getMessage(), e);
        }
    }

    /**
     * Coordinates one chunk may hold: 64 MiB. A read returns at most as many frames as fit (at least one), so memory
     * does not grow with the atom count times the frames a caller asks for (a million atoms: 5 frames per chunk).
     */
    static final long CHUNK_BYTES = 64L << 20;

    /** {@code maxFrames}, reduced so that a chunk of {@code atoms} atoms stays within {@link #CHUNK_BYTES}. */
    static int framesWithinBudget(int maxFrames, int atoms) {
        long perFrame = 12L * atoms;
        return (int) Math.max(1, Math.min(maxFrames, CHUNK_BYTES / perFrame));
    }

    /**
     * Checks a header's atom count against the file: every atom takes at least {@code minBitsPerAtom} bits of a frame.
     */
    void checkAtomsAgainstFileSize(long atoms, double minBitsPerAtom) throws IOException {
        long size = channel.size();
        if (atoms <= 0 || atoms * minBitsPerAtom > 8.0 * size) {
            throw new InputException(file + ": the header says " + atoms + " atoms, which cannot fit in a file of "
                    + size + " bytes (damaged header?)");
        }
    }

    /** One frame's coordinates must fit in one Java array. */
    void checkAtomsFitAnArray(long atoms) {
        if (3 * atoms > Integer.MAX_VALUE - 8) {
            throw new InputException(file + ": the header says " + atoms + " atoms; one frame of more than "
                    + (Integer.MAX_VALUE - 8) / 3 + " atoms cannot be held");
        }
    }

    /** Refuses a time stamp or box value that is not a finite number. */
    void requireFinite(double value, String what) {
        if (!Double.isFinite(value)) {
            throw damaged(what + " is " + value);
        }
    }

    /** A damaged frame: names the file, the frame and how many frames were read before it. */
    InputException damaged(String what) {
        return new InputException(file + ", frame " + frame + ": " + what + " (" + frame
                + " complete frames were read before it)");
    }

    @Override
    public String source() {
        return file.toString();
    }

    @Override
    public long position() {
        return frame;
    }

    @Override
    public double lastTime() {
        return lastTime;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
