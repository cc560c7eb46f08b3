package org.slowdyn.io;

/**
 * One structure read from a PDB or GRO file: its topology, the coordinates of its first frame in nm (atoms x 3), the
 * periodic box vectors in nm (9 numbers, rows a, b, c) or null, and the time stamp in ps or NaN.
 */
public record Structure(Topology topology, float[] coordinates, double[] box, double time) {
}
