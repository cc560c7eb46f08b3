package org.slowdyn.partition;

import java.util.List;

import org.slowdyn.core.data.FeatureSeries;

/**
 * The frames of some consecutive trajectories, held by one worker while k-means is fitted, and the per-frame state of
 * the fit (k-means++ distances, Lloyd labels and Hamerly bounds).
 *
 * <p>Every sum is taken in one fixed order that does not depend on who holds the frames: frames in order within
 * blocks of {@value Blocks#SIZE} frames that never cross a trajectory, blocks in order within a trajectory, and
 * trajectories in order by the caller ({@link KMeansPartition#fit(KMeansShards, List, int, org.slowdyn.core.settings.Settings,
 * org.eclipse.core.runtime.IProgressMonitor)}). Each step therefore returns one result per trajectory. So k-means on
 * one machine (one shard of every trajectory) and on many (a shard per worker, as on Spark executors) give the same
 * centers, bit for bit, whatever the number of threads or workers.
 *
 * <p>Steps change the shard's state; {@link #copy()} gives an independent copy (sharing the immutable frames) for
 * engines that keep each step's state as a new value.
 */
public final class KMeansShard implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final int d;
    private final double[] points;
    /** trajectory t holds points [start[t], start[t + 1]) */
    private final int[] start;
    /** blocks of trajectory t are [firstBlock[t], firstBlock[t + 1]); block b holds points [blockStart[b], blockStart[b + 1]) */
    private final int[] firstBlock;
    private final int[] blockStart;
    private final int threads;
    /** the index of this shard's first trajectory among all of them */
    private final int first;

    private double[] dist2;
    private double[] blockSum;
    private int[] labels;
    private double[] upper;
    private double[] lower;

    /**
     * @param series   the trajectories, in order
     * @param features the feature labels to cluster on
     * @param context  who asks, for messages
     * @param threads  threads for this shard's blocks (0: every core)
     * @param first    the index of the first of these trajectories among all of them
     */
    public static KMeansShard of(List<FeatureSeries> series, List<String> features, String context, int threads,
            int first) {
        double[] points = series.isEmpty() ? new double[0] : KMeansPartition.gatherAll(series, features, context);
        int[] frames = new int[series.size()];
        for (int t = 0; t < frames.length; t++) {
            frames[t] = series.get(t).frames();
        }
        return new KMeansShard(points, features.size(), frames, threads, first);
    }

    KMeansShard(double[] points, int d, int[] frames, int threads, int first) {
        this.first = first;
        this.points = points;
        this.d = d;
        this.threads = threads;
        this.start = new int[frames.length + 1];
        this.firstBlock = new int[frames.length + 1];
        int blocks = 0;
        for (int t = 0; t < frames.length; t++) {
            start[t + 1] = start[t] + frames[t];
            firstBlock[t] = blocks;
            blocks += Blocks.count(frames[t]);
        }
        firstBlock[frames.length] = blocks;
        this.blockStart = new int[blocks + 1];
        for (int t = 0; t < frames.length; t++) {
            for (int b = firstBlock[t]; b < firstBlock[t + 1]; b++) {
                blockStart[b] = start[t] + (b - firstBlock[t]) * Blocks.SIZE;
            }
        }
        blockStart[blocks] = start[frames.length];
        if (points.length != start[frames.length] * d) {
            throw new IllegalArgumentException(points.length + " values for " + start[frames.length] + " frames of "
                    + d + " features");
        }
    }

    private KMeansShard(KMeansShard o) {
        this.first = o.first;
        this.d = o.d;
        this.points = o.points;
        this.start = o.start;
        this.firstBlock = o.firstBlock;
        this.blockStart = o.blockStart;
        this.threads = o.threads;
        this.dist2 = o.dist2 == null ? null : o.dist2.clone();
        this.blockSum = o.blockSum == null ? null : o.blockSum.clone();
        this.labels = o.labels == null ? null : o.labels.clone();
        this.upper = o.upper == null ? null : o.upper.clone();
        this.lower = o.lower == null ? null : o.lower.clone();
    }

    /** An independent copy of the state; the frames are shared (they never change). */
    public KMeansShard copy() {
        return new KMeansShard(this);
    }

    public int trajectories() {
        return start.length - 1;
    }

    public int dimension() {
        return d;
    }

    /** The frames' features, row-major (shared, not copied: for callers in this package that do not change it). */
    double[] values() {
        return points;
    }

    /** The number of frames of each trajectory. */
    public long[] frames() {
        long[] n = new long[trajectories()];
        for (int t = 0; t < n.length; t++) {
            n[t] = start[t + 1] - start[t];
        }
        return n;
    }

    /** Frame {@code i} of trajectory {@code t} (an index among all trajectories). */
    public double[] point(int t, int i) {
        double[] p = new double[d];
        System.arraycopy(points, (start[t - first] + i) * d, p, 0, d);
        return p;
    }

    private double[] perTrajectory(double[] perBlock, int width) {
        double[] out = new double[trajectories() * width];
        for (int t = 0; t < trajectories(); t++) {
            for (int b = firstBlock[t]; b < firstBlock[t + 1]; b++) {
                for (int x = 0; x < width; x++) {
                    out[t * width + x] += perBlock[b * width + x];
                }
            }
        }
        return out;
    }

    private int blocks() {
        return blockStart.length - 1;
    }

    /** Per trajectory, the sum of each feature (trajectories x d). */
    public double[] featureSums() {
        double[] perBlock = new double[blocks() * d];
        Blocks.run(blocks(), threads, b -> {
            for (int i = blockStart[b]; i < blockStart[b + 1]; i++) {
                for (int j = 0; j < d; j++) {
                    perBlock[b * d + j] += points[i * d + j];
                }
            }
        });
        return perTrajectory(perBlock, d);
    }

    /** Per trajectory, the sum of squared deviations from {@code mean} of each feature (trajectories x d). */
    public double[] squaredDeviations(double[] mean) {
        double[] perBlock = new double[blocks() * d];
        Blocks.run(blocks(), threads, b -> {
            for (int i = blockStart[b]; i < blockStart[b + 1]; i++) {
                for (int j = 0; j < d; j++) {
                    double diff = points[i * d + j] - mean[j];
                    perBlock[b * d + j] += diff * diff;
                }
            }
        });
        return perTrajectory(perBlock, d);
    }

    /**
     * k-means++: lowers every frame's squared distance to the nearest chosen center by the new {@code center} (the
     * first center sets them) and returns, per trajectory, the sum of those squared distances.
     */
    public double[] addCenter(double[] center, boolean first) {
        int n = points.length / d;
        if (first) {
            dist2 = new double[n];
            blockSum = new double[blocks()];
        }
        Blocks.run(blocks(), threads, b -> {
            double sum = 0;
            for (int i = blockStart[b]; i < blockStart[b + 1]; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    double diff = points[i * d + j] - center[j];
                    s += diff * diff;
                }
                if (first || s < dist2[i]) {
                    dist2[i] = s;
                }
                sum += dist2[i];
            }
            blockSum[b] = sum;
        });
        return perTrajectory(blockSum, 1);
    }

    /**
     * k-means++: the frame of trajectory {@code t} (an index among all trajectories) at which {@code target} (less than the trajectory's sum of squared
     * distances) falls when the squared distances are laid end to end, block by block.
     */
    public double[] pick(int trajectory, double target) {
        int t = trajectory - first;
        int b = firstBlock[t];
        while (b < firstBlock[t + 1] - 1 && target >= blockSum[b]) {
            target -= blockSum[b];
            b++;
        }
        int chosen = blockStart[b];
        for (int i = blockStart[b]; i < blockStart[b + 1]; i++) {
            chosen = i;
            if (target < dist2[i]) {
                break;
            }
            target -= dist2[i];
        }
        double[] p = new double[d];
        System.arraycopy(points, chosen * d, p, 0, d);
        return p;
    }

    /** What one Lloyd step needs from a shard, per trajectory. */
    public record Sums(double[] sums, long[] counts, double[] farthestDistance, double[] farthestPoint)
            implements java.io.Serializable {
    }

    /** Lloyd: the first assignment (exact nearest and second nearest distances, for Hamerly's bounds). */
    public void assignFirst(double[] centers, int k) {
        int n = points.length / d;
        dist2 = null;
        blockSum = null;
        labels = new int[n];
        upper = new double[n];
        lower = new double[n];
        Clustering.Kernel initial = new Clustering.Kernel(centers, k, d);
        Blocks.run(blocks(), threads, b -> {
            Clustering.Kernel own = initial.copy();
            double[] dist = new double[2];
            for (int i = blockStart[b]; i < blockStart[b + 1]; i++) {
                labels[i] = own.nearestTwo(points, i, dist);
                upper[i] = Math.sqrt(dist[0]);
                lower[i] = Math.sqrt(dist[1]);
            }
        });
    }

    /**
     * Lloyd: per trajectory, the sums and counts of the frames of each cluster, and the frame with the largest upper
     * bound (where an empty cluster is re-seeded).
     */
    public Sums sums(int k) {
        int blocks = blocks();
        double[][] bs = new double[blocks][];
        long[][] bc = new long[blocks][];
        double[] far = new double[blocks];
        int[] farIndex = new int[blocks];
        Blocks.run(blocks, threads, b -> {
            double[] s = new double[k * d];
            long[] c = new long[k];
            double f = -1;
            int fi = -1;
            for (int i = blockStart[b]; i < blockStart[b + 1]; i++) {
                int l = labels[i];
                c[l]++;
                for (int j = 0; j < d; j++) {
                    s[l * d + j] += points[i * d + j];
                }
                if (upper[i] > f) {
                    f = upper[i];
                    fi = i;
                }
            }
            bs[b] = s;
            bc[b] = c;
            far[b] = f;
            farIndex[b] = fi;
        });
        int nt = trajectories();
        double[] sums = new double[nt * k * d];
        long[] counts = new long[nt * k];
        double[] farthest = new double[nt];
        double[] farPoint = new double[nt * d];
        for (int t = 0; t < nt; t++) {
            farthest[t] = -1;
            int best = -1;
            for (int b = firstBlock[t]; b < firstBlock[t + 1]; b++) {
                for (int x = 0; x < k * d; x++) {
                    sums[t * k * d + x] += bs[b][x];
                }
                for (int c = 0; c < k; c++) {
                    counts[t * k + c] += bc[b][c];
                }
                if (far[b] > farthest[t]) {
                    farthest[t] = far[b];
                    best = farIndex[b];
                }
            }
            if (best >= 0) {
                System.arraycopy(points, best * d, farPoint, t * d, d);
            }
        }
        return new Sums(sums, counts, farthest, farPoint);
    }

    /**
     * Lloyd with Hamerly's bounds: after the centers moved by {@code moved} (the largest by {@code drift}), each frame
     * whose upper bound is below both its lower bound and half the distance from its center to the nearest other
     * center ({@code half}) keeps its cluster; the others are assigned again.
     */
    public void update(double[] centers, int k, double[] moved, double[] half, double drift) {
        Clustering.Kernel kernel = new Clustering.Kernel(centers, k, d);
        Blocks.run(blocks(), threads, b -> {
            Clustering.Kernel own = kernel.copy();
            double[] dist = new double[2];
            for (int i = blockStart[b]; i < blockStart[b + 1]; i++) {
                int c = labels[i];
                upper[i] += moved[c];
                lower[i] -= drift;
                double bound = Math.max(half[c], lower[i]);
                if (upper[i] <= bound) {
                    continue;
                }
                double d2 = 0;
                for (int j = 0; j < d; j++) {
                    double diff = points[i * d + j] - centers[c * d + j];
                    d2 += diff * diff;
                }
                upper[i] = Math.sqrt(d2);
                if (upper[i] <= bound) {
                    continue;
                }
                labels[i] = own.nearestTwo(points, i, dist);
                upper[i] = Math.sqrt(dist[0]);
                lower[i] = Math.sqrt(dist[1]);
            }
        });
    }

    /** Per trajectory, the sum of squared distances to the nearest of the final centers (the inertia). */
    public double[] inertia(double[] centers, int k) {
        double[] perBlock = new double[blocks()];
        Clustering.Kernel kernel = new Clustering.Kernel(centers, k, d);
        Blocks.run(blocks(), threads, b -> {
            Clustering.Kernel own = kernel.copy();
            double[] dist = new double[1];
            double sum = 0;
            for (int i = blockStart[b]; i < blockStart[b + 1]; i++) {
                own.nearest(points, i, dist);
                sum += dist[0];
            }
            perBlock[b] = sum;
        });
        return perTrajectory(perBlock, 1);
    }
}
