package org.slowdyn.featurize;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.slowdyn.io.FrameChunk;

/** Distances with minimum image, and RMSD after optimal superposition. */
final class Geometry {
    private Geometry() {
    }

    /**
     * Distance between atoms a and b of frame f in nm; with {@code periodic} and a non-zero box, the minimum image
     * through fractional coordinates (exact for rectangular boxes).
     */
    static double distance(FrameChunk c, int f, int a, int b, boolean periodic) {
        double dx = c.coordinate(f, b, 0) - c.coordinate(f, a, 0);
        double dy = c.coordinate(f, b, 1) - c.coordinate(f, a, 1);
        double dz = c.coordinate(f, b, 2) - c.coordinate(f, a, 2);
        if (periodic && c.hasBox()) {
            double ax = c.box(f, 0), by = c.box(f, 4), cz = c.box(f, 8);
            if (ax > 0 && by > 0 && cz > 0) {
                double bx = c.box(f, 3), cx = c.box(f, 6), cy = c.box(f, 7);
                // fractional coordinates for the lower-triangular box matrix (rows a, b, c)
                double sz = dz / cz;
                double sy = (dy - sz * cy) / by;
                double sx = (dx - sy * bx - sz * cx) / ax;
                sx -= Math.rint(sx);
                sy -= Math.rint(sy);
                sz -= Math.rint(sz);
                dx = sx * ax + sy * bx + sz * cx;
                dy = sy * by + sz * cy;
                dz = sz * cz;
            }
        }
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    /**
     * RMSD in nm between the atoms {@code atoms} of frame f and the reference coordinates (same atoms, same order,
     * centered), after optimal translation and rotation: Horn's quaternion method, RMSD^2 = (Gx + Gy - 2 lambda_max)/n
     * with lambda_max the largest eigenvalue of the 4 x 4 key matrix.
     */
    static double rmsd(FrameChunk c, int f, int[] atoms, double[] centeredReference, double referenceInner) {
        int n = atoms.length;
        double mx = 0, my = 0, mz = 0;
        for (int a : atoms) {
            mx += c.coordinate(f, a, 0);
            my += c.coordinate(f, a, 1);
            mz += c.coordinate(f, a, 2);
        }
        mx /= n;
        my /= n;
        mz /= n;
        double g = 0;
        double sxx = 0, sxy = 0, sxz = 0, syx = 0, syy = 0, syz = 0, szx = 0, szy = 0, szz = 0;
        for (int i = 0; i < n; i++) {
            double x = c.coordinate(f, atoms[i], 0) - mx, y = c.coordinate(f, atoms[i], 1) - my,
                    z = c.coordinate(f, atoms[i], 2) - mz;
            double rx = centeredReference[3 * i], ry = centeredReference[3 * i + 1], rz = centeredReference[3 * i + 2];
            g += x * x + y * y + z * z;
            sxx += x * rx;
            sxy += x * ry;
            sxz += x * rz;
            syx += y * rx;
            syy += y * ry;
            syz += y * rz;
            szx += z * rx;
            szy += z * ry;
            szz += z * rz;
        }
        double[][] key = { { sxx + syy + szz, syz - szy, szx - sxz, sxy - syx },
                { syz - szy, sxx - syy - szz, sxy + syx, szx + sxz },
                { szx - sxz, sxy + syx, -sxx + syy - szz, syz + szy },
                { sxy - syx, szx + sxz, syz + szy, -sxx - syy + szz } };
        double[] ev = new EigenDecomposition(new Array2DRowRealMatrix(key, false)).getRealEigenvalues();
        double lambda = Double.NEGATIVE_INFINITY;
        for (double v : ev) {
            lambda = Math.max(lambda, v);
        }
        return Math.sqrt(Math.max(0, (g + referenceInner - 2 * lambda) / n));
    }
}
