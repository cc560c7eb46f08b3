package org.slowdyn.io;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes GROMACS TRR frames (single or double precision) with a box, coordinates and, optionally, velocities, in
 * the layout {@link TrrReader} reads and GROMACS writes.
 */
public final class TrrWriter implements Closeable {
    private final DataOutputStream out;
    private final int atoms;
    private final boolean doublePrecision;

    public TrrWriter(Path file, int atoms, boolean doublePrecision) throws IOException {
        this(Files.newOutputStream(file), atoms, doublePrecision);
    }

    public TrrWriter(OutputStream stream, int atoms, boolean doublePrecision) {
        if (atoms < 1) {
            throw new IllegalArgumentException("atoms must be at least 1");
        }
        this.out = new DataOutputStream(new BufferedOutputStream(stream, 1 << 16));
        this.atoms = atoms;
        this.doublePrecision = doublePrecision;
    }

    /**
     * @param xyz atoms x 3 coordinates in nm
     * @param velocities atoms x 3 velocities in nm/ps, or null for none
     * @param box 9 box vector components in nm (rows a, b, c), or null for none
     */
    public void write(int step, double time, float[] xyz, float[] velocities, float[] box) throws IOException {
        int real = doublePrecision ? 8 : 4;
        out.writeInt(TrrReader.MAGIC);
        out.writeInt(TrrReader.VERSION.length() + 1);
        out.writeInt(TrrReader.VERSION.length());
        out.write(TrrReader.VERSION.getBytes(StandardCharsets.US_ASCII));
        int vector = atoms * 3 * real;
        int[] sizes = { 0, 0, box == null ? 0 : 9 * real, 0, 0, 0, 0, xyz == null ? 0 : vector,
                velocities == null ? 0 : vector, 0, atoms, step, 0 };
        for (int s : sizes) {
            out.writeInt(s);
        }
        writeReal(time);
        writeReal(0.0); // lambda
        for (float[] block : new float[][] { box, xyz, velocities }) {
            if (block != null) {
                for (float v : block) {
                    writeReal(v);
                }
            }
        }
    }

    private void writeReal(double v) throws IOException {
        if (doublePrecision) {
            out.writeDouble(v);
        } else {
            out.writeFloat((float) v);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
