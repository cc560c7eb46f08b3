package org.slowdyn.partition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Settings;

import com.fasterxml.jackson.databind.ObjectMapper;

class ClusteringTest {
    static final double[][] BLOB_CENTERS = { { 0, 0, 0 }, { 5, 0, 1 }, { 0, 6, -2 }, { -4, -4, 3 } };

    /** Gaussian blobs (standard deviation 0.5) around BLOB_CENTERS, split into two trajectories. */
    static List<FeatureSeries> blobs(int perBlob, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<FeatureSeries> out = new ArrayList<>();
        for (int part = 0; part < 2; part++) {
            double[] v = new double[perBlob * BLOB_CENTERS.length / 2 * 3];
            int p = 0;
            for (int i = 0; i < perBlob / 2; i++) {
                for (double[] c : BLOB_CENTERS) {
                    for (int j = 0; j < 3; j++) {
                        v[p++] = c[j] + 0.5 * rng.nextGaussian();
                    }
                }
            }
            out.add(FeatureSeries.wrap(v, List.of("a", "b", "c"), 1, "ps", "blobs " + part));
        }
        return out;
    }

    private static double[][] centers(FittedPartition f) {
        return ((VoronoiAssignment) f).centers();
    }

    @Test
    void kmeansFindsSeparatedBlobs() {
        List<FeatureSeries> data = blobs(2000, 1);
        Settings s = KMeansPartition.SCHEMA.defaults().with(KMeansPartition.CLUSTERS, 4);
        // the mean of 2000 points of standard deviation 0.5 is within about 0.011 per coordinate
        assertEveryBlobHasACenter(centers(new KMeansPartition().fit(data, s, null)));
    }

    /** Every true blob center has a found center within 0.1. */
    private static void assertEveryBlobHasACenter(double[][] found) {
        for (double[] truth : BLOB_CENTERS) {
            double best = Double.POSITIVE_INFINITY;
            for (double[] c : found) {
                double d2 = 0;
                for (int j = 0; j < 3; j++) {
                    d2 += (c[j] - truth[j]) * (c[j] - truth[j]);
                }
                best = Math.min(best, d2);
            }
            assertTrue(Math.sqrt(best) < 0.1, "no center near " + java.util.Arrays.toString(truth));
        }
    }

    /**
     * A converged Lloyd solution is a fixed point, checked here by brute force: every center is the mean of the
     * frames nearest to it.
     */
    @Test
    void lloydSolutionIsAFixedPointByBruteForce() {
        List<FeatureSeries> data = blobs(600, 2);
        Settings s = KMeansPartition.SCHEMA.defaults().with(KMeansPartition.CLUSTERS, 10)
                .with(KMeansPartition.TOLERANCE, 0.0).with(KMeansPartition.MAX_ITERATIONS, 1000);
        FittedPartition f = new KMeansPartition().fit(data, s, null);
        double[][] c = centers(f);
        double[][] sum = new double[10][3];
        int[] count = new int[10];
        for (FeatureSeries series : data) {
            StateSequence states = f.assign(series);
            for (int i = 0; i < series.frames(); i++) {
                int nearest = 0;
                double best = Double.POSITIVE_INFINITY;
                for (int k = 0; k < 10; k++) {
                    double d2 = 0;
                    for (int j = 0; j < 3; j++) {
                        d2 += Math.pow(series.get(i, j) - c[k][j], 2);
                    }
                    if (d2 < best) {
                        best = d2;
                        nearest = k;
                    }
                }
                assertEquals(nearest, states.state(i), "frame " + i);
                count[nearest]++;
                for (int j = 0; j < 3; j++) {
                    sum[nearest][j] += series.get(i, j);
                }
            }
        }
        for (int k = 0; k < 10; k++) {
            assertTrue(count[k] > 0, "empty cluster " + k);
            for (int j = 0; j < 3; j++) {
                assertEquals(sum[k][j] / count[k], c[k][j], 1e-9, "center " + k);
            }
        }
        assertTrue(f.notes().get(0).contains("converged"), f.notes().toString());
    }

    @Test
    void kmeansIsReproducibleAndIndependentOfThreads() {
        List<FeatureSeries> data = blobs(40_000, 3); // more points than one block, so threads share the work
        Settings one = KMeansPartition.SCHEMA.defaults().with(KMeansPartition.CLUSTERS, 20)
                .with(KMeansPartition.THREADS, 1);
        double[][] a = centers(new KMeansPartition().fit(data, one, null));
        double[][] b = centers(new KMeansPartition().fit(data, one.with(KMeansPartition.THREADS, 2), null));
        for (int k = 0; k < 20; k++) {
            assertArrayEquals(a[k], b[k], 0.0);
        }
        double[][] c = centers(new KMeansPartition().fit(data, one.with(KMeansPartition.SEED, 7L), null));
        assertTrue(!java.util.Arrays.deepEquals(a, c), "another seed gives another initialisation");
    }

    /**
     * The same fit, whether one shard holds every trajectory or the trajectories are split over several shards (as
     * on a cluster's executors, each step on a copy of the shard): the centers are equal bit for bit, because every
     * sum is reduced per trajectory in trajectory order. Thirteen trajectories of unequal lengths, one longer than a
     * block, split 1 + 5 + 7; another seed gives other centers, so equality is not trivial.
     */
    @Test
    void kmeansOnShardsEqualsKMeansOnOneMachine() {
        List<FeatureSeries> data = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(5);
        for (int t = 0; t < 13; t++) {
            int frames = t == 4 ? Blocks.SIZE + 777 : 300 + 97 * t;
            double[] v = new double[frames * 2];
            for (int i = 0; i < frames; i++) {
                double[] c = BLOB_CENTERS[rng.nextInt(BLOB_CENTERS.length)];
                v[2 * i] = c[0] + 0.7 * rng.nextGaussian();
                v[2 * i + 1] = c[1] + 0.7 * rng.nextGaussian();
            }
            data.add(FeatureSeries.wrap(v, List.of("a", "b"), 1, "ps", "t" + t));
        }
        Settings s = KMeansPartition.SCHEMA.defaults().with(KMeansPartition.CLUSTERS, 12)
                .with(KMeansPartition.TOLERANCE, 0.0).with(KMeansPartition.MAX_ITERATIONS, 200);
        KMeansPartition km = new KMeansPartition();
        double[][] one = centers(km.fit(data, s, null));
        int[][] splits = { { 0, 1 }, { 1, 6 }, { 6, 13 } };
        List<KMeansShard> held = new ArrayList<>();
        for (int[] r : splits) {
            held.add(KMeansShard.of(data.subList(r[0], r[1]), List.of("a", "b"), "test", 2, r[0]));
        }
        KMeansShards copying = new KMeansShards() {
            @Override
            public <R> List<R> apply(Step<R> step) {
                List<R> out = new ArrayList<>();
                for (int i = 0; i < held.size(); i++) {
                    KMeansShard next = held.get(i).copy();
                    out.add(step.apply(next));
                    held.set(i, next);
                }
                return out;
            }
        };
        FittedPartition sharded = km.fit(copying, List.of("a", "b"), 0, s, null);
        double[][] many = centers(sharded);
        for (int k = 0; k < 12; k++) {
            assertArrayEquals(one[k], many[k], 0.0, "center " + k);
        }
        assertEquals(km.fit(data, s, null).notes(), sharded.notes(), "same iterations and inertia");
        double[][] other = centers(km.fit(data, s.with(KMeansPartition.SEED, 8L), null));
        assertTrue(!java.util.Arrays.deepEquals(one, other), "another seed gives other centers");
        assertThrows(InvalidSettingException.class, () -> km.fit(copying, List.of("a", "b"), 0,
                s.with(KMeansPartition.MINI_BATCH, 100), null), "mini-batch needs the frames in one JVM");
    }

    @Test
    void miniBatchKMeansFindsTheBlobsToo() {
        List<FeatureSeries> data = blobs(20_000, 4);
        Settings s = KMeansPartition.SCHEMA.defaults().with(KMeansPartition.CLUSTERS, 4)
                .with(KMeansPartition.MINI_BATCH, 256).with(KMeansPartition.MAX_ITERATIONS, 5);
        assertEveryBlobHasACenter(centers(new KMeansPartition().fit(data, s, null)));
    }

    @Test
    void kmeansRejectsMoreClustersThanFrames() {
        FeatureSeries tiny = new FeatureSeries(new double[] { 1, 2, 3 }, List.of("x"), 1, "ps", "tiny");
        assertEquals("clusters", assertThrows(InvalidSettingException.class, () -> new KMeansPartition().fit(
                List.of(tiny), KMeansPartition.SCHEMA.defaults().with(KMeansPartition.CLUSTERS, 4), null)).field());
    }

    @Test
    void regularSpaceCentersAreFarApartAndCoverEveryFrame() {
        List<FeatureSeries> data = blobs(1000, 5);
        double dmin = 1.0;
        Settings s = RegularSpacePartition.SCHEMA.defaults().with(RegularSpacePartition.MIN_DISTANCE, dmin);
        FittedPartition f = new RegularSpacePartition().fit(data, s, null);
        double[][] c = centers(f);
        assertArrayEquals(new double[] { data.get(0).get(0, 0), data.get(0).get(0, 1), data.get(0).get(0, 2) }, c[0],
                0.0, "the first frame is the first center");
        for (int a = 0; a < c.length; a++) {
            for (int b = a + 1; b < c.length; b++) {
                double d2 = 0;
                for (int j = 0; j < 3; j++) {
                    d2 += Math.pow(c[a][j] - c[b][j], 2);
                }
                assertTrue(Math.sqrt(d2) > dmin, "centers " + a + " and " + b + " are too close");
            }
        }
        for (FeatureSeries series : data) {
            for (int i = 0; i < series.frames(); i++) {
                double best = Double.POSITIVE_INFINITY;
                for (double[] center : c) {
                    double d2 = 0;
                    for (int j = 0; j < 3; j++) {
                        d2 += Math.pow(series.get(i, j) - center[j], 2);
                    }
                    best = Math.min(best, d2);
                }
                assertTrue(Math.sqrt(best) <= dmin, "frame " + i + " is not covered");
            }
        }
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> new RegularSpacePartition()
                .fit(data, s.with(RegularSpacePartition.MAX_CENTERS, 3), null));
        assertEquals("maxCenters", e.field());
        assertTrue(e.getMessage().contains("raise minDistance"), e.getMessage());
    }

    @Test
    void clusteringPartitionsRoundTripThroughJson() throws Exception {
        List<FeatureSeries> data = blobs(200, 6);
        ObjectMapper mapper = new ObjectMapper();
        KMeansPartition km = new KMeansPartition();
        FittedPartition f = km.fit(data, KMeansPartition.SCHEMA.defaults().with(KMeansPartition.CLUSTERS, 5), null);
        FittedPartition g = km.load(mapper.readTree(f.toJson().toString()));
        assertArrayEquals(f.assign(data.get(1)).toArray(), g.assign(data.get(1)).toArray());
        assertEquals(f.notes(), g.notes());
    }
}
