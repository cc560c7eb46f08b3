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
        KMeansShard shard = KMeansShard.of(data, features, ID, settings.get(THREADS), 0);
        return fit(KMeansShards.local(List.of(shard)), features, 1, settings, monitor);
    }

    /** The features a fit with these settings clusters on, for series with these labels. */
    public static List<String> features(Settings settings, List<String> labels) {
        List<String> requested = settings.get(FEATURES);
        return requested.isEmpty() ? List.copyOf(labels) : requested;
    }

    /**
     * Fits on frames held in shards (in this JVM, or on a cluster's executors): k-means++ seeding and Lloyd
     * iterations with every sum reduced per trajectory in trajectory order, so that the centers do not depend on how
     * the trajectories are split into shards. Mini-batch k-means ({@code miniBatch} > 0) samples frames at random
     * from all of them and needs them in one array: it is run only on shards in this JVM.
     *
     * @param features the feature labels the shards hold, in order
     * @param local    when not 0, the shards are in this JVM and mini-batch is allowed (the number of shards)
     */
    public FittedPartition fit(KMeansShards shards, List<String> features, int local, Settings settings,
            IProgressMonitor monitor) {
        int d = features.size();
        List<long[]> perShard = shards.read(KMeansShard::frames);
        long[] frames = concatLongs(perShard);
        int[] shardOf = new int[frames.length];
        for (int sh = 0, t = 0; sh < perShard.size(); sh++) {
            for (int i = 0; i < perShard.get(sh).length; i++) {
                shardOf[t++] = sh;
            }
        }
        long total = 0;
        for (long f : frames) {
            total += f;
        }
        int k = settings.get(CLUSTERS);
        if (k > total) {
            throw new InvalidSettingException(CLUSTERS.name(), ID + ": setting 'clusters' = " + k + " is more than "
                    + "the " + total + " frames to cluster");
        }
        int maxIterations = settings.get(MAX_ITERATIONS);
        SubMonitor progress = SubMonitor.convert(monitor, "k-means into " + k + " clusters", 10 + maxIterations);
        SplittableRandom rng = new SplittableRandom(settings.get(SEED));
        double[] centers = kmeansPlusPlus(shards, frames, shardOf, total, d, k, rng);
        progress.split(10);
        double threshold = settings.get(TOLERANCE) * meanVariance(shards, total, d);
        int batch = settings.get(MINI_BATCH);
        Result r;
        if (batch > 0) {
            if (local == 0) {
                throw new InvalidSettingException(MINI_BATCH.name(), ID + ": mini-batch k-means ('miniBatch' > 0) "
                        + "runs on one machine only; use Lloyd iterations ('miniBatch' = 0) on a cluster");
            }
            double[] points = concat(shards.apply(KMeansShard::values));
            r = miniBatch(points, d, k, centers, batch, maxIterations, threshold, rng, progress);
        } else {
            r = lloyd(shards, d, k, centers, maxIterations, threshold, progress);
        }
        double[][] c = new double[k][d];
        for (int x = 0; x < k; x++) {
            System.arraycopy(r.centers, x * d, c[x], 0, d);
        }
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "k-means: %d clusters of %d frames, %s after %d %s, inertia %.6g",
                k, total, r.converged ? "converged" : "not converged", r.iterations,
                batch > 0 ? "passes" : "iterations", r.inertia));
        return new VoronoiAssignment(ID, features, c, notes);
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

    private static long[] concatLongs(List<long[]> parts) {
        return parts.stream().flatMapToLong(java.util.Arrays::stream).toArray();
    }

    private static double[] concat(List<double[]> parts) {
        return parts.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    /** Frame {@code frame} of all trajectories laid end to end. */
    private static double[] frameAt(KMeansShards shards, long[] frames, int[] shardOf, long frame) {
        int t = 0;
        while (frame >= frames[t]) {
            frame -= frames[t];
            t++;
        }
        int trajectory = t, i = (int) frame;
        return shards.readOne(shardOf[t], s -> s.point(trajectory, i));
    }

    /** Mean over features of the variance of each feature, sums reduced per trajectory in trajectory order. */
    static double meanVariance(KMeansShards shards, long n, int d) {
        double[] sums = concat(shards.read(KMeansShard::featureSums));
        double[] mean = new double[d];
        for (int x = 0; x < sums.length; x++) {
            mean[x % d] += sums[x];
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[] dev = concat(shards.read(s -> s.squaredDeviations(mean)));
        double[] var = new double[d];
        for (int x = 0; x < dev.length; x++) {
            var[x % d] += dev[x];
        }
        double total = 0;
        for (int j = 0; j < d; j++) {
            total += var[j] / n;
        }
        return total / d;
    }

    /** k-means++: the first center uniformly, each next one with probability proportional to D^2. */
    static double[] kmeansPlusPlus(KMeansShards shards, long[] frames, int[] shardOf, long n, int d, int k,
            SplittableRandom rng) {
        double[] centers = new double[k * d];
        double[] first = frameAt(shards, frames, shardOf, rng.nextLong(n));
        System.arraycopy(first, 0, centers, 0, d);
        double[] totals = concat(shards.apply(s -> s.addCenter(first, true)));
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (double v : totals) {
                total += v;
            }
            double[] chosen;
            if (total <= 0) {
                chosen = frameAt(shards, frames, shardOf, rng.nextLong(n)); // all frames coincide with centers
            } else {
                double target = rng.nextDouble() * total;
                int last = totals.length - 1;
                while (frames[last] == 0) {
                    last--;
                }
                int t = 0;
                while (t < last && (target >= totals[t] || frames[t] == 0)) {
                    target -= totals[t];
                    t++;
                }
                int trajectory = t;
                double rest = target;
                chosen = shards.readOne(shardOf[t], s -> s.pick(trajectory, rest));
            }
            System.arraycopy(chosen, 0, centers, c * d, d);
            double[] center = chosen;
            totals = concat(shards.apply(s -> s.addCenter(center, false)));
        }
        return centers;
    }

    /**
     * Lloyd iterations accelerated with Hamerly's bounds (Hamerly 2010): each frame keeps an upper bound on the
     * distance to its center and a lower bound on the distance to every other center; a frame whose upper bound is
     * below both its lower bound and half the distance from its center to the nearest other center cannot change
     * cluster and is skipped. The assignments, and so the centers, are those of plain Lloyd iterations. An empty
     * cluster is re-seeded at the frame with the largest upper bound of a trajectory not used for that yet.
     */
    static Result lloyd(KMeansShards shards, int d, int k, double[] centers, int maxIterations, double threshold,
            SubMonitor progress) {
        double[] initial = centers;
        List<KMeansShard.Sums> parts = shards.apply(s -> {
            s.assignFirst(initial, k);
            return s.sums(k);
        });
        double[] half = new double[k];
        double[] moved = new double[k];
        int iteration = 0;
        boolean converged = false;
        while (iteration < maxIterations) {
            iteration++;
            // new centers from the current assignment, summed in trajectory order
            double[] sums = new double[k * d];
            long[] counts = new long[k];
            List<double[]> farthest = new ArrayList<>();
            List<Double> farthestDistance = new ArrayList<>();
            for (KMeansShard.Sums p : parts) {
                int nt = p.farthestDistance().length;
                for (int t = 0; t < nt; t++) {
                    for (int x = 0; x < k * d; x++) {
                        sums[x] += p.sums()[t * k * d + x];
                    }
                    for (int c = 0; c < k; c++) {
                        counts[c] += p.counts()[t * k + c];
                    }
                    farthestDistance.add(p.farthestDistance()[t]);
                    farthest.add(java.util.Arrays.copyOfRange(p.farthestPoint(), t * d, (t + 1) * d));
                }
            }
            double[] next = new double[k * d];
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    int best = 0;
                    for (int t = 1; t < farthestDistance.size(); t++) {
                        if (farthestDistance.get(t) > farthestDistance.get(best)) {
                            best = t;
                        }
                    }
                    System.arraycopy(farthest.get(best), 0, next, c * d, d);
                    farthestDistance.set(best, -1.0);
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
            double[] current = centers, halfNow = half.clone(), movedNow = moved.clone();
            double drift = maxMove;
            parts = shards.apply(s -> {
                s.update(current, k, movedNow, halfNow, drift);
                return s.sums(k);
            });
        }
        double[] finalCenters = centers;
        double inertia = 0;
        for (double v : concat(shards.read(s -> s.inertia(finalCenters, k)))) {
            inertia += v;
        }
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
