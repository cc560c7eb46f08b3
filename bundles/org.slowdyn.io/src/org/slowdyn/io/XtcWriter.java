package org.slowdyn.io;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes GROMACS XTC frames. Coordinates are rounded to the precision (1000 per nm by default) and packed as the
 * format's mixed-radix integer triples; this writer uses no run-length (small-difference) coding, which costs some
 * size but is read by every XTC reader. Systems of at most 9 atoms are written uncompressed, as the format requires.
 */
public final class XtcWriter implements Closeable {
    private final DataOutputStream out;
    private final int atoms;
    private final float precision;
    private byte[] buffer = new byte[0];
    private int count;
    private int lastBits;
    private int lastByte;

    public XtcWriter(Path file, int atoms, float precision) throws IOException {
        this(Files.newOutputStream(file), atoms, precision);
    }

    public XtcWriter(OutputStream stream, int atoms, float precision) {
        if (atoms < 1 || !(precision > 0)) {
            throw new IllegalArgumentException("atoms must be at least 1 and precision positive");
        }
        this.out = new DataOutputStream(new BufferedOutputStream(stream, 1 << 16));
        this.atoms = atoms;
        this.precision = precision;
    }

    /**
     * @param xyz atoms x 3 coordinates in nm
     * @param box 9 box vector components in nm (rows a, b, c), or null for none
     */
    public void write(int step, float time, float[] xyz, float[] box) throws IOException {
        out.writeInt(XtcReader.MAGIC);
        out.writeInt(atoms);
        out.writeInt(step);
        out.writeFloat(time);
        for (int k = 0; k < 9; k++) {
            out.writeFloat(box == null ? 0f : box[k]);
        }
        out.writeInt(atoms);
        if (atoms <= 9) {
            for (int i = 0; i < atoms * 3; i++) {
                out.writeFloat(xyz[i]);
            }
            return;
        }
        int[] ints = new int[atoms * 3];
        int[] minint = { Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE };
        int[] maxint = { Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE };
        for (int i = 0; i < atoms * 3; i++) {
            double v = xyz[i] * (double) precision;
            if (!(Math.abs(v) < 0x3fffffff)) {
                throw new IllegalArgumentException("coordinate " + xyz[i] + " of atom " + i / 3
                        + " is too large (or not finite) for an XTC file at precision " + precision);
            }
            ints[i] = (int) Math.round(v);
            minint[i % 3] = Math.min(minint[i % 3], ints[i]);
            maxint[i % 3] = Math.max(maxint[i % 3], ints[i]);
        }
        int[] sizeint = new int[3];
        for (int k = 0; k < 3; k++) {
            sizeint[k] = maxint[k] - minint[k] + 1;
        }
        boolean large = (sizeint[0] | sizeint[1] | sizeint[2]) > 0xffffff;
        int bitsize = large ? 0 : XtcReader.sizeOfInts(sizeint);
        int[] bitsizeint = new int[3];
        if (large) {
            for (int k = 0; k < 3; k++) {
                bitsizeint[k] = XtcReader.sizeOfInt(sizeint[k]);
            }
        }
        int smallidx = XtcReader.FIRST_INDEX;
        buffer = new byte[atoms * 3 * 4 + 16];
        count = 0;
        lastBits = 0;
        lastByte = 0;
        int[] triple = new int[3];
        for (int i = 0; i < atoms; i++) {
            for (int k = 0; k < 3; k++) {
                triple[k] = ints[3 * i + k] - minint[k];
            }
            if (large) {
                for (int k = 0; k < 3; k++) {
                    sendBits(bitsizeint[k], triple[k]);
                }
            } else {
                sendInts(bitsize, sizeint, triple);
            }
            sendBits(1, 0); // no run of small differences follows
        }
        if (lastBits > 0) {
            buffer[count++] = (byte) (lastByte << (8 - lastBits));
        }
        out.writeFloat(precision);
        for (int k = 0; k < 3; k++) {
            out.writeInt(minint[k]);
        }
        for (int k = 0; k < 3; k++) {
            out.writeInt(maxint[k]);
        }
        out.writeInt(smallidx);
        out.writeInt(count);
        out.write(buffer, 0, count);
        for (int p = count; p % 4 != 0; p++) {
            out.write(0);
        }
    }

    private void sendBits(int nbits, int value) {
        while (nbits >= 8) {
            lastByte = (lastByte << 8) | ((value >>> (nbits - 8)) & 0xff);
            buffer[count++] = (byte) (lastByte >>> lastBits);
            nbits -= 8;
        }
        if (nbits > 0) {
            lastByte = (lastByte << nbits) | (value & ((1 << nbits) - 1));
            lastBits += nbits;
            if (lastBits >= 8) {
                lastBits -= 8;
                buffer[count++] = (byte) (lastByte >>> lastBits);
            }
        }
    }

    /** Packs three integers (each below its size) as one mixed-radix number of {@code bits} bits. */
    private void sendInts(int bits, int[] sizes, int[] nums) {
        int[] bytes = new int[32];
        int nbytes = 0;
        long tmp = nums[0];
        do {
            bytes[nbytes++] = (int) (tmp & 0xff);
            tmp >>>= 8;
        } while (tmp != 0);
        for (int i = 1; i < 3; i++) {
            tmp = nums[i];
            int bc;
            for (bc = 0; bc < nbytes; bc++) {
                tmp = bytes[bc] * (long) sizes[i] + tmp;
                bytes[bc] = (int) (tmp & 0xff);
                tmp >>>= 8;
            }
            while (tmp != 0) {
                bytes[bc++] = (int) (tmp & 0xff);
                tmp >>>= 8;
            }
            nbytes = bc;
        }
        if (bits >= nbytes * 8) {
            for (int i = 0; i < nbytes; i++) {
                sendBits(8, bytes[i]);
            }
            sendBits(bits - nbytes * 8, 0);
        } else {
            int i;
            for (i = 0; i < nbytes - 1; i++) {
                sendBits(8, bytes[i]);
            }
            sendBits(bits - (nbytes - 1) * 8, bytes[i]);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
