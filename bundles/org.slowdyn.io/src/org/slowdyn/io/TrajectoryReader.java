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
     * Reads up to {@code maxFrames} frames: the frame at {@link #position()} and then every {@code stride}-th frame.
     * After the call the position is the next frame the stride would keep, so successive calls with the same stride
     * continue the same grid of frames. Frames between kept ones are not decoded where the format allows.
     *
     * @return the chunk, or null at the end of the file
     * @throws org.slowdyn.core.InputException for a damaged or truncated frame
     */
    FrameChunk read(int maxFrames, int stride);

    /**
     * Skips up to n frames without decoding their coordinates where the format allows.
     *
     * @return the frames skipped: fewer than n only at the end of the file
     * @throws org.slowdyn.core.InputException for a damaged frame
     */
    long skip(long n);

    /** Index of the next frame to read: the frames read or skipped so far. */
    long position();

    /** Time stamp (ps) of the last frame read or skipped, or NaN before the first. */
    double lastTime();

    @Override
    void close();
}
