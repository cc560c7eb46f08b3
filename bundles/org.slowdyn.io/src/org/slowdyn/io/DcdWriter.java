package org.slowdyn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes CHARMM-style DCD trajectories in little-endian byte order, the layout {@link DcdReader}, MDTraj, VMD and
 * OpenMM read: the 84-byte header (frame count, first step, steps between frames, the time step in AKMA units, the
 * unit-cell flag, CHARMM version 24), a title, the atom count, then per frame an optional unit cell (a, gamma, b,
 * beta, alpha, c; Angstrom and degrees) and the x, y and z records in Angstrom. The frame count in the header is
 * updated when the writer is closed.
 */
public final class DcdWriter implements java.io.Closeable {
    private final FileChannel channel;
    private final int atoms;
    private final boolean unitCell;
    private final ByteBuffer frameBuffer;
    private int frames;

    /**
     * @param firstTime time of the first frame in ps; it must be a whole multiple of the frame interval, as the DCD
     *            header stores the first step and the steps between frames
     * @param frameInterval time between frames in ps
     * @param unitCell whether frames carry a unit cell
     */
    public DcdWriter(Path file, int atoms, double firstTime, double frameInterval, boolean unitCell, String title)
            throws IOException {
        if (atoms < 1 || !(frameInterval > 0)) {
            throw new IllegalArgumentException("atoms must be at least 1 and the frame interval positive");
        }
        double first = firstTime / frameInterval;
        if (Math.abs(first - Math.rint(first)) > 1e-6 || Math.abs(first) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the first time " + firstTime + " ps is not a whole multiple of the "
                    + "frame interval " + frameInterval + " ps, which DCD cannot store");
        }
        this.atoms = atoms;
        this.unitCell = unitCell;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        ByteBuffer h = ByteBuffer.allocate(92 + 8 + 80 + 4 + 12).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(84).put("CORD".getBytes(StandardCharsets.US_ASCII));
        int[] icntrl = new int[20];
        icntrl[1] = (int) Math.rint(first); // first step
        icntrl[2] = 1; // steps between frames
        icntrl[10] = unitCell ? 1 : 0;
        icntrl[19] = 24; // CHARMM version
        for (int k = 0; k < 20; k++) {
            if (k == 9) {
                h.putFloat((float) (frameInterval / DcdReader.AKMA_PS));
            } else {
                h.putInt(icntrl[k]);
            }
        }
        h.putInt(84);
        byte[] text = new byte[80];
        java.util.Arrays.fill(text, (byte) ' ');
        byte[] given = (title == null ? "" : title).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(given, 0, text, 0, Math.min(80, given.length));
        h.putInt(84).putInt(1).put(text).putInt(84);
        h.putInt(4).putInt(atoms).putInt(4);
        h.flip();
        while (h.hasRemaining()) {
            channel.write(h);
        }
        this.frameBuffer = ByteBuffer.allocate((unitCell ? 56 : 0) + 3 * (8 + 4 * atoms))
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @param xyz atoms x 3 coordinates in nm
     * @param box 9 box vector components in nm (rows a, b, c); required when the file has a unit cell, else ignored
     */
    public void write(float[] xyz, double[] box) throws IOException {
        if (xyz.length != atoms * 3) {
            throw new IllegalArgumentException(xyz.length + " coordinates for " + atoms + " atoms");
        }
        ByteBuffer b = frameBuffer.clear();
        if (unitCell) {
            if (box == null) {
                throw new IllegalArgumentException("this DCD file has a unit cell: every frame needs a box");
            }
            double a = norm(box, 0), bl = norm(box, 3), c = norm(box, 6);
            b.putInt(48).putDouble(a * 10).putDouble(angle(box, 0, 3)).putDouble(bl * 10)
                    .putDouble(angle(box, 0, 6)).putDouble(angle(box, 3, 6)).putDouble(c * 10).putInt(48);
        }
        for (int k = 0; k < 3; k++) {
            b.putInt(4 * atoms);
            for (int i = 0; i < atoms; i++) {
                b.putFloat(xyz[i * 3 + k] * 10f);
            }
            b.putInt(4 * atoms);
        }
        b.flip();
        while (b.hasRemaining()) {
            channel.write(b);
        }
        frames++;
    }

    private static double norm(double[] box, int at) {
        return Math.sqrt(box[at] * box[at] + box[at + 1] * box[at + 1] + box[at + 2] * box[at + 2]);
    }

    /** Angle between box vectors at i and j, in degrees. */
    private static double angle(double[] box, int i, int j) {
        double dot = box[i] * box[j] + box[i + 1] * box[j + 1] + box[i + 2] * box[j + 2];
        return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, dot / (norm(box, i) * norm(box, j))))));
    }

    @Override
    public void close() throws IOException {
        try {
            ByteBuffer n = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, frames);
            channel.write(n, 8);
        } finally {
            channel.close();
        }
    }
}
