package org.slowdyn.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.StatePartition;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * k-means clustering into microstates: k-means++ initialisation (Arthur and Vassilvitskii 2007), then Lloyd
 * iterations, or mini-batch updates (Sculley 2010) for large data. Converged when the squared shift of all centers in
 * one iteration is at most {@code tolerance} times the mean variance of the features (the criterion of scikit-learn).
 * An empty cluster is re-seeded at the point farthest from its center. Sums are reduced in fixed blocks, so results
 * depend on the seed but not on the number of threads. Frames of all trajectories are pooled (time order does not
 * matter to clustering); assignment of new data is by nearest center.
 */
public class KMeansPartition implements StatePartition {
    public static final String ID = "partition.kmeans";

    public static final Setting<List<String>> FEATURES = Setting.textList("features", List.of(), 0,
            "features to cluster; empty uses every feature");
    public static final Setting<Integer> CLUSTERS = Setting.integer("clusters", 100, 1, 1_000_000, "",
            "number of clusters (microstates) k");
    public static final Setting<Integer> MAX_ITERATIONS = Setting.integer("maxIterations", 300, 1, 1_000_000, "",
            "Lloyd iterations (or mini-batch passes over the data) at most");
    public static final Setting<Double> TOLERANCE = Setting.real("tolerance", 1e-4, 0, 1, "",
            "convergence: squared center shift per iteration relative to the mean feature variance");
    public static final Setting<Integer> MINI_BATCH = Setting.integer("miniBatch", 0, 0, 100_000_000, "points",
            "points per mini-batch update; 0 runs full Lloyd iterations");
    public static final Setting<Long> SEED = Setting.longInteger("seed", 42L, Long.MIN_VALUE, Long.MAX_VALUE, "",
            "seed of the k-means++ initialisation and the mini-batches");
    public static final Setting<Integer> THREADS = Setting.integer("threads", 0, 0, 1024, "",
            "threads for the assignment step; 0 uses every core");
    public static final SettingsSchema SCHEMA = SettingsSchema.of(FEATURES, CLUSTERS, MAX_ITERATIONS, TOLERANCE,
            MINI_BATCH, SEED, THREADS);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "k-means";
    }

    @Override
    public String description() {
        return "k-means++ initialisation, Lloyd or mini-batch iterations; states are the clusters";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    @Override
    public FittedPartition fit(List<FeatureSeries> data, Settings settings, IProgressMonitor monitor) {
        List<String> features = FeatureColumns.choose(settings.get(FEATURES), data, ID);
        double[] points = gatherAll(data, features, ID);
        int d = features.size();
        int n = points.length / d;
        int k = settings.get(CLUSTERS);
        if (k > n) {
            throw new InvalidSettingException(CLUSTERS.name(), ID + ": setting 'clusters' = " + k + " is more than "
                    + "the " + n + " frames to cluster");
        }
        Result r = cluster(points, d, k, settings, monitor);
        double[][] centers = new double[k][d];
        for (int c = 0; c < k; c++) {
            System.arraycopy(r.centers, c * d, centers[c], 0, d);
        }
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "k-means: %d clusters of %d frames, %s after %d %s, inertia %.6g",
                k, n, r.converged ? "converged" : "not converged", r.iterations,
                settings.get(MINI_BATCH) > 0 ? "passes" : "iterations", r.inertia));
        return new VoronoiAssignment(ID, features, centers, notes);
    }

    /** The chosen features of every frame of every series (each series may order its columns differently). */
    static double[] gatherAll(List<FeatureSeries> data, List<String> features, String context) {
        int[] cols = data.get(0).indicesOf(features, context);
        boolean sameLayout = true;
        for (FeatureSeries s : data) {
            sameLayout &= java.util.Arrays.equals(s.indicesOf(features, context), cols);
        }
        if (sameLayout) {
            return Clustering.gather(data, cols);
        }
        List<FeatureSeries> reordered = new ArrayList<>();
        for (FeatureSeries s : data) {
            reordered.add(s.selectColumns(s.indicesOf(features, context)));
        }
        return Clustering.gather(reordered, java.util.stream.IntStream.range(0, features.size()).toArray());
    }

    /** The outcome of a clustering run. */
    static final class Result {
        final double[] centers;
        final double inertia;
        final int iterations;
        final boolean converged;

        Result(double[] centers, double inertia, int iterations, boolean converged) {
            this.centers = centers;
            this.inertia = inertia;
            this.iterations = iterations;
            this.converged = converged;
        }
    }

    /** Clusters row-major points (n x d) into k centers. */
    static Result cluster(double[] points, int d, int k, Settings settings, IProgressMonitor monitor) {
        int maxIterations = settings.get(MAX_ITERATIONS);
        SubMonitor progress = SubMonitor.convert(monitor, "k-means into " + k + " clusters", 10 + maxIterations);
        SplittableRandom rng = new SplittableRandom(settings.get(SEED));
        int threads = settings.get(THREADS);
        double[] centers = kmeansPlusPlus(points, d, k, rng, threads);
        progress.split(10);
        double threshold = settings.get(TOLERANCE) * Clustering.meanVariance(points, d);
        int batch = settings.get(MINI_BATCH);
        return batch > 0 ? miniBatch(points, d, k, centers, batch, maxIterations, threshold, rng, progress)
                : lloyd(points, d, k, centers, maxIterations, threshold, threads, progress);
    }

    /** k-means++: the first center uniformly, each next one with probability proportional to D^2. */
    static double[] kmeansPlusPlus(double[] points, int d, int k, SplittableRandom rng, int threads) {
        int n = points.length / d;
        double[] centers = new double[k * d];
        int first = rng.nextInt(n);
        System.arraycopy(points, first * d, centers, 0, d);
        double[] dist2 = new double[n];
        int blocks = Blocks.count(n);
        double[] blockSum = new double[blocks];
        updateDistances(points, d, centers, 0, dist2, blockSum, true, threads);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (double v : blockSum) {
                total += v;
            }
            int chosen;
            if (total <= 0) {
                chosen = rng.nextInt(n); // all points coincide with centers
            } else {
                double target = rng.nextDouble() * total;
                int b = 0;
                while (b < blocks - 1 && target >= blockSum[b]) {
                    target -= blockSum[b];
                    b++;
                }
                chosen = Math.min(n - 1, b * Blocks.SIZE);
                for (int i = b * Blocks.SIZE, end = Math.min(n, i + Blocks.SIZE); i < end; i++) {
                    chosen = i;
                    if (target < dist2[i]) {
                        break;
                    }
                    target -= dist2[i];
                }
            }
            System.arraycopy(points, chosen * d, centers, c * d, d);
            updateDistances(points, d, centers, c, dist2, blockSum, false, threads);
        }
        return centers;
    }

    private static void updateDistances(double[] points, int d, double[] centers, int c, double[] dist2,
            double[] blockSum, boolean first, int threads) {
        int n = dist2.length;
        int co = c * d;
        Blocks.run(blockSum.length, threads, b -> {
            double sum = 0;
            for (int i = b * Blocks.SIZE, end = Math.min(n, i + Blocks.SIZE); i < end; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    double diff = points[i * d + j] - centers[co + j];
                    s += diff * diff;
                }
                if (first || s < dist2[i]) {
                    dist2[i] = s;
                }
                sum += dist2[i];
            }
            blockSum[b] = sum;
        });
    }

    /**
     * Lloyd iterations accelerated with Hamerly's bounds (Hamerly 2010): each point keeps an upper bound on the
     * distance to its center and a lower bound on the distance to every other center; a point whose upper bound is
     * below both its lower bound and half the distance from its center to the nearest other center cannot change
     * cluster and is skipped. The assignments, and so the centers, are those of plain Lloyd iterations.
     */
    static Result lloyd(double[] points, int d, int k, double[] centers, int maxIterations, double threshold,
            int threads, SubMonitor progress) {
        int n = points.length / d;
        int blocks = Blocks.count(n);
        int[] labels = new int[n];
        double[] upper = new double[n];
        double[] lower = new double[n];
        double[][] blockSums = new double[blocks][];
        long[][] blockCounts = new long[blocks][];
        double[] farthestDist = new double[blocks];
        int[] farthestPoint = new int[blocks];
        // first assignment: exact nearest and second-nearest distances
        Clustering.Kernel initial = new Clustering.Kernel(centers, k, d);
        Blocks.run(blocks, threads, b -> {
            Clustering.Kernel own = initial.copy();
            double[] dist = new double[2];
            for (int i = b * Blocks.SIZE, end = Math.min(n, i + Blocks.SIZE); i < end; i++) {
                labels[i] = own.nearestTwo(points, i, dist);
                upper[i] = Math.sqrt(dist[0]);
                lower[i] = Math.sqrt(dist[1]);
            }
        });
        double[] half = new double[k];
        double[] moved = new double[k];
        int iteration = 0;
        boolean converged = false;
        while (iteration < maxIterations) {
            iteration++;
            // new centers from the current assignment (block sums reduced in block order)
            Blocks.run(blocks, threads, b -> {
                double[] sums = new double[k * d];
                long[] counts = new long[k];
                double far = -1;
                int farIndex = -1;
                for (int i = b * Blocks.SIZE, end = Math.min(n, i + Blocks.SIZE); i < end; i++) {
                    int c = labels[i];
                    counts[c]++;
                    for (int j = 0; j < d; j++) {
                        sums[c * d + j] += points[i * d + j];
                    }
                    if (upper[i] > far) {
                        far = upper[i];
                        farIndex = i;
                    }
                }
                blockSums[b] = sums;
                blockCounts[b] = counts;
                farthestDist[b] = far;
                farthestPoint[b] = farIndex;
            });
            double[] sums = new double[k * d];
            long[] counts = new long[k];
            for (int b = 0; b < blocks; b++) {
                for (int x = 0; x < sums.length; x++) {
                    sums[x] += blockSums[b][x];
                }
                for (int c = 0; c < k; c++) {
                    counts[c] += blockCounts[b][c];
                }
            }
            double[] next = new double[k * d];
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    // re-seed an empty cluster at the point farthest from its center
                    int best = 0;
                    for (int b = 1; b < blocks; b++) {
                        if (farthestDist[b] > farthestDist[best]) {
                            best = b;
                        }
                    }
                    System.arraycopy(points, farthestPoint[best] * d, next, c * d, d);
                    farthestDist[best] = -1;
                } else {
                    for (int j = 0; j < d; j++) {
                        next[c * d + j] = sums[c * d + j] / counts[c];
                    }
                }
            }
            double shift = 0, maxMove = 0;
            for (int c = 0; c < k; c++) {
                double m2 = 0;
                for (int j = 0; j < d; j++) {
                    double diff = next[c * d + j] - centers[c * d + j];
                    m2 += diff * diff;
                }
                shift += m2;
                moved[c] = Math.sqrt(m2);
                maxMove = Math.max(maxMove, moved[c]);
            }
            centers = next;
            progress.split(1);
            if (shift <= threshold) {
                converged = true;
                break;
            }
            // half the distance from each center to its nearest other center
            for (int c = 0; c < k; c++) {
                double best = Double.POSITIVE_INFINITY;
                for (int o = 0; o < k; o++) {
                    if (o != c) {
                        double d2 = 0;
                        for (int j = 0; j < d; j++) {
                            double diff = centers[c * d + j] - centers[o * d + j];
                            d2 += diff * diff;
                        }
                        best = Math.min(best, d2);
                    }
                }
                half[c] = 0.5 * Math.sqrt(best);
            }
            final double[] current = centers;
            final double drift = maxMove;
            Clustering.Kernel kernel = new Clustering.Kernel(centers, k, d);
            Blocks.run(blocks, threads, b -> {
                Clustering.Kernel own = kernel.copy();
                double[] dist = new double[2];
                for (int i = b * Blocks.SIZE, end = Math.min(n, i + Blocks.SIZE); i < end; i++) {
                    int c = labels[i];
                    upper[i] += moved[c];
                    lower[i] -= drift;
                    double bound = Math.max(half[c], lower[i]);
                    if (upper[i] <= bound) {
                        continue;
                    }
                    double d2 = 0;
                    for (int j = 0; j < d; j++) {
                        double diff = points[i * d + j] - current[c * d + j];
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
        double inertia = Clustering.assign(points, d, centers, k, labels, threads);
        return new Result(centers, inertia, iteration, converged);
    }

    static Result miniBatch(double[] points, int d, int k, double[] centers, int batch, int maxPasses,
            double threshold, SplittableRandom rng, SubMonitor progress) {
        int n = points.length / d;
        long[] seen = new long[k];
        double[] dist = new double[1];
        int stepsPerPass = Math.max(1, n / batch);
        int[] batchLabel = new int[batch];
        int[] batchIndex = new int[batch];
        int pass = 0;
        boolean converged = false;
        while (pass < maxPasses) {
            pass++;
            double[] before = centers.clone();
            for (int step = 0; step < stepsPerPass; step++) {
                for (int x = 0; x < batch; x++) {
                    batchIndex[x] = rng.nextInt(n);
                    batchLabel[x] = Clustering.nearest(points, batchIndex[x], d, centers, k, dist);
                }
                for (int x = 0; x < batch; x++) {
                    int c = batchLabel[x];
                    seen[c]++;
                    double eta = 1.0 / seen[c];
                    int po = batchIndex[x] * d;
                    for (int j = 0; j < d; j++) {
                        centers[c * d + j] += eta * (points[po + j] - centers[c * d + j]);
                    }
                }
            }
            double shift = 0;
            for (int x = 0; x < centers.length; x++) {
                double diff = centers[x] - before[x];
                shift += diff * diff;
            }
            progress.split(1);
            if (shift <= threshold) {
                converged = true;
                break;
            }
        }
        double inertia = Clustering.assign(points, d, centers, k, new int[n], 0);
        return new Result(centers, inertia, pass, converged);
    }

    @Override
    public FittedPartition load(JsonNode json) {
        return VoronoiAssignment.fromJson(ID, json);
    }
}
