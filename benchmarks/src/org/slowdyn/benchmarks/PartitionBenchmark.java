package org.slowdyn.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.kinetics.TransitionCounts;
import org.slowdyn.partition.KMeansPartition;

/**
 * k-means and transition-counting speed on a plain classpath. Writes each data set as raw little-endian float64
 * (for the scikit-learn side of benchmarks/partition-benchmark.sh) and prints tab-separated result lines:
 * {@code RESULT <case> <threads> <seconds total> <iterations> <seconds per iteration> <inertia>}.
 */
public final class PartitionBenchmark {
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int repeats = 2; // the first run warms up the JIT; the last is reported
        for (int[] shape : new int[][] { { 1_000_000, 2 }, { 200_000, 10 } }) {
            int n = shape[0], d = shape[1];
            double[] data = mixture(n, d, 50, 12345);
            String name = n + "x" + d;
            write(dir.resolve("kmeans-" + name + ".f64"), data);
            FeatureSeries series = FeatureSeries.wrap(data, labels(d), 1, "ps", name);
            for (int threads : new int[] { 1, 2 }) {
                Settings s = KMeansPartition.SCHEMA.defaults().with(KMeansPartition.CLUSTERS, 100)
                        .with(KMeansPartition.THREADS, threads).with(KMeansPartition.SEED, 0L);
                double total = 0, oneIteration = 0;
                String note = "";
                for (int r = 0; r < repeats; r++) {
                    long t0 = System.nanoTime();
                    new KMeansPartition().fit(List.of(series), s.with(KMeansPartition.MAX_ITERATIONS, 1), null);
                    oneIteration = (System.nanoTime() - t0) / 1e9;
                    t0 = System.nanoTime();
                    FittedPartition f = new KMeansPartition().fit(List.of(series), s, null);
                    total = (System.nanoTime() - t0) / 1e9;
                    note = f.notes().get(0);
                }
                int iterations = Integer.parseInt(note.replaceAll(".* after (\\d+) iterations.*", "$1"));
                double inertia = Double.parseDouble(note.replaceAll(".*inertia ([0-9.eE+-]+).*", "$1"));
                double perIteration = iterations > 1 ? (total - oneIteration) / (iterations - 1) : total;
                System.out.printf(Locale.ROOT, "RESULT\tkmeans-%s\t%d\t%.3f\t%d\t%.4f\t%.6g%n", name, threads, total,
                        iterations, perIteration, inertia);
            }
        }
        for (int states : new int[] { 4, 100 }) {
            int frames = 100_000_000;
            int[] s = new int[frames];
            SplittableRandom rng = new SplittableRandom(7);
            int state = 0;
            for (int i = 0; i < frames; i++) {
                if (rng.nextInt(20) == 0) {
                    state = rng.nextInt(states);
                }
                s[i] = state;
            }
            List<StateSequence> seq = new ArrayList<>(List.of(StateSequence.wrap(s, states, 1, "ps", "walk")));
            double best = Double.POSITIVE_INFINITY;
            long check = 0;
            for (int r = 0; r < 3; r++) {
                long t0 = System.nanoTime();
                long[][] c = TransitionCounts.count(seq, 1);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                check = 0;
                for (long[] row : c) {
                    for (long v : row) {
                        check += v;
                    }
                }
            }
            if (check != frames - 1) {
                throw new IllegalStateException("counted " + check + " transitions, expected " + (frames - 1));
            }
            System.out.printf(Locale.ROOT, "RESULT\tcount-1e8-%dstates\t1\t%.3f\t0\t0\t0%n", states, best);
        }
    }

    private static List<String> labels(int d) {
        List<String> l = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            l.add("f" + j);
        }
        return l;
    }

    /** n points from a mixture of {@code components} Gaussian blobs (standard deviation 1) with centers in [-10,10]^d. */
    static double[] mixture(int n, int d, int components, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] centers = new double[components][d];
        for (double[] c : centers) {
            for (int j = 0; j < d; j++) {
                c[j] = -10 + 20 * rng.nextDouble();
            }
        }
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            double[] c = centers[rng.nextInt(components)];
            for (int j = 0; j < d; j++) {
                x[i * d + j] = c[j] + rng.nextGaussian();
            }
        }
        return x;
    }

    static void write(Path file, double[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : data) {
                if (!buf.hasRemaining()) {
                    buf.flip();
                    ch.write(buf);
                    buf.clear();
                }
                buf.putDouble(v);
            }
            buf.flip();
            ch.write(buf);
        }
    }

    private PartitionBenchmark() {
    }
}
