package org.slowdyn.partition;

import java.util.List;

import org.slowdyn.core.data.FeatureSeries;

/** Numerical kernels shared by the clustering partitions: points are row-major n x d arrays. */
final class Clustering {
    private Clustering() {
    }

    /** The chosen columns of all series, one point per frame, row-major. */
    static double[] gather(List<FeatureSeries> data, int[] cols) {
        long total = 0;
        for (FeatureSeries s : data) {
            total += s.frames();
        }
        if (total * cols.length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many points for one clustering: " + total + " frames x "
                    + cols.length + " features");
        }
        double[] points = new double[(int) total * cols.length];
        int p = 0;
        for (FeatureSeries s : data) {
            for (int i = 0; i < s.frames(); i++) {
                for (int c : cols) {
                    points[p++] = s.get(i, c);
                }
            }
        }
        return points;
    }

    static double[] flatten(double[][] centers) {
        int d = centers[0].length;
        double[] flat = new double[centers.length * d];
        for (int k = 0; k < centers.length; k++) {
            System.arraycopy(centers[k], 0, flat, k * d, d);
        }
        return flat;
    }

    /** Index of the nearest center to point {@code i}, and its squared distance in {@code dist[0]}. */
    static int nearest(double[] points, int i, int d, double[] centers, int k, double[] dist) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        int off = i * d;
        for (int c = 0, co = 0; c < k; c++, co += d) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double diff = points[off + j] - centers[co + j];
                s += diff * diff;
            }
            if (s < bestD) {
                bestD = s;
                best = c;
            }
        }
        dist[0] = bestD;
        return best;
    }

    /** Nearest center of every point, in parallel blocks; returns the sum of squared distances (inertia). */
    static double assign(double[] points, int d, double[] centers, int k, int[] out, int threads) {
        int n = points.length / d;
        int blocks = Blocks.count(n);
        double[] partial = new double[blocks];
        Blocks.run(blocks, threads, b -> {
            double[] dist = new double[1];
            double sum = 0;
            for (int i = b * Blocks.SIZE, end = Math.min(n, i + Blocks.SIZE); i < end; i++) {
                out[i] = nearest(points, i, d, centers, k, dist);
                sum += dist[0];
            }
            partial[b] = sum;
        });
        double total = 0;
        for (double v : partial) {
            total += v;
        }
        return total;
    }

    /** Mean over features of the variance of each feature. */
    static double meanVariance(double[] points, int d) {
        int n = points.length / d;
        double total = 0;
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += points[i * d + j];
            }
            mean /= n;
            double var = 0;
            for (int i = 0; i < n; i++) {
                double diff = points[i * d + j] - mean;
                var += diff * diff;
            }
            total += var / n;
        }
        return total / d;
    }
}
