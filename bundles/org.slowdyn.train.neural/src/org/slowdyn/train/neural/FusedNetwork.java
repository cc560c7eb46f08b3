package org.slowdyn.train.neural;

import java.nio.FloatBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.IntConsumer;

/**
 * What the fused training passes share: the parameters with Adam's moments (in Java arrays, and the parameters also in
 * direct memory for BLAS), batches cut into shards of windows whose gradients are summed in shard order, shard
 * workspaces reused across batches, and a pool of worker threads. Subclasses supply the network's forward and backward
 * pass over one shard ({@link Workspace}).
 */
abstract class FusedNetwork implements SequenceNetwork {
    /** The pass over one shard: forward (returns the summed cross-entropy), then backward into {@link #gradient()}. */
    interface Workspace {
        double forward(int[] windows, int from, int to, int batch, boolean train, float[] out);

        void backward();

        FloatBuffer gradient();
    }

    protected final int count, threads, shardSize;
    protected final float[] params, gradient, m, v;
    /** The parameters in direct memory, for BLAS. */
    protected final FloatBuffer direct;
    protected double learningRate;
    /** Adam steps taken (the frameworks' iteration count). */
    protected long iteration;
    private final String threadName;
    private final ConcurrentLinkedQueue<Workspace> workspaces = new ConcurrentLinkedQueue<>();
    private int workspaceLength = -1;
    private float[][] shardGradients = new float[0][];
    private ForkJoinPool pool;

    FusedNetwork(int count, int threads, int shardSize, String threadName) {
        this.count = count;
        this.threads = Math.max(1, threads);
        this.shardSize = shardSize;
        this.threadName = threadName;
        params = new float[count];
        gradient = new float[count];
        m = new float[count];
        v = new float[count];
        direct = Fused.allocate(count);
    }

    /** A workspace for shards of up to {@code capacity} windows of {@code length} frames. */
    protected abstract Workspace workspace(int capacity, int length);

    protected abstract int vocabulary();

    /**
     * The gradient of the loss summed over the batch's shards into {@link #gradient} (in shard order: the sum does not
     * depend on which thread ran which shard); returns the summed cross-entropy (nats).
     */
    protected double shardGradients(int[] windows, int batch, int length, boolean train) {
        int n = (batch + shardSize - 1) / shardSize;
        prepare(length);
        if (shardGradients.length < n) {
            shardGradients = new float[n][count];
        }
        double[] losses = new double[n];
        run(n, k -> {
            Workspace s = take();
            try {
                losses[k] = s.forward(windows, k * shardSize, Math.min(batch, k * shardSize + shardSize), batch, train,
                        null);
                s.backward();
                s.gradient().get(0, shardGradients[k], 0, count);
            } finally {
                workspaces.add(s);
            }
        });
        Fused.sum(shardGradients, n, gradient);
        double loss = 0;
        for (int k = 0; k < n; k++) {
            loss += losses[k];
        }
        return loss;
    }

    /** Adam in place (ND4J's, see {@link Fused#adam}); then the direct copy of the parameters. */
    protected void adam() {
        Fused.adam(params, gradient, m, v, learningRate, iteration);
        iteration++;
        direct.put(0, params);
    }

    @Override
    public float[] probabilities(int[] windows, int batch, int length) {
        int n = (batch + shardSize - 1) / shardSize;
        prepare(length);
        float[] out = new float[batch * length * vocabulary()];
        run(n, k -> {
            Workspace s = take();
            try {
                s.forward(windows, k * shardSize, Math.min(batch, k * shardSize + shardSize), batch, false, out);
            } finally {
                workspaces.add(s);
            }
        });
        return out;
    }

    @Override
    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    /** Runs tasks 0..n-1 (shards), on up to {@code threads} threads when there is more than one. */
    protected void run(int n, IntConsumer task) {
        if (threads <= 1) {
            for (int k = 0; k < n; k++) {
                task.accept(k);
            }
            return;
        }
        pool().submit(() -> parallel(n, task)).join();
    }

    /**
     * Runs tasks 0..n-1 and returns when all are done: in the pool's threads when called from one (shards and the
     * blocks of a shard nest), else in the calling thread.
     */
    protected void parallel(int n, IntConsumer task) {
        if (n == 1 || threads <= 1 || !(Thread.currentThread() instanceof ForkJoinWorkerThread)) {
            for (int k = 0; k < n; k++) {
                task.accept(k);
            }
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[n];
        for (int k = 0; k < n; k++) {
            int index = k;
            tasks[k] = ForkJoinTask.adapt(() -> task.accept(index));
        }
        ForkJoinTask.invokeAll(tasks);
    }

    private synchronized ForkJoinPool pool() {
        if (pool == null) {
            pool = Fused.pool(threads, threadName);
        }
        return pool;
    }

    private Workspace take() {
        Workspace s = workspaces.poll();
        return s != null ? s : workspace(shardSize, workspaceLength);
    }

    /** Workspaces for windows of {@code length} frames (made as threads need them, then reused). */
    private void prepare(int length) {
        if (length != workspaceLength) {
            workspaces.clear();
            workspaceLength = length;
        }
    }
}
