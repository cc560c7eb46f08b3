package org.slowdyn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import org.slowdyn.core.InputException;

/**
 * CHARMM, NAMD and OpenMM DCD trajectories: Fortran unformatted records in either byte order, a header ("CORD",
 * frame count, first step, steps between frames, time step in AKMA units, CHARMM version and unit-cell flag), a
 * title, the atom count, then per frame an optional unit cell (6 doubles: a, gamma, b, beta, alpha, c) and the x, y
 * and z records. Coordinates are Angstrom in the file and nm here; time is (first step + i x steps between frames) x
 * time step, in ps. Frames have a fixed size, so skipped frames are not read at all.
 */
public final class DcdReader extends FileTrajectoryReader {
    /** One AKMA time unit in ps. */
    static final double AKMA_PS = 0.04888821;

    private final ByteOrder order;
    private final int atoms;
    private final boolean unitCell;
    private final long firstFrameOffset;
    private final long frameSize;
    private final long frames;
    private final int firstStep;
    private final int stepsPerFrame;
    private final double timeStep;

    public DcdReader(Path file) {
        super(file);
        try {
            ByteBuffer b = ByteBuffer.allocate(92);
            if (channel.read(b, 0) < 92) {
                throw new InputException(file + ": too short for a DCD header");
            }
            ByteOrder o = ByteOrder.LITTLE_ENDIAN;
            if (b.order(o).getInt(0) != 84) {
                o = ByteOrder.BIG_ENDIAN;
                if (b.order(o).getInt(0) != 84) {
                    throw new InputException(file + ": not a DCD file: the first record is not the 84-byte header "
                            + "in either byte order");
                }
            }
            this.order = o;
            b.order(o);
            if (b.get(4) != 'C' || b.get(5) != 'O' || b.get(6) != 'R' || b.get(7) != 'D') {
                throw new InputException(file + ": not a DCD coordinate file: the header does not start with CORD");
            }
            int[] icntrl = new int[20];
            for (int k = 0; k < 20; k++) {
                icntrl[k] = b.getInt(8 + 4 * k);
            }
            boolean charmm = icntrl[19] != 0;
            this.firstStep = icntrl[1];
            this.stepsPerFrame = icntrl[2] == 0 ? 1 : icntrl[2];
            this.timeStep = charmm ? b.getFloat(8 + 36) : b.getDouble(8 + 36);
            this.unitCell = charmm && icntrl[10] != 0;
            if (charmm && icntrl[11] != 0) {
                throw new InputException(file + ": 4D DCD files are not supported");
            }
            if (icntrl[8] != 0) {
                throw new InputException(file + ": DCD files with fixed atoms (NAMNF = " + icntrl[8]
                        + ") are not supported");
            }
            if (b.getInt(88) != 84) {
                throw new InputException(file + ": damaged DCD header (record end marker " + b.getInt(88) + ")");
            }
            long pos = 92;
            int titleBytes = intAt(pos);
            pos += 4 + titleBytes;
            if (intAt(pos) != titleBytes) {
                throw new InputException(file + ": damaged DCD title record");
            }
            pos += 4;
            if (intAt(pos) != 4) {
                throw new InputException(file + ": damaged DCD atom-count record");
            }
            this.atoms = intAt(pos + 4);
            if (atoms <= 0 || intAt(pos + 8) != 4) {
                throw new InputException(file + ": damaged DCD atom-count record (" + atoms + " atoms)");
            }
            checkAtomsFitAnArray(atoms); // a DCD header may come without frames: no bound from the file size
            this.firstFrameOffset = pos + 12;
            this.frameSize = (unitCell ? 56 : 0) + 3L * (8 + 4L * atoms);
            long available = channel.size() - firstFrameOffset;
            this.frames = available / frameSize;
        } catch (IOException e) {
            close();
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        } catch (InputException e) {
            close();
            throw e;
        }
    }

    private int intAt(long pos) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4).order(order);
        if (pos < 0 || channel.read(b, pos) < 4) {
            throw new InputException(file + ": file ends inside the DCD header");
        }
        return b.getInt(0);
    }

    @Override
    public int atoms() {
        return atoms;
    }

    /** Complete frames in the file. */
    public long frames() {
        return frames;
    }

    @Override
    public long skip(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot skip " + n + " frames");
        }
        long done = Math.min(n, Math.max(0, frames - frame));
        frame += done;
        return done;
    }

    @Override
    public double lastTime() {
        return frame == 0 ? Double.NaN : time(Math.min(frame, frames) - 1);
    }

    private double time(long index) {
        return (firstStep + index * (double) stepsPerFrame) * timeStep * AKMA_PS;
    }

    @Override
    public FrameChunk read(int maxFrames, int stride) {
        if (maxFrames < 1 || stride < 1) {
            throw new IllegalArgumentException("maxFrames and stride must be at least 1");
        }
        try {
            if (frame >= frames) {
                long rest = channel.size() - firstFrameOffset - frames * frameSize;
                if (rest > 0 && frame == frames) {
                    frame++; // report once
                    throw new InputException(file + ", frame " + frames + ": truncated last frame (" + rest + " of "
                            + frameSize + " bytes); " + frames + " complete frames were read before it");
                }
                return null;
            }
            int n = (int) Math.min(framesWithinBudget(maxFrames, atoms), (frames - frame + stride - 1) / stride);
            float[] xyz = new float[n * atoms * 3];
            double[] time = new double[n];
            double[] box = unitCell ? new double[n * 9] : null;
            ByteBuffer buf = ByteBuffer.allocate((int) frameSize).order(order);
            long start = frame;
            for (int f = 0; f < n; f++) {
                buf.clear();
                long pos = firstFrameOffset + frame * frameSize;
                while (buf.hasRemaining()) {
                    if (channel.read(buf, pos + buf.position()) < 0) {
                        throw new InputException(file + ", frame " + frame + ": file ends inside the frame");
                    }
                }
                int p = 0;
                if (unitCell) {
                    check(buf.getInt(p), 48);
                    double a = buf.getDouble(p + 4), gamma = buf.getDouble(p + 12), bLen = buf.getDouble(p + 20),
                            beta = buf.getDouble(p + 28), alpha = buf.getDouble(p + 36), c = buf.getDouble(p + 44);
                    boxVectors(a / 10, bLen / 10, c / 10, angle(alpha), angle(beta), angle(gamma), box, f * 9);
                    for (int k = 0; k < 9; k++) {
                        if (!Double.isFinite(box[f * 9 + k])) {
                            throw new InputException(file + ", frame " + frame + ": the unit cell (" + a + ", " + bLen
                                    + ", " + c + " A; " + alpha + ", " + beta + ", " + gamma + ") is not finite");
                        }
                    }
                    p += 56;
                }
                for (int k = 0; k < 3; k++) {
                    check(buf.getInt(p), 4 * atoms);
                    p += 4;
                    for (int at = 0; at < atoms; at++) {
                        float v = buf.getFloat(p + 4 * at) / 10f;
                        if (!Float.isFinite(v)) {
                            throw new InputException(file + ", frame " + frame + ", atom " + at + ": coordinate "
                                    + "is not finite");
                        }
                        xyz[(f * atoms + at) * 3 + k] = v;
                    }
                    p += 4 * atoms;
                    check(buf.getInt(p), 4 * atoms);
                    p += 4;
                }
                time[f] = time(frame);
                if (!Double.isFinite(time[f])) {
                    throw new InputException(file + ", frame " + frame + ": the time from the header (time step "
                            + timeStep + ") is not finite");
                }
                frame = Math.min(frames, frame + stride);
            }
            return new FrameChunk(atoms, n, start, xyz, time, box);
        } catch (IOException e) {
            throw new InputException(file + ", frame " + frame + ": cannot read: " + e.getMessage(), e);
        }
    }

    private void check(int marker, int expected) {
        if (marker != expected) {
            throw new InputException(file + ", frame " + frame + ": record marker " + marker + ", expected " + expected
                    + " (damaged file or wrong atom count); " + frame + " frames were read before it");
        }
    }

    /** DCD files store either angles in degrees or their cosines. */
    private static double angle(double v) {
        return Math.abs(v) <= 1.0 ? Math.acos(v) : Math.toRadians(v);
    }

    /** Box vectors (rows a, b, c) from lengths and angles, a along x and b in the xy plane. */
    static void boxVectors(double a, double b, double c, double alpha, double beta, double gamma, double[] out,
            int at) {
        double cosA = Math.cos(alpha), cosB = Math.cos(beta), cosG = Math.cos(gamma), sinG = Math.sin(gamma);
        out[at] = a;
        out[at + 3] = b * cosG;
        out[at + 4] = b * sinG;
        out[at + 6] = c * cosB;
        out[at + 7] = c * (cosA - cosB * cosG) / sinG;
        out[at + 8] = Math.sqrt(Math.max(0, c * c - out[at + 6] * out[at + 6] - out[at + 7] * out[at + 7]));
    }
}
