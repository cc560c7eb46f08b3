package org.slowdyn.train.neural;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

import org.bytedeco.openblas.global.openblas_nolapack;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training of the embedding + LSTM layers + softmax network that {@link LstmTrainer} builds, with the forward pass
 * and back-propagation through time written out over contiguous float buffers instead of DL4J's layers, which spend
 * their time in ND4J's per-operation bookkeeping (about 40 operations per time step).
 * <p>
 * Per layer, the input projection of all frames of a batch is one matrix product; each time step is one product
 * with the recurrent weights forward and one backward, with the gate nonlinearities ({@link Activations}) and the
 * cell update fused in one pass over the step; the weight gradients are one product each over all frames. The
 * products go straight to ND4J's OpenBLAS {@code sgemm} on direct buffers (no copy through JNI). Softmax and
 * cross-entropy are fused, the embedding gradient is a scatter-add, and Adam updates the parameters in place.
 * <p>
 * The mathematics is DL4J's, so that DL4J stays the model format and the reference: gate layout
 * [block input (tanh) | forget | output | input], loss as DL4J's score (cross-entropy summed over the window,
 * averaged over the batch), L2 on the weights and not on the biases added before the updater, inverted dropout of
 * each LSTM layer's and the output layer's input, and Adam with DL4J's bias correction. The parameters and Adam's
 * moments are copied into the DL4J network (its parameters, its updater state and its iteration count) when it is
 * saved or asked for, and taken from it when training resumes; a checkpoint written by either resumes in the other.
 * <p>
 * Batches are cut into shards of {@link #SHARD} windows whose gradients are summed in a fixed order; the shards run
 * on up to {@code threads} threads. The result does not depend on the number of threads; dropout masks come from a
 * random stream per window and step, derived from the seed.
 */
final class FusedLstm implements SequenceNetwork {
    /** Windows per shard: the unit of parallel work and of memory. */
    static final int SHARD = 32;
    private static final double BETA1 = 0.9, BETA2 = 0.999, EPSILON = 1e-8;

    private final MultiLayerNetwork net;
    private final int vocabulary, embedding, units, layers;
    private final float l2;
    /** Probability of keeping a layer input (1: no dropout). */
    private final float keep;
    private final long seed;
    private final int threads;
    private double learningRate;
    /** Adam steps taken (DL4J's iteration count). */
    private long iteration;

    /** Offsets into the flat parameter array; matrices row-major: embedding V x E, W in x 4H, RW H x 4H, out H x V. */
    private final int embOffset, outOffset, outBiasOffset, count;
    private final int[] wOffset, rwOffset, biasOffset;
    /** [from, to) ranges of weights (L2 applies), not biases. */
    private final int[][] weightRanges;
    /** DL4J's flat index of each of our parameters. */
    private final int[] dl4jIndex;

    private final float[] params, gradient, m, v;
    /** The parameters in direct memory, for BLAS. */
    private final FloatBuffer direct;
    private final ConcurrentLinkedQueue<Shard> workspaces = new ConcurrentLinkedQueue<>();
    private int shardLength = -1;
    private float[][] shardGradients = new float[0][];

    FusedLstm(MultiLayerNetwork net, int vocabulary, int embedding, int units, int layers, double l2, double dropout,
            long seed, int threads) {
        this.net = net;
        this.vocabulary = vocabulary;
        this.embedding = embedding;
        this.units = units;
        this.layers = layers;
        this.l2 = (float) l2;
        this.keep = (float) (1 - dropout);
        this.seed = seed;
        this.threads = Math.max(1, threads);
        int g4 = 4 * units, at = 0;
        embOffset = at;
        at += vocabulary * embedding;
        wOffset = new int[layers];
        rwOffset = new int[layers];
        biasOffset = new int[layers];
        weightRanges = new int[layers + 2][];
        weightRanges[0] = new int[] { embOffset, at };
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? embedding : units;
            wOffset[l] = at;
            at += in * g4;
            rwOffset[l] = at;
            at += units * g4;
            weightRanges[l + 1] = new int[] { wOffset[l], at };
            biasOffset[l] = at;
            at += g4;
        }
        outOffset = at;
        at += units * vocabulary;
        weightRanges[layers + 1] = new int[] { outOffset, at };
        outBiasOffset = at;
        at += vocabulary;
        count = at;
        if (count != net.numParams()) {
            throw new IllegalStateException("LSTM layout: " + count + " parameters, DL4J has " + net.numParams());
        }
        params = new float[count];
        gradient = new float[count];
        m = new float[count];
        v = new float[count];
        direct = allocate(count);
        dl4jIndex = layoutOf(net);
        learningRate = net.getLearningRate(1);
        pull();
    }

    private static FloatBuffer allocate(long n) {
        if (n > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("buffer of " + n + " floats is too large");
        }
        return ByteBuffer.allocateDirect((int) (4 * n)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Where each of our parameters sits in DL4J's flat vector: found by filling that vector with 0, 1, 2, ... */
    private int[] layoutOf(MultiLayerNetwork net) {
        INDArray saved = net.params().dup();
        float[] ramp = new float[count];
        for (int i = 0; i < count; i++) {
            ramp[i] = i; // exact in float below 2^24 parameters
        }
        if (count >= 1 << 24) {
            throw new IllegalStateException("more than 2^24 parameters: " + count);
        }
        net.setParams(Nd4j.create(ramp, new long[] { 1, count }, 'c'));
        Map<String, INDArray> table = net.paramTable();
        int[] index = new int[count];
        fill(index, table.get("0_W"), embOffset);
        for (int l = 0; l < layers; l++) {
            fill(index, table.get((l + 1) + "_W"), wOffset[l]);
            fill(index, table.get((l + 1) + "_RW"), rwOffset[l]);
            fill(index, table.get((l + 1) + "_b"), biasOffset[l]);
        }
        fill(index, table.get((layers + 1) + "_W"), outOffset);
        fill(index, table.get((layers + 1) + "_b"), outBiasOffset);
        net.setParams(saved);
        boolean[] seen = new boolean[count];
        for (int i : index) {
            if (seen[i]) {
                throw new IllegalStateException("LSTM layout: DL4J parameter " + i + " mapped twice");
            }
            seen[i] = true;
        }
        return index;
    }

    private static void fill(int[] index, INDArray a, int offset) {
        float[] rowMajor = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
        for (int i = 0; i < rowMajor.length; i++) {
            index[offset + i] = (int) rowMajor[i];
        }
    }

    /** Parameters, Adam's moments and the step count from the DL4J network. */
    private void pull() {
        float[] flat = net.params().castTo(DataType.FLOAT).dup('c').data().asFloat();
        for (int i = 0; i < count; i++) {
            params[i] = flat[dl4jIndex[i]];
        }
        direct.put(0, params);
        float[] mFlat = new float[count], vFlat = new float[count];
        for (UpdaterBlock block : updaterBlocks()) {
            Map<String, INDArray> state = block.getGradientUpdater().getState();
            if (state == null || state.get("M") == null) {
                continue; // not initialised yet: zero moments
            }
            float[] bm = state.get("M").castTo(DataType.FLOAT).dup('c').data().asFloat();
            float[] bv = state.get("V").castTo(DataType.FLOAT).dup('c').data().asFloat();
            System.arraycopy(bm, 0, mFlat, (int) block.getParamOffsetStart(), bm.length);
            System.arraycopy(bv, 0, vFlat, (int) block.getParamOffsetStart(), bv.length);
        }
        for (int i = 0; i < count; i++) {
            m[i] = mFlat[dl4jIndex[i]];
            v[i] = vFlat[dl4jIndex[i]];
        }
        iteration = net.getLayerWiseConfigurations().getIterationCount();
    }

    /** Parameters, Adam's moments, the step count and the learning rate into the DL4J network. */
    private void push() {
        float[] flat = new float[count], mFlat = new float[count], vFlat = new float[count];
        for (int i = 0; i < count; i++) {
            flat[dl4jIndex[i]] = params[i];
            mFlat[dl4jIndex[i]] = m[i];
            vFlat[dl4jIndex[i]] = v[i];
        }
        net.setParams(Nd4j.create(flat, new long[] { 1, count }, 'c'));
        for (UpdaterBlock block : updaterBlocks()) {
            Map<String, INDArray> state = block.getGradientUpdater().getState();
            int from = (int) block.getParamOffsetStart(), to = (int) block.getParamOffsetEnd();
            state.get("M").assign(Nd4j.create(Arrays.copyOfRange(mFlat, from, to), state.get("M").shape(), 'c'));
            state.get("V").assign(Nd4j.create(Arrays.copyOfRange(vFlat, from, to), state.get("V").shape(), 'c'));
        }
        net.getLayerWiseConfigurations().setIterationCount((int) iteration);
        net.setLearningRate(learningRate);
    }

    private List<UpdaterBlock> updaterBlocks() {
        return ((BaseMultiLayerUpdater<?>) net.getUpdater(true)).getUpdaterBlocks();
    }

    /** The DL4J network with the current parameters and optimiser state. */
    MultiLayerNetwork network() {
        push();
        return net;
    }

    @Override
    public double fit(int[] windows, int batch, int length) {
        double loss = gradient(windows, batch, length, true);
        adam();
        return loss / ((double) batch * length);
    }

    /**
     * The gradient of DL4J's score without its L2 term (cross-entropy summed over each window, averaged over the
     * batch) plus the L2 term's gradient, into {@link #gradient}; returns the summed cross-entropy (nats).
     */
    double gradient(int[] windows, int batch, int length, boolean train) {
        int n = (batch + SHARD - 1) / SHARD;
        prepare(length);
        if (shardGradients.length < n) {
            shardGradients = new float[n][count];
        }
        double[] losses = new double[n];
        run(n, k -> {
            int from = k * SHARD, to = Math.min(batch, from + SHARD);
            Shard s = take();
            try {
                losses[k] = s.forward(windows, from, to, batch, train, null);
                s.backward();
                s.gradient.get(0, shardGradients[k], 0, count);
            } finally {
                workspaces.add(s);
            }
        });
        // the shards' gradients in shard order: the sum does not depend on which thread ran which shard
        Arrays.fill(gradient, 0f);
        double loss = 0;
        for (int k = 0; k < n; k++) {
            loss += losses[k];
            float[] g = shardGradients[k];
            for (int i = 0; i < count; i++) {
                gradient[i] += g[i];
            }
        }
        if (l2 > 0) {
            for (int[] r : weightRanges) {
                for (int i = r[0]; i < r[1]; i++) {
                    gradient[i] += l2 * params[i];
                }
            }
        }
        return loss;
    }

    /** Adam with DL4J's bias correction, in place; then the direct copy of the parameters. */
    private void adam() {
        double b1 = 1 - Math.pow(BETA1, iteration + 1), b2 = 1 - Math.pow(BETA2, iteration + 1);
        float alpha = (float) (learningRate * Math.sqrt(b2) / b1);
        float beta1 = (float) BETA1, beta2 = (float) BETA2, eps = (float) EPSILON;
        for (int i = 0; i < count; i++) {
            float g = gradient[i];
            float mi = beta1 * m[i] + (1 - beta1) * g;
            float vi = beta2 * v[i] + (1 - beta2) * g * g;
            m[i] = mi;
            v[i] = vi;
            params[i] -= alpha * mi / ((float) Math.sqrt(vi) + eps);
        }
        iteration++;
        direct.put(0, params);
    }

    @Override
    public float[] probabilities(int[] windows, int batch, int length) {
        int n = (batch + SHARD - 1) / SHARD;
        prepare(length);
        float[] out = new float[batch * length * vocabulary];
        run(n, k -> {
            Shard s = take();
            try {
                s.forward(windows, k * SHARD, Math.min(batch, k * SHARD + SHARD), batch, false, out);
            } finally {
                workspaces.add(s);
            }
        });
        return out;
    }

    /** Runs tasks 0..n-1, on up to {@code threads} threads when there is more than one. */
    private void run(int n, IntConsumer task) {
        int t = Math.min(threads, n);
        if (t <= 1) {
            for (int k = 0; k < n; k++) {
                task.accept(k);
            }
            return;
        }
        ForkJoinPool pool = new ForkJoinPool(t);
        try {
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(task)).join();
        } finally {
            pool.shutdown();
        }
    }

    private Shard take() {
        Shard s = workspaces.poll();
        return s != null ? s : new Shard(SHARD, shardLength);
    }

    /** Workspaces for shards of windows of {@code length} frames (made as threads need them, then reused). */
    private void prepare(int length) {
        if (length != shardLength) {
            workspaces.clear();
            shardLength = length;
        }
    }

    @Override
    public float[] parameters() {
        return network().params().castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    @Override
    public void setParameters(float[] parameters) {
        net.setParams(Nd4j.create(parameters, new long[] { 1, parameters.length }, 'c'));
        float[] flat = parameters;
        for (int i = 0; i < count; i++) {
            params[i] = flat[dl4jIndex[i]];
        }
        direct.put(0, params);
    }

    @Override
    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    @Override
    public void save(Path file, boolean updater) throws IOException {
        ModelSerializer.writeModel(network(), file.toFile(), updater);
    }

    /** The gradient of the last {@link #gradient} call, as DL4J's flat vector. */
    float[] dl4jGradient() {
        float[] flat = new float[count];
        for (int i = 0; i < count; i++) {
            flat[dl4jIndex[i]] = gradient[i];
        }
        return flat;
    }

    /** out (rows x n) = alpha x (rows x k) w (k x n) + beta out, row-major, on direct buffers at offsets. */
    private static void gemm(boolean transX, boolean transW, int rows, int n, int k, float alpha, FloatBuffer x,
            int xOff, FloatBuffer w, int wOff, float beta, FloatBuffer out, int outOff) {
        openblas_nolapack.cblas_sgemm(CblasRowMajor, transX ? CblasTrans : CblasNoTrans,
                transW ? CblasTrans : CblasNoTrans, rows, n, k, alpha, at(x, xOff), transX ? rows : k, at(w, wOff),
                transW ? k : n, beta, at(out, outOff), n);
    }

    private static FloatBuffer at(FloatBuffer b, int offset) {
        return b.duplicate().position(offset);
    }

    /** The workspace of one shard: activations of every frame, kept for the backward pass. */
    private final class Shard {
        final int capacity, length;
        /** Windows in the current shard, the whole batch's size (the loss is averaged over it) and the token ids. */
        int size, batch;
        int[] tokens;
        boolean train;
        long step;
        int first;
        final FloatBuffer gradient;
        final FloatBuffer ones;
        /** Layer 0's input: embedding rows per frame (row t * size + b). */
        final FloatBuffer x0;
        /** Gate pre-activations of all frames of one layer, then their gradients. */
        final FloatBuffer pre;
        /** Per layer: hidden states, slot 0 zeros and slot t + 1 after frame t (rows of H). */
        final FloatBuffer[] h;
        /** Per layer: the (dropped-out) input of layers 1.. and of the output layer. */
        final FloatBuffer[] input;
        final float[][] mask;
        /** Per layer: gate activations [a | f | o | i] per frame, cells (slot 0 zeros), tanh of the cells. */
        final float[][] act, cell, cellTanh;
        final FloatBuffer logits, dTop, dX;
        final float[] probs, gates, row, dh, dcNext, dg;
        final FloatBuffer dhRec;

        Shard(int capacity, int length) {
            this.capacity = capacity;
            this.length = length;
            int rows = capacity * length, g4 = 4 * units;
            gradient = allocate(count);
            ones = allocate(rows);
            for (int i = 0; i < rows; i++) {
                ones.put(i, 1f);
            }
            x0 = allocate((long) rows * embedding);
            pre = allocate((long) rows * g4);
            h = new FloatBuffer[layers];
            input = new FloatBuffer[layers + 1];
            mask = new float[layers + 1][];
            act = new float[layers][];
            cell = new float[layers][];
            cellTanh = new float[layers][];
            for (int l = 0; l < layers; l++) {
                h[l] = allocate((long) (rows + capacity) * units);
                act[l] = new float[rows * g4];
                cell[l] = new float[(rows + capacity) * units];
                cellTanh[l] = new float[rows * units];
            }
            if (keep < 1) {
                for (int l = 0; l <= layers; l++) {
                    int in = l == 0 ? embedding : units;
                    mask[l] = new float[rows * in];
                    if (l > 0) {
                        input[l] = allocate((long) rows * in);
                    }
                }
            }
            logits = allocate((long) rows * vocabulary);
            probs = new float[rows * vocabulary];
            dTop = allocate((long) rows * units);
            dX = allocate((long) rows * Math.max(embedding, units));
            gates = new float[capacity * g4];
            row = new float[Math.max(embedding, capacity * units)];
            dh = new float[capacity * units];
            dcNext = new float[capacity * units];
            dg = new float[capacity * g4];
            dhRec = allocate((long) capacity * units);
        }

        /**
         * Forward pass of windows [from, to) of the batch; returns their summed cross-entropy. With {@code out},
         * writes the probabilities there (batch x length x V) and keeps nothing for a backward pass.
         */
        double forward(int[] windows, int from, int to, int batch, boolean train, float[] out) {
            this.size = to - from;
            this.batch = batch;
            this.tokens = windows;
            this.first = from;
            this.train = train && keep < 1;
            int n = size, rows = n * length, g4 = 4 * units, w = length + 1;
            step = iteration;
            if (this.train) {
                masks(from);
            }
            // layer 0's input: the embedding row of each frame's token (dropped out)
            for (int t = 0; t < length; t++) {
                for (int b = 0; b < n; b++) {
                    int token = windows[(from + b) * w + t];
                    int r = t * n + b;
                    if (this.train) {
                        float[] mk = mask[0];
                        for (int e = 0; e < embedding; e++) {
                            row[e] = params[embOffset + token * embedding + e] * mk[r * embedding + e];
                        }
                        x0.put(r * embedding, row, 0, embedding);
                    } else {
                        x0.put(r * embedding, params, embOffset + token * embedding, embedding);
                    }
                }
            }
            FloatBuffer in = x0;
            int inOffset = 0, inWidth = embedding;
            for (int l = 0; l < layers; l++) {
                // all frames' input projections and biases at once
                gemm(false, false, rows, g4, 1, 1f, ones, 0, direct, biasOffset[l], 0f, pre, 0);
                gemm(false, false, rows, g4, inWidth, 1f, in, inOffset, direct, wOffset[l], 1f, pre, 0);
                float[] a = act[l], c = cell[l], tc = cellTanh[l];
                FloatBuffer hl = h[l];
                Arrays.fill(c, 0, n * units, 0f);
                for (int i = 0; i < n * units; i++) {
                    hl.put(i, 0f);
                }
                for (int t = 0; t < length; t++) {
                    int preRow = t * n * g4;
                    if (t > 0) {
                        gemm(false, false, n, g4, units, 1f, hl, t * n * units, direct, rwOffset[l], 1f, pre, preRow);
                    }
                    pre.get(preRow, gates, 0, n * g4);
                    for (int b = 0; b < n; b++) {
                        int o = b * g4, ao = preRow + o;
                        Activations.tanh(gates, o, a, ao, units);
                        Activations.sigmoid(gates, o + units, a, ao + units, 3 * units);
                        int cPrev = (t * n + b) * units, cNow = cPrev + n * units;
                        for (int j = 0; j < units; j++) {
                            c[cNow + j] = a[ao + units + j] * c[cPrev + j] + a[ao + 3 * units + j] * a[ao + j];
                        }
                        int tco = (t * n + b) * units;
                        Activations.tanh(c, cNow, tc, tco, units);
                        for (int j = 0; j < units; j++) {
                            row[b * units + j] = a[ao + 2 * units + j] * tc[tco + j];
                        }
                    }
                    hl.put((t + 1) * n * units, row, 0, n * units);
                }
                // the next layer's (or the output layer's) input: frames 1.. of h, dropped out
                if (this.train) {
                    in = dropped(l + 1, hl, rows);
                    inOffset = 0;
                } else {
                    in = hl;
                    inOffset = n * units;
                }
                inWidth = units;
            }
            gemm(false, false, rows, vocabulary, 1, 1f, ones, 0, direct, outBiasOffset, 0f, logits, 0);
            gemm(false, false, rows, vocabulary, units, 1f, in, inOffset, direct, outOffset, 1f, logits, 0);
            logits.get(0, probs, 0, rows * vocabulary);
            double loss = 0;
            float scale = 1f / batch;
            for (int t = 0; t < length; t++) {
                for (int b = 0; b < n; b++) {
                    int r = (t * n + b) * vocabulary;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int k = 0; k < vocabulary; k++) {
                        max = Math.max(max, probs[r + k]);
                    }
                    double sum = 0;
                    for (int k = 0; k < vocabulary; k++) {
                        sum += Math.exp(probs[r + k] - max);
                    }
                    int target = windows[(from + b) * w + t + 1];
                    double logSum = Math.log(sum) + max;
                    loss += logSum - probs[r + target];
                    for (int k = 0; k < vocabulary; k++) {
                        float p = (float) Math.exp(probs[r + k] - logSum);
                        if (out != null) {
                            out[((from + b) * length + t) * vocabulary + k] = p;
                        }
                        probs[r + k] = (p - (k == target ? 1f : 0f)) * scale;
                    }
                }
            }
            // kept for backward: the output layer's input
            outInput = in;
            outInputOffset = inOffset;
            return loss;
        }

        FloatBuffer outInput;
        int outInputOffset;

        /** Dropout masks of this step's windows: one stream per window, a function of the seed and the step. */
        private void masks(int from) {
            int n = size;
            for (int b = 0; b < n; b++) {
                SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (step + 1))
                        ^ (0xC2B2AE3D27D4EB4FL * (from + b + 1)));
                for (int l = 0; l <= layers; l++) {
                    int width = l == 0 ? embedding : units;
                    float[] mk = mask[l];
                    for (int t = 0; t < length; t++) {
                        int r = (t * n + b) * width;
                        for (int e = 0; e < width; e++) {
                            mk[r + e] = rng.nextDouble() < keep ? 1f / keep : 0f;
                        }
                    }
                }
            }
        }

        /** Frames 1.. of the hidden states {@code hl}, times the dropout mask of input {@code l}. */
        private FloatBuffer dropped(int l, FloatBuffer hl, int rows) {
            FloatBuffer target = input[l];
            float[] mk = mask[l];
            int n = size;
            for (int r = 0; r < rows; r += n) {
                hl.get(n * units + r * units, row, 0, n * units);
                for (int i = 0; i < n * units; i++) {
                    row[i] *= mk[r * units + i];
                }
                target.put(r * units, row, 0, n * units);
            }
            return target;
        }

        /** Back-propagation through time of the last forward pass; gradients into {@link #gradient}. */
        void backward() {
            int n = size, rows = n * length, g4 = 4 * units;
            for (int i = 0; i < count; i++) {
                gradient.put(i, 0f);
            }
            logits.put(0, probs, 0, rows * vocabulary); // now d loss / d logits
            FloatBuffer outIn = outInput;
            gemm(true, false, units, vocabulary, rows, 1f, outIn, outInputOffset, logits, 0, 1f, gradient, outOffset);
            gemm(true, false, 1, vocabulary, rows, 1f, ones, 0, logits, 0, 1f, gradient, outBiasOffset);
            gemm(false, true, rows, units, vocabulary, 1f, logits, 0, direct, outOffset, 0f, dTop, 0);
            if (train) {
                unmask(layers, dTop, rows, units);
            }
            for (int l = layers - 1; l >= 0; l--) {
                float[] a = act[l], c = cell[l], tc = cellTanh[l];
                Arrays.fill(dcNext, 0, n * units, 0f);
                for (int t = length - 1; t >= 0; t--) {
                    dTop.get(t * n * units, dh, 0, n * units);
                    if (t < length - 1) {
                        dhRec.get(0, row, 0, n * units);
                        for (int i = 0; i < n * units; i++) {
                            dh[i] += row[i];
                        }
                    }
                    for (int b = 0; b < n; b++) {
                        int ao = (t * n + b) * g4, o = b * g4, u = b * units;
                        int cPrev = (t * n + b) * units, tco = cPrev;
                        for (int j = 0; j < units; j++) {
                            float gA = a[ao + j], gF = a[ao + units + j], gO = a[ao + 2 * units + j],
                                    gI = a[ao + 3 * units + j];
                            float tcj = tc[tco + j], dhj = dh[u + j];
                            float dc = dcNext[u + j] + dhj * gO * (1 - tcj * tcj);
                            dg[o + j] = dc * gI * (1 - gA * gA);
                            dg[o + units + j] = dc * c[cPrev + j] * gF * (1 - gF);
                            dg[o + 2 * units + j] = dhj * tcj * gO * (1 - gO);
                            dg[o + 3 * units + j] = dc * gA * gI * (1 - gI);
                            dcNext[u + j] = dc * gF;
                        }
                    }
                    pre.put(t * n * g4, dg, 0, n * g4);
                    if (t > 0) {
                        gemm(false, true, n, units, g4, 1f, pre, t * n * g4, direct, rwOffset[l], 0f, dhRec, 0);
                    }
                }
                // weight gradients over all frames: recurrent (h of the previous frame), bias, input
                gemm(true, false, units, g4, rows, 1f, h[l], 0, pre, 0, 1f, gradient, rwOffset[l]);
                gemm(true, false, 1, g4, rows, 1f, ones, 0, pre, 0, 1f, gradient, biasOffset[l]);
                int inWidth = l == 0 ? embedding : units;
                FloatBuffer in = l == 0 ? x0 : train ? input[l] : h[l - 1];
                int inOffset = l == 0 || train ? 0 : n * units;
                gemm(true, false, inWidth, g4, rows, 1f, in, inOffset, pre, 0, 1f, gradient, wOffset[l]);
                if (l > 0) {
                    gemm(false, true, rows, units, g4, 1f, pre, 0, direct, wOffset[l], 0f, dTop, 0);
                    if (train) {
                        unmask(l, dTop, rows, units);
                    }
                } else {
                    // the embedding: each frame's input gradient added to its token's row
                    gemm(false, true, rows, embedding, g4, 1f, pre, 0, direct, wOffset[0], 0f, dX, 0);
                    float[] rowGrad = new float[embedding];
                    float[] embGrad = new float[vocabulary * embedding];
                    int w = length + 1;
                    for (int t = 0; t < length; t++) {
                        for (int b = 0; b < n; b++) {
                            int r = t * n + b;
                            int token = tokens[(first + b) * w + t];
                            dX.get(r * embedding, rowGrad, 0, embedding);
                            for (int e = 0; e < embedding; e++) {
                                embGrad[token * embedding + e] += train ? rowGrad[e] * mask[0][r * embedding + e]
                                        : rowGrad[e];
                            }
                        }
                    }
                    gradient.put(embOffset, embGrad);
                }
            }
        }

        /** Multiplies a gradient (rows x width) by the dropout mask of input {@code l}. */
        private void unmask(int l, FloatBuffer g, int rows, int width) {
            float[] mk = mask[l];
            int n = size;
            for (int r = 0; r < rows; r += n) {
                g.get(r * width, row, 0, n * width);
                for (int i = 0; i < n * width; i++) {
                    row[i] *= mk[r * width + i];
                }
                g.put(r * width, row, 0, n * width);
            }
        }
    }
}
