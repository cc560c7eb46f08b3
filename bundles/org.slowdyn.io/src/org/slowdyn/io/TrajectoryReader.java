package org.slowdyn.io;

import java.io.Closeable;

/**
 * Reads a trajectory file frame by frame, in chunks, without loading the whole file. Errors name the file and the
 * frame, and say how many frames were read before.
 */
public interface TrajectoryReader extends Closeable {
    /** Atoms per frame. */
    int atoms();

    /** The file, for messages. */
    String source();

    /**
     * Reads up to {@code maxFrames} frames, keeping every {@code stride}-th frame of the file (counting from the first
     * frame read in this reader); the skipped frames are not decoded where the format allows.
     *
     * @return the chunk, or null at the end of the file
     * @throws org.slowdyn.core.InputException for a damaged or truncated frame
     */
    FrameChunk read(int maxFrames, int stride);

    /** Frames read or skipped so far. */
    long position();

    @Override
    void close();
}
