package org.slowdyn.simulate;

/**
 * Tsai's four-state potential (Tsai, Kuo, Tiwary, Nat. Commun. 2020):
 *
 * <pre>
 * U(x,y) = 1e-4 (x^6 + y^6) - sum_i exp(-((x-x_i)^2 + (y-y_i)^2) / (2 w^2)) + exp(-(x^2 + y^2) / (2 w^2))
 * </pre>
 *
 * with wells (x_i, y_i) = (-2, 1), (-0.5, -2), (0.5, 2), (2, -1) and w = 0.8. The wells of the pairs (-2,1)/(0.5,2)
 * and (-0.5,-2)/(2,-1) are joined by low saddles (fast exchange); the two pairs are joined by a higher barrier (the
 * slow process).
 */
public final class FourWellPotential implements Potential2D {
    /** Well centers in the order of increasing x: x = -2, -0.5, 0.5, 2. */
    public static final double[][] WELLS = { { -2.0, 1.0 }, { -0.5, -2.0 }, { 0.5, 2.0 }, { 2.0, -1.0 } };
    public static final double WIDTH = 0.8;

    private static final double INV_2W2 = 1.0 / (2 * WIDTH * WIDTH);
    private static final double INV_W2 = 1.0 / (WIDTH * WIDTH);

    @Override
    public double energy(double x, double y) {
        double x2 = x * x, y2 = y * y;
        double u = 1e-4 * (x2 * x2 * x2 + y2 * y2 * y2) + Math.exp(-(x2 + y2) * INV_2W2);
        for (double[] w : WELLS) {
            double dx = x - w[0], dy = y - w[1];
            u -= Math.exp(-(dx * dx + dy * dy) * INV_2W2);
        }
        return u;
    }

    @Override
    public void force(double x, double y, double[] out) {
        double x2 = x * x, y2 = y * y;
        // -dU/dx of the sextic wall and the central bump
        double e0 = Math.exp(-(x2 + y2) * INV_2W2) * INV_W2;
        double fx = -6e-4 * x2 * x2 * x + e0 * x;
        double fy = -6e-4 * y2 * y2 * y + e0 * y;
        // each Gaussian well pulls toward its center
        double dx = x + 2.0, dy = y - 1.0;
        double e = Math.exp(-(dx * dx + dy * dy) * INV_2W2) * INV_W2;
        fx -= e * dx;
        fy -= e * dy;
        dx = x + 0.5;
        dy = y + 2.0;
        e = Math.exp(-(dx * dx + dy * dy) * INV_2W2) * INV_W2;
        fx -= e * dx;
        fy -= e * dy;
        dx = x - 0.5;
        dy = y - 2.0;
        e = Math.exp(-(dx * dx + dy * dy) * INV_2W2) * INV_W2;
        fx -= e * dx;
        fy -= e * dy;
        dx = x - 2.0;
        dy = y + 1.0;
        e = Math.exp(-(dx * dx + dy * dy) * INV_2W2) * INV_W2;
        fx -= e * dx;
        fy -= e * dy;
        out[0] = fx;
        out[1] = fy;
    }
}
