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
