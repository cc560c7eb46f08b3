package org.slowdyn.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.bytedeco.openblas.global.openblas_nolapack;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.train.neural.LstmTrainer;
import org.slowdyn.train.neural.TransformerTrainer;

/**
 * Training and generation speed of the LSTM trainer at the Tsai size (embedding 8, 64 units) and the Zeng size
 * (embedding 128, 1024 units), and of the Transformer trainer at its default size ("gpt": width 64, 4 heads, 2 blocks,
 * context 100), 4 states, windows of 100 frames, batches of 64. Prints RESULT lines: case, size, threads, seconds per
 * unit, units per second. Training is timed by the epoch's seconds in the training log.
 *
 *   NeuralBenchmark THREADS
 */
public final class NeuralBenchmark {
    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        peak(threads);
        for (String size : new String[] { "tsai", "zeng" }) {
            boolean zeng = size.equals("zeng");
            Settings s = LstmTrainer.SCHEMA.defaults().edit().set(LstmTrainer.EMBEDDING, zeng ? 128 : 8)
                    .set(LstmTrainer.UNITS, zeng ? 1024 : 64).set(LstmTrainer.VALIDATION_FRACTION, 0.0)
                    .set(LstmTrainer.THREADS, threads).set(LstmTrainer.EPOCHS, 1).done();
            // training: a warm-up epoch of as many batches as the timed one (the JIT reaches steady state), then one timed
            // epoch over 64 x (zeng ? 3 : 40) windows of 100 frames
            int batches = zeng ? 3 : 40;
            List<StateSequence> data = chain(64 * batches, 101, 1);
            new LstmTrainer().train(chain(64 * batches, 101, 2), s, 1, null);
            KineticModel model = new LstmTrainer().train(data, s, 1, null);
            double seconds = epochSeconds(model);
            long t0;
            double sequences = 64.0 * batches;
            System.out.printf(Locale.ROOT, "RESULT\ttrain-sequences\t%s\t%d\t%.4f\t%.1f%n", size, threads,
                    seconds / sequences, sequences / seconds);
            if (!zeng) {
                // the same training with DL4J's own layers, for the record
                Settings d = s.edit().set(LstmTrainer.ENGINE, "dl4j").done();
                List<StateSequence> few = chain(64 * 4, 101, 1);
                new LstmTrainer().train(few, d, 1, null);
                seconds = epochSeconds(new LstmTrainer().train(few, d, 1, null));
                System.out.printf(Locale.ROOT, "RESULT\ttrain-dl4j\t%s\t%d\t%.4f\t%.1f%n", size, threads,
                        seconds / 256, 256 / seconds);
            }
            // generation: one trajectory token by token, and 100 trajectories side by side
            for (int parallel : new int[] { 1, 100 }) {
                int length = zeng ? (parallel == 1 ? 300 : 100) : (parallel == 1 ? 20_000 : 2_000);
                List<int[]> prefixes = new ArrayList<>();
                for (int i = 0; i < parallel; i++) {
                    prefixes.add(new int[] { i % 4 });
                }
                model.generate(prefixes, length, 3, 1.0, null); // warm-up: the same run
                t0 = System.nanoTime();
                model.generate(prefixes, length, 3, 1.0, null);
                seconds = (System.nanoTime() - t0) / 1e9;
                double tokens = (double) parallel * (length - 1);
                System.out.printf(Locale.ROOT, "RESULT\tgenerate-%d\t%s\t%d\t%.4g\t%.1f%n", parallel, size, threads,
                        seconds / tokens, tokens / seconds);
            }
        }
        transformer(threads);
    }

    /**
     * The training time: the epoch's seconds as the trainer's log records them (shuffling, the gradient steps; not
     * building the network or the model afterwards), as the PyTorch scripts time their epoch loop.
     */
    private static double epochSeconds(KineticModel model) {
        return model.trainingLog().orElseThrow().epochs().get(0).seconds();
    }

    /** The practical peak: a large sgemm of ND4J's OpenBLAS on direct buffers, on {@code threads} Java threads. */
    private static void peak(int threads) {
        int m = 1024, n = 4096, k = 6400;
        java.nio.FloatBuffer[][] bufs = new java.nio.FloatBuffer[threads][];
        for (int t = 0; t < threads; t++) {
            bufs[t] = new java.nio.FloatBuffer[] { buffer(m * k), buffer(k * n), buffer(m * n) };
        }
        double seconds = 0;
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            java.util.stream.IntStream.range(0, threads).parallel().forEach(t -> openblas_nolapack.cblas_sgemm(
                    openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans, openblas_nolapack.CblasNoTrans, m,
                    n, k, 1f, bufs[t][0], k, bufs[t][1], n, 0f, bufs[t][2], n));
            seconds = (System.nanoTime() - t0) / 1e9;
        }
        double flops = 2.0 * m * n * k * threads;
        System.out.printf(Locale.ROOT, "RESULT\tpeak\tsgemm\t%d\t%.4g\t%.1f%n", threads, seconds, flops / seconds / 1e9);
    }

    private static java.nio.FloatBuffer buffer(int n) {
        java.nio.FloatBuffer b = java.nio.ByteBuffer.allocateDirect(4 * n).order(java.nio.ByteOrder.nativeOrder())
                .asFloatBuffer();
        for (int i = 0; i < n; i++) {
            b.put(i, (i % 7) * 0.1f);
        }
        return b;
    }

    private static void transformer(int threads) {
        Settings s = TransformerTrainer.SCHEMA.defaults().edit().set(TransformerTrainer.VALIDATION_FRACTION, 0.0)
                .set(TransformerTrainer.THREADS, threads).set(TransformerTrainer.EPOCHS, 1).done();
        int batches = 20;
        new TransformerTrainer().train(chain(64 * batches, 101, 2), s, 1, null); // warm-up: as many batches
        KineticModel model = new TransformerTrainer().train(chain(64 * batches, 101, 1), s, 1, null);
        double seconds = epochSeconds(model);
        long t0;
        double tokens = 64.0 * batches * 100;
        System.out.printf(Locale.ROOT, "RESULT\ttrain-tokens\tgpt\t%d\t%.4g\t%.1f%n", threads, seconds / tokens,
                tokens / seconds);
        for (int parallel : new int[] { 1, 100 }) {
            int length = parallel == 1 ? 1000 : 2000;
            List<int[]> prefixes = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                prefixes.add(new int[] { i % 4 });
            }
            model.generate(prefixes, length, 3, 1.0, null); // warm-up: the same run
            t0 = System.nanoTime();
            model.generate(prefixes, length, 3, 1.0, null);
            seconds = (System.nanoTime() - t0) / 1e9;
            double generated = (double) parallel * (length - 1);
            System.out.printf(Locale.ROOT, "RESULT\tgenerate-%d\tgpt\t%d\t%.4g\t%.1f%n", parallel, threads,
                    seconds / generated, generated / seconds);
        }
    }

    /** Trajectories of a 4-state birth-death chain. */
    static List<StateSequence> chain(int trajectories, int length, long seed) {
        double[][] t = { { 0.9, 0.1, 0, 0 }, { 0.05, 0.9, 0.05, 0 }, { 0, 0.05, 0.9, 0.05 }, { 0, 0, 0.1, 0.9 } };
        SplittableRandom rng = new SplittableRandom(seed);
        List<StateSequence> out = new ArrayList<>();
        for (int k = 0; k < trajectories; k++) {
            int[] x = new int[length];
            x[0] = rng.nextInt(4);
            for (int i = 1; i < length; i++) {
                double u = rng.nextDouble(), c = 0;
                int j = 0;
                for (; j < 3; j++) {
                    c += t[x[i - 1]][j];
                    if (u < c) {
                        break;
                    }
                }
                x[i] = j;
            }
            out.add(StateSequence.wrap(x, 4, 1.0, "ps", "chain " + k));
        }
        return out;
    }
}
