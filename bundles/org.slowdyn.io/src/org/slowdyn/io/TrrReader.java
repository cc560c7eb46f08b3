package org.slowdyn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import org.slowdyn.core.InputException;

/**
 * GROMACS TRR trajectories, single or double precision: XDR (big-endian) frames, each a header (magic 1993, the
 * version string "GMX_trn_file", the byte sizes of the blocks that follow, atoms, step, time and lambda) and then the
 * blocks present in this frame: box, virial, pressure, coordinates, velocities, forces. Coordinates are nm and time
 * ps, as in the file. Velocities and forces are skipped; a frame without coordinates is an error, since every frame
 * read must have them.
 */
public final class TrrReader extends FileTrajectoryReader {
    static final int MAGIC = 1993;
    static final String VERSION = "GMX_trn_file";

    private final int atoms;
    private final ByteBuffer header = ByteBuffer.allocate(92).order(ByteOrder.BIG_ENDIAN);
    private ByteBuffer data = ByteBuffer.allocate(0).order(ByteOrder.BIG_ENDIAN);
    private long offset;

    /** The parsed header of the frame at {@code offset}. */
    private int real;
    private int boxSize;
    private int virSize;
    private int presSize;
    private int xSize;
    private long frameBytes;
    private int headerBytes;

    public TrrReader(Path file) {
        super(file);
        try {
            if (!header(true)) {
                throw new InputException(file + ": empty file, not a TRR trajectory");
            }
            this.atoms = header.getInt(24 + 4 * 10);
            checkAtomsAgainstFileSize(atoms, 96); // every frame holds coordinates, velocities or forces: 12 bytes
            checkAtomsFitAnArray(atoms);
        } catch (IOException e) {
            close();
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        } catch (InputException e) {
            close();
            throw e;
        }
    }

    /** Reads and checks the header of the frame at {@code offset}; false at a clean end of the file. */
    private boolean header(boolean first) throws IOException {
        header.clear();
        int got = readFully(header, offset);
        if (got == 0) {
            return false;
        }
        if (got < 84) {
            throw damaged("file ends inside the frame header (truncated file?)");
        }
        int magic = header.getInt(0);
        if (magic != MAGIC) {
            throw first && frame == 0 ? new InputException(file + ": not a TRR file: magic number " + magic
                    + " at byte 0, expected " + MAGIC) : damaged("magic number " + magic + ", expected " + MAGIC);
        }
        if (header.getInt(4) != VERSION.length() + 1 || header.getInt(8) != VERSION.length()) {
            throw damaged("damaged version string in the frame header");
        }
        int[] sizes = new int[13];
        for (int k = 0; k < 13; k++) {
            sizes[k] = header.getInt(24 + 4 * k);
        }
        int ir = sizes[0], e = sizes[1], top = sizes[5], sym = sizes[6];
        boxSize = sizes[2];
        virSize = sizes[3];
        presSize = sizes[4];
        xSize = sizes[7];
        int vSize = sizes[8], fSize = sizes[9], natoms = sizes[10];
        if (ir != 0 || e != 0 || top != 0 || sym != 0) {
            throw damaged("frame header declares input-record, energy, topology or symmetry blocks, which TRR "
                    + "files no longer contain");
        }
        if (natoms <= 0 || (!first && natoms != atoms)) {
            throw damaged(natoms + " atoms" + (first ? "" : ", but the first frame has " + atoms));
        }
        int sized = boxSize != 0 ? boxSize / 9 : xSize != 0 ? xSize / (natoms * 3)
                : vSize != 0 ? vSize / (natoms * 3) : fSize != 0 ? fSize / (natoms * 3) : 0;
        if (sized != 4 && sized != 8) {
            throw damaged("cannot tell single from double precision (box " + boxSize + ", coordinates " + xSize
                    + " bytes for " + natoms + " atoms)");
        }
        real = sized;
        for (int size : new int[] { boxSize, virSize, presSize }) {
            if (size != 0 && size != 9 * real) {
                throw damaged("box, virial or pressure block of " + size + " bytes, expected " + 9 * real);
            }
        }
        for (int size : new int[] { xSize, vSize, fSize }) {
            if (size != 0 && size != natoms * 3 * real) {
                throw damaged("coordinate, velocity or force block of " + size + " bytes, expected "
                        + natoms * 3 * real);
            }
        }
        headerBytes = 24 + 13 * 4 + 2 * real;
        if (got < headerBytes) {
            throw damaged("file ends inside the frame header (truncated file?)");
        }
        lastTime = real == 4 ? header.getFloat(76) : header.getDouble(76);
        requireFinite(lastTime, "the time stamp");
        frameBytes = headerBytes + (long) boxSize + virSize + presSize + xSize + vSize + fSize;
        if (offset + frameBytes > channel.size()) {
            throw damaged("truncated last frame (" + (channel.size() - offset) + " of " + frameBytes + " bytes)");
        }
        return true;
    }

    private int readFully(ByteBuffer b, long at) throws IOException {
        int total = 0;
        while (b.hasRemaining()) {
            int n = channel.read(b, at + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    @Override
    public int atoms() {
        return atoms;
    }

    @Override
    public long skip(long n) {
        long done = 0;
        try {
            while (done < n && header(frame == 0)) {
                offset += frameBytes;
                frame++;
                done++;
            }
        } catch (IOException e) {
            throw damaged("cannot read: " + e.getMessage());
        }
        return done;
    }

    @Override
    public FrameChunk read(int maxFrames, int stride) {
        if (maxFrames < 1 || stride < 1) {
            throw new IllegalArgumentException("maxFrames and stride must be at least 1");
        }
        maxFrames = framesWithinBudget(maxFrames, atoms);
        float[] xyz = new float[maxFrames * atoms * 3];
        double[] time = new double[maxFrames];
        double[] box = new double[maxFrames * 9];
        boolean anyBox = false;
        int n = 0;
        long start = frame;
        try {
            while (n < maxFrames && header(frame == 0)) {
                if (xSize == 0) {
                    throw damaged("frame has no coordinates (only velocities or forces)");
                }
                int blocks = boxSize + virSize + presSize + xSize;
                if (data.capacity() < blocks) {
                    data = ByteBuffer.allocate(blocks).order(ByteOrder.BIG_ENDIAN);
                }
                data.clear().limit(blocks);
                readFully(data, offset + headerBytes);
                time[n] = lastTime;
                if (boxSize != 0) {
                    anyBox = true;
                    for (int k = 0; k < 9; k++) {
                        box[n * 9 + k] = real == 4 ? data.getFloat(4 * k) : data.getDouble(8 * k);
                        requireFinite(box[n * 9 + k], "box component " + k);
                    }
                } else {
                    java.util.Arrays.fill(box, n * 9, n * 9 + 9, Double.NaN);
                }
                int at = boxSize + virSize + presSize;
                int o = n * atoms * 3;
                for (int i = 0; i < atoms * 3; i++) {
                    float v = real == 4 ? data.getFloat(at + 4 * i) : (float) data.getDouble(at + 8 * i);
                    if (!Float.isFinite(v)) {
                        throw damaged("atom " + i / 3 + ": coordinate is not finite");
                    }
                    xyz[o + i] = v;
                }
                offset += frameBytes;
                frame++;
                n++;
                if (stride > 1 && skip(stride - 1) < stride - 1) {
                    break;
                }
            }
        } catch (IOException e) {
            throw damaged("cannot read: " + e.getMessage());
        }
        if (n == 0) {
            return null;
        }
        if (n < maxFrames) {
            xyz = java.util.Arrays.copyOf(xyz, n * atoms * 3);
            time = java.util.Arrays.copyOf(time, n);
            box = java.util.Arrays.copyOf(box, n * 9);
        }
        return new FrameChunk(atoms, n, start, xyz, time, anyBox ? box : null);
    }
}
