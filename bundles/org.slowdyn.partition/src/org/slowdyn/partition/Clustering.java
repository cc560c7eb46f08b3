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

    /**
     * Squared distances from points to k centers, laid out for the JIT's vectorisation: the centers are stored
     * feature-major (all first coordinates, then all second ...), so the distances to all centers are computed by
     * straight loops over the centers, and the nearest is found in a second pass.
     */
    static final class Kernel {
        final int d;
        final int k;
        private final double[] transposed;
        private final double[] distances;

        Kernel(double[] centers, int k, int d) {
            this.d = d;
            this.k = k;
            this.transposed = new double[k * d];
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    transposed[j * k + c] = centers[c * d + j];
                }
            }
            this.distances = new double[k];
        }

        /** A kernel over the same centers with its own scratch space, for another thread. */
        Kernel copy() {
            return new Kernel(this);
        }

        private Kernel(Kernel other) {
            this.d = other.d;
            this.k = other.k;
            this.transposed = other.transposed;
            this.distances = new double[k];
        }

        /** Fills the scratch array with the squared distances from point i to every center. */
        double[] distances(double[] points, int i) {
            double[] out = distances;
            double[] t = transposed;
            int off = i * d;
            double x0 = points[off];
            for (int c = 0; c < k; c++) {
                double diff = x0 - t[c];
                out[c] = diff * diff;
            }
            for (int j = 1; j < d; j++) {
                double xj = points[off + j];
                int base = j * k;
                for (int c = 0; c < k; c++) {
                    double diff = xj - t[base + c];
                    out[c] += diff * diff;
                }
            }
            return out;
        }

        /** The nearest center of point i (ties: the lower index); its squared distance goes to {@code dist[0]}. */
        int nearest(double[] points, int i, double[] dist) {
            double[] v = distances(points, i);
            int best = 0;
            double min = v[0];
            for (int c = 1; c < k; c++) {
                if (v[c] < min) {
                    min = v[c];
                    best = c;
                }
            }
            dist[0] = min;
            return best;
        }

        /** As {@link #nearest}, with the squared distance to the second nearest in {@code dist[1]}. */
        int nearestTwo(double[] points, int i, double[] dist) {
            double[] v = distances(points, i);
            int best = 0;
            double first = Double.POSITIVE_INFINITY, second = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double x = v[c];
                if (x < second) {
                    if (x < first) {
                        second = first;
                        first = x;
                        best = c;
                    } else {
                        second = x;
                    }
                }
            }
            dist[0] = first;
            dist[1] = second;
            return best;
        }
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
        Kernel kernel = new Kernel(centers, k, d);
        Blocks.run(blocks, threads, b -> {
            Kernel own = kernel.copy();
            double[] dist = new double[1];
            double sum = 0;
            for (int i = b * Blocks.SIZE, end = Math.min(n, i + Blocks.SIZE); i < end; i++) {
                out[i] = own.nearest(points, i, dist);
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
}
