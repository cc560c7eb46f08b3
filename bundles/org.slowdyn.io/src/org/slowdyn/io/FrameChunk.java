package org.slowdyn.io;

/**
 * A block of consecutive frames read from a trajectory: coordinates in nm (frames x atoms x 3, single precision as
 * stored by MD codes), time stamps in ps, and the periodic box vectors in nm (frames x 9, row vectors a, b, c) or
 * null when the file has none.
 */
public final class FrameChunk {
    private final int atoms;
    private final int frames;
    private final long firstFrame;
    private final float[] xyz;
    private final double[] time;
    private final double[] box;

    public FrameChunk(int atoms, int frames, long firstFrame, float[] xyz, double[] time, double[] box) {
        this.atoms = atoms;
        this.frames = frames;
        this.firstFrame = firstFrame;
        this.xyz = xyz;
        this.time = time;
        this.box = box;
    }

    public int atoms() {
        return atoms;
    }

    public int frames() {
        return frames;
    }

    /** Index in the file of the first frame of this chunk. */
    public long firstFrame() {
        return firstFrame;
    }

    /** Coordinate k (0 = x, 1 = y, 2 = z) of atom a in frame f, nm. */
    public float coordinate(int f, int a, int k) {
        return xyz[(f * atoms + a) * 3 + k];
    }

    /** The coordinate array itself (frames x atoms x 3); read-only by convention, for fast featurizers. */
    public float[] coordinates() {
        return xyz;
    }

    public double time(int f) {
        return time[f];
    }

    /** Box vector component (row vectors a, b, c; 9 numbers) of frame f, or NaN when the file has no box. */
    public double box(int f, int k) {
        return box == null ? Double.NaN : box[f * 9 + k];
    }

    public boolean hasBox() {
        return box != null;
    }
}
