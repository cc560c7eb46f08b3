package com.example.mdlab;

/** Cholesky factor of a small symmetric positive-definite matrix, and the Mahalanobis norm through it. */
final class Cholesky {
    private Cholesky() {
    }

    /** Lower-triangular L with L L^T = a. @throws IllegalArgumentException if a is not positive definite */
    static double[][] factor(double[][] a) {
        int d = a.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalArgumentException("matrix is not positive definite (pivot " + i + " = " + s
                                + ")");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }

    static boolean isPositiveDefinite(double[][] a) {
        try {
            factor(a);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** |L^-1 v|^2 = v^T (L L^T)^-1 v, by forward substitution; v is overwritten. */
    static double solveNormSquared(double[][] l, double[] v) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            double t = v[i];
            for (int k = 0; k < i; k++) {
                t -= l[i][k] * v[k];
            }
            v[i] = t / l[i][i];
            s += v[i] * v[i];
        }
        return s;
    }
}
