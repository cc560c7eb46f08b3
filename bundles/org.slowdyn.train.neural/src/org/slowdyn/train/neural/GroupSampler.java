package org.slowdyn.train.neural;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * Generation for the neural language models: trajectories advance one frame per step in groups, each group keeping
 * its network state, groups in parallel on a thread pool. The prefix of each trajectory is fed first (teacher
 * forcing); then each next frame is sampled at the temperature from the softmax over the vocabulary, so no state
 * outside it can appear. Each trajectory draws from its own random stream.
 */
public abstract class GroupSampler {
    private final int vocabulary;

    protected GroupSampler(int vocabulary) {
        this.vocabulary = vocabulary;
    }

    public int vocabulary() {
        return vocabulary;
    }

    /**
     * The group size when the setting leaves it to the sampler: 64 (groups of a few dozen share their matrix products
     * well, and several groups keep the threads busy).
     */
    protected int preferredGroup() {
        return 64;
    }

    /** The network state of a group of trajectories. */
    protected abstract static class State {
        protected final int size;
        /** After a step: next-frame scores (logits), size x vocabulary. */
        protected final float[] logits;

        protected State(int size, int vocabulary) {
            this.size = size;
            this.logits = new float[size * vocabulary];
        }

        /** Feeds one frame per trajectory of the group. */
        protected abstract void step(int[] tokens);
    }

    /** A fresh state for a group of {@code size} trajectories. */
    protected abstract State state(int size);

    /** Next-frame probabilities at temperature 1 after each frame of {@code tokens} (frames x V), for tests. */
    double[][] probabilities(int[] tokens) {
        State s = state(1);
        double[][] p = new double[tokens.length][];
        for (int t = 0; t < tokens.length; t++) {
            s.step(new int[] { tokens[t] });
            p[t] = softmax(s.logits, 0, 1.0);
        }
        return p;
    }

    double[] softmax(float[] logits, int offset, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocabulary; v++) {
            max = Math.max(max, logits[offset + v]);
        }
        double[] p = new double[vocabulary];
        double sum = 0;
        for (int v = 0; v < vocabulary; v++) {
            p[v] = Math.exp((logits[offset + v] - max) / temperature);
            sum += p[v];
        }
        for (int v = 0; v < vocabulary; v++) {
            p[v] /= sum;
        }
        return p;
    }

    /**
     * Generates trajectories that start with the given prefixes and go on to {@code length} frames.
     *
     * @param streams   one random stream per trajectory
     * @param group     most trajectories per group; groups are of equal size within one (the grouping depends on
     *                  this and the number of trajectories only)
     * @param cancelled polled between steps; true stops with null
     * @param done      counts generated frames, for progress
     */
    int[][] generate(List<int[]> prefixes, int length, SplittableRandom[] streams, double temperature, int group,
            int threads, BooleanSupplier cancelled, AtomicLong done) {
        int n = prefixes.size();
        int[][] out = new int[n][];
        int groups = (n + group - 1) / group;
        int per = (n + groups - 1) / groups; // balanced: 100 trajectories in groups of at most 64 are two of 50
        AtomicBoolean stop = new AtomicBoolean();
        Runnable work = () -> IntStream.range(0, groups).parallel().forEach(b -> {
            int from = b * per, to = Math.min(n, from + per);
            int size = to - from;
            State s = state(size);
            int[][] traj = new int[size][];
            for (int g = 0; g < size; g++) {
                traj[g] = java.util.Arrays.copyOf(prefixes.get(from + g), length);
            }
            int[] tokens = new int[size];
            for (int t = 0; t < length - 1; t++) {
                if (stop.get() || (t % 64 == 0 && cancelled.getAsBoolean())) {
                    stop.set(true);
                    return;
                }
                for (int g = 0; g < size; g++) {
                    tokens[g] = traj[g][t];
                }
                s.step(tokens);
                for (int g = 0; g < size; g++) {
                    if (t + 1 >= prefixes.get(from + g).length) {
                        traj[g][t + 1] = sample(s.logits, g * vocabulary, temperature, streams[from + g]);
                    }
                }
                done.addAndGet(size);
            }
            for (int g = 0; g < size; g++) {
                out[from + g] = traj[g];
            }
        });
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(Math.max(1, threads));
        try {
            pool.submit(work).join();
        } finally {
            pool.shutdown();
        }
        return stop.get() ? null : out;
    }

    private int sample(float[] logits, int offset, double temperature, SplittableRandom rng) {
        double[] p = softmax(logits, offset, temperature);
        double u = rng.nextDouble(), sum = 0;
        for (int v = 0; v < vocabulary - 1; v++) {
            sum += p[v];
            if (u < sum) {
                return v;
            }
        }
        return vocabulary - 1;
    }
}
