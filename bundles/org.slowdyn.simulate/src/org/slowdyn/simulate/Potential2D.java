package org.slowdyn.simulate;

/** A potential energy surface in two dimensions (unit mass). */
public interface Potential2D {
    double energy(double x, double y);

    /** Writes the force -grad U at (x, y) into {@code out[0]}, {@code out[1]}. */
    void force(double x, double y, double[] out);
}
