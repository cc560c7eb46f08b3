package org.slowdyn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import org.slowdyn.core.InputException;

/**
 * GROMACS XTC trajectories: XDR (big-endian) frames with a header (magic 1995, atoms, step, time in ps), the box
 * (3 x 3, nm) and coordinates compressed to a precision (usually 1000 per nm) with GROMACS' integer run-length and
 * bit-packing scheme. Small systems (at most 9 atoms) are stored uncompressed. Decoded coordinates are the stored
 * integers times 1/precision in single precision, as GROMACS and MDTraj decode them.
 */
public final class XtcReader extends FileTrajectoryReader {
    static final int MAGIC = 1995;

    /** Bit budgets of the small-integer codes, indexed by the "small index" of the format. */
    static final int[] MAGIC_INTS = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 10, 12, 16, 20, 25, 32, 40, 50, 64, 80, 101, 128,
            161, 203, 256, 322, 406, 512, 645, 812, 1024, 1290, 1625, 2048, 2580, 3250, 4096, 5060, 6501, 8192, 10321,
            13003, 16384, 20642, 26007, 32768, 41285, 52015, 65536, 82570, 104031, 131072, 165140, 208063, 262144,
            330280, 416127, 524287, 660561, 832255, 1048576, 1321122, 1664510, 2097152, 2642245, 3329021, 4194304,
            5284491, 6658042, 8388607, 10568983, 13316085, 16777216 };
    static final int FIRST_INDEX = 9;

    /** Read-ahead buffer over the file: frames are parsed from it, so small frames cost no system call each. */
    private final ByteBuffer in = ByteBuffer.allocate(1 << 20).order(ByteOrder.BIG_ENDIAN);
    private final int atoms;
    private byte[] compressed = new byte[0];
    private int[] ints = new int[0];

    public XtcReader(Path file) {
        super(file);
        try {
            ByteBuffer first = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
            if (channel.read(first, 0) < 8) {
                throw new InputException(file + ": too short for an XTC file (no frame header)");
            }
            int magic = first.getInt(0);
            if (magic != MAGIC) {
                throw new InputException(file + ": not an XTC file: magic number " + magic + " at byte 0, expected "
                        + MAGIC);
            }
            this.atoms = first.getInt(4);
            in.limit(0);
            if (atoms <= 0) {
                throw new InputException(file + ": frame 0 has " + atoms + " atoms");
            }
            // compressed coordinates take at least a few bits per atom; uncompressed (9 atoms or fewer) 96
            checkAtomsAgainstFileSize(atoms, 1);
            checkAtomsFitAnArray(atoms);
        } catch (IOException e) {
            close();
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        } catch (InputException e) {
            close();
            throw e;
        }
    }

    @Override
    public int atoms() {
        return atoms;
    }

    /**
     * Makes at least n bytes available in the read-ahead buffer; false at a clean end of the file (no byte left at the
     * start of a frame).
     */
    private boolean ensure(int n, boolean atFrameStart) throws IOException {
        if (in.remaining() >= n) {
            return true;
        }
        if (n > in.capacity()) {
            throw damaged("frame record of " + n + " bytes is larger than any valid frame");
        }
        in.compact();
        while (in.position() < n) {
            if (channel.read(in) < 0) {
                boolean empty = in.position() == 0;
                in.flip();
                if (atFrameStart && empty) {
                    return false;
                }
                throw damaged("file ends inside the frame (truncated file?)");
            }
        }
        in.flip();
        return true;
    }

    /** Skips n bytes of the file. */
    private void skipBytes(long n) throws IOException {
        if (n <= in.remaining()) {
            in.position(in.position() + (int) n);
            return;
        }
        long target = channel.position() + (n - in.remaining());
        if (target > channel.size()) {
            throw damaged("file ends inside the frame (truncated file?)");
        }
        in.limit(0);
        channel.position(target);
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
        int n = 0;
        long start = frame;
        try {
            while (n < maxFrames && readFrame(xyz, n * atoms * 3, time, box, n)) {
                n++;
                frame++;
                if (stride > 1 && skipFrames(stride - 1) < stride - 1) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new InputException(file + ", frame " + frame + ": cannot read: " + e.getMessage(), e);
        }
        if (n == 0) {
            return null;
        }
        if (n < maxFrames) {
            xyz = java.util.Arrays.copyOf(xyz, n * atoms * 3);
            time = java.util.Arrays.copyOf(time, n);
            box = java.util.Arrays.copyOf(box, n * 9);
        }
        return new FrameChunk(atoms, n, start, xyz, time, box);
    }

    @Override
    public long skip(long n) {
        try {
            return skipFrames(n);
        } catch (IOException e) {
            throw new InputException(file + ", frame " + frame + ": cannot read: " + e.getMessage(), e);
        }
    }

    private long skipFrames(long n) throws IOException {
        long done = 0;
        while (done < n && readFrame(null, 0, null, null, 0)) {
            done++;
            frame++;
        }
        return done;
    }

    /** Reads (or, with out == null, skips) one frame; false at the end of the file. */
    private boolean readFrame(float[] out, int offset, double[] time, double[] box, int slot) throws IOException {
        if (!ensure(56, true)) {
            return false;
        }
        int base = in.position();
        int magic = in.getInt(base);
        if (magic != MAGIC) {
            throw damaged("magic number " + magic + ", expected " + MAGIC);
        }
        int natoms = in.getInt(base + 4);
        if (natoms != atoms) {
            throw damaged(natoms + " atoms, but the first frame has " + atoms);
        }
        lastTime = in.getFloat(base + 12);
        requireFinite(lastTime, "the time stamp");
        if (out != null) {
            time[slot] = lastTime;
            for (int k = 0; k < 9; k++) {
                box[slot * 9 + k] = in.getFloat(base + 16 + 4 * k);
                requireFinite(box[slot * 9 + k], "box component " + k);
            }
        }
        int size = in.getInt(base + 52);
        if (size != atoms) {
            throw damaged("coordinate block of " + size + " atoms, expected " + atoms);
        }
        in.position(base + 56);
        if (atoms <= 9) {
            ensure(atoms * 12, false);
            if (out != null) {
                for (int i = 0; i < atoms * 3; i++) {
                    out[offset + i] = in.getFloat();
                    requireFinite(out[offset + i], "coordinate " + (i % 3) + " of atom " + (i / 3));
                }
            } else {
                in.position(in.position() + atoms * 12);
            }
            return true;
        }
        ensure(36, false);
        float precision = in.getFloat();
        int[] minint = { in.getInt(), in.getInt(), in.getInt() };
        int[] maxint = { in.getInt(), in.getInt(), in.getInt() };
        int smallidx = in.getInt();
        int bytes = in.getInt();
        boolean ranges = true;
        for (int k = 0; k < 3; k++) {
            ranges &= maxint[k] >= minint[k] && (long) maxint[k] - minint[k] < Integer.MAX_VALUE;
        }
        // GROMACS writes precisions of 10 to 1e6 per nm (default 1000); far outside, the header is damaged
        if (!(precision >= 1e-3f && precision <= 1e9f) || !ranges || smallidx < 0 || smallidx >= MAGIC_INTS.length
                || bytes < 0 || bytes > atoms * 3 * 4 + 64) {
            throw damaged("corrupt compression header (precision " + precision + ", small index " + smallidx
                    + ", " + bytes + " bytes, integer ranges " + java.util.Arrays.toString(minint) + " to "
                    + java.util.Arrays.toString(maxint) + ")");
        }
        int padded = (bytes + 3) & ~3;
        if (out == null) {
            skipBytes(padded);
            return true;
        }
        if (compressed.length < padded + 8) {
            compressed = new byte[padded + 8];
        }
        if (padded <= in.capacity()) {
            ensure(padded, false);
            in.get(compressed, 0, padded);
        } else {
            // a frame larger than the read-ahead buffer: take what is buffered, read the rest directly
            int have = in.remaining();
            in.get(compressed, 0, have);
            ByteBuffer restBuf = ByteBuffer.wrap(compressed, have, padded - have);
            while (restBuf.hasRemaining()) {
                if (channel.read(restBuf) < 0) {
                    throw damaged("file ends inside the frame (truncated file?)");
                }
            }
        }
        try {
            decode(minint, maxint, smallidx, precision, out, offset, bytes);
        } catch (InputException e) {
            throw e;
        } catch (RuntimeException e) {
            // the bit stream drove an index or a division out of range: the compressed block is damaged
            throw damaged("corrupt compressed coordinates (" + e + ")");
        }
        return true;
    }

    // bit reader: the compressed stream is read most significant bit first through a 64-bit buffer
    private int count;
    private long bitBuffer;
    private int bitCount;
    private int limit;

    private void resetBits(int bytes) {
        count = 0;
        bitBuffer = 0;
        bitCount = 0;
        limit = bytes;
    }

    /** The next {@code nbits} bits (at most 32) as an unsigned number. */
    private int receiveBits(int nbits) {
        if (nbits == 0) {
            return 0;
        }
        while (bitCount < nbits) {
            int b = count < limit ? compressed[count] & 0xff : 0;
            count++;
            bitBuffer |= (long) b << (56 - bitCount);
            bitCount += 8;
        }
        int v = (int) (bitBuffer >>> (64 - nbits));
        bitBuffer <<= nbits;
        bitCount -= nbits;
        return v;
    }

    private final int[] byteBuffer = new int[32];

    /**
     * Three integers packed as one mixed-radix number of {@code bits} bits, n0 * s1 * s2 + n1 * s2 + n2, stored as
     * little-endian bytes. Up to 63 bits it is read as one number and split with two divisions; longer numbers are
     * divided byte by byte.
     */
    private void receiveInts(int bits, int[] sizes, int[] nums, int at) {
        if (bits <= 63) {
            long x = 0;
            int shift = 0;
            int rest = bits;
            while (rest > 8) {
                x |= (long) receiveBits(8) << shift;
                shift += 8;
                rest -= 8;
            }
            if (rest > 0) {
                x |= (long) receiveBits(rest) << shift;
            }
            long s2 = sizes[2], s1 = sizes[1];
            long q = x / s2;
            nums[at + 2] = (int) (x - q * s2);
            long q1 = q / s1;
            nums[at + 1] = (int) (q - q1 * s1);
            nums[at] = (int) q1;
            return;
        }
        int[] b = byteBuffer;
        b[0] = b[1] = b[2] = b[3] = 0;
        int nbytes = 0;
        while (bits > 8) {
            b[nbytes++] = receiveBits(8);
            bits -= 8;
        }
        if (bits > 0) {
            b[nbytes++] = receiveBits(bits);
        }
        for (int i = 2; i > 0; i--) {
            long num = 0;
            for (int j = nbytes - 1; j >= 0; j--) {
                num = (num << 8) | b[j];
                long p = num / sizes[i];
                b[j] = (int) p;
                num -= p * sizes[i];
            }
            nums[at + i] = (int) num;
        }
        nums[at] = b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24);
    }

    static int sizeOfInt(int size) {
        long num = 1;
        int bits = 0;
        while (size >= num && bits < 32) {
            bits++;
            num <<= 1;
        }
        return bits;
    }

    static int sizeOfInts(int[] sizes) {
        int[] bytes = new int[32];
        int nbytes = 1;
        bytes[0] = 1;
        for (int size : sizes) {
            long tmp = 0;
            int bc;
            for (bc = 0; bc < nbytes; bc++) {
                tmp = bytes[bc] * (long) size + tmp;
                bytes[bc] = (int) (tmp & 0xff);
                tmp >>= 8;
            }
            while (tmp != 0) {
                bytes[bc++] = (int) (tmp & 0xff);
                tmp >>= 8;
            }
            nbytes = bc;
        }
        int num = 1, bits = 0;
        nbytes--;
        while (bytes[nbytes] >= num) {
            bits++;
            num *= 2;
        }
        return bits + nbytes * 8;
    }

    private void decode(int[] minint, int[] maxint, int smallidx, float precision, float[] out, int offset,
            int bytes) {
        resetBits(bytes);
        int[] sizeint = new int[3];
        int[] bitsizeint = new int[3];
        for (int k = 0; k < 3; k++) {
            sizeint[k] = maxint[k] - minint[k] + 1;
        }
        int bitsize;
        if ((sizeint[0] | sizeint[1] | sizeint[2]) > 0xffffff) {
            for (int k = 0; k < 3; k++) {
                bitsizeint[k] = sizeOfInt(sizeint[k]);
            }
            bitsize = 0;
        } else {
            bitsize = sizeOfInts(sizeint);
        }
        int smaller = MAGIC_INTS[Math.max(FIRST_INDEX, smallidx - 1)] / 2;
        int smallnum = MAGIC_INTS[smallidx] / 2;
        int[] sizesmall = { MAGIC_INTS[smallidx], MAGIC_INTS[smallidx], MAGIC_INTS[smallidx] };
        float inv = 1.0f / precision;
        if (ints.length < 6) {
            ints = new int[6];
        }
        int[] c = ints; // c[0..2] this coordinate, c[3..5] previous coordinate
        int run = 0;
        int i = 0;
        int o = offset;
        while (i < atoms) {
            if (bitsize == 0) {
                c[0] = receiveBits(bitsizeint[0]);
                c[1] = receiveBits(bitsizeint[1]);
                c[2] = receiveBits(bitsizeint[2]);
            } else {
                receiveInts(bitsize, sizeint, c, 0);
            }
            i++;
            c[0] += minint[0];
            c[1] += minint[1];
            c[2] += minint[2];
            c[3] = c[0];
            c[4] = c[1];
            c[5] = c[2];
            int flag = receiveBits(1);
            int isSmaller = 0;
            if (flag == 1) {
                run = receiveBits(5);
                isSmaller = run % 3;
                run -= isSmaller;
                isSmaller--;
            }
            if (run > 0) {
                if (i + run / 3 > atoms) {
                    throw damaged("compressed coordinates overrun the atom count");
                }
                for (int k = 0; k < run; k += 3) {
                    receiveInts(smallidx, sizesmall, c, 0);
                    i++;
                    c[0] += c[3] - smallnum;
                    c[1] += c[4] - smallnum;
                    c[2] += c[5] - smallnum;
                    if (k == 0) {
                        // the first two atoms of a run are stored swapped (better compression of water)
                        int t0 = c[0], t1 = c[1], t2 = c[2];
                        c[0] = c[3];
                        c[1] = c[4];
                        c[2] = c[5];
                        c[3] = t0;
                        c[4] = t1;
                        c[5] = t2;
                        out[o++] = c[3] * inv;
                        out[o++] = c[4] * inv;
                        out[o++] = c[5] * inv;
                    } else {
                        c[3] = c[0];
                        c[4] = c[1];
                        c[5] = c[2];
                    }
                    out[o++] = c[0] * inv;
                    out[o++] = c[1] * inv;
                    out[o++] = c[2] * inv;
                }
            } else {
                out[o++] = c[0] * inv;
                out[o++] = c[1] * inv;
                out[o++] = c[2] * inv;
            }
            smallidx += isSmaller;
            if (smallidx < FIRST_INDEX || smallidx >= MAGIC_INTS.length) {
                throw damaged("corrupt compressed coordinates (small index " + smallidx + ")");
            }
            if (isSmaller < 0) {
                smallnum = smaller;
                smaller = smallidx > FIRST_INDEX ? MAGIC_INTS[smallidx - 1] / 2 : 0;
            } else if (isSmaller > 0) {
                smaller = smallnum;
                smallnum = MAGIC_INTS[smallidx] / 2;
            }
            sizesmall[0] = sizesmall[1] = sizesmall[2] = MAGIC_INTS[smallidx];
        }
        if (count > limit) {
            throw damaged("compressed coordinates end beyond their byte count of " + limit);
        }
    }
}
