package org.slowdyn.train.neural;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slowdyn.core.ConfigurationException;

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
final class FusedLstm extends FusedNetwork {
    /** Windows per shard (the unit of parallel work and of memory) for small layers; {@link #WIDE} layers take 64. */
    static final int SHARD = 32;
    /**
     * From this many units on, each step's products and gates are split into two blocks of units that run in parallel
     * (measured: a 64 x 2048 x 1024 product runs at 114 GFLOP/s on one core, a 32 x 4096 x 1024 one at 62), and
     * shards hold 64 windows.
     */
    static final int WIDE = 256;

    private final MultiLayerNetwork net;
    private final int vocabulary, embedding, units, layers;
    private final float l2;
    /** Probability of keeping a layer input (1: no dropout). */
    private final float keep;
    private final long seed;
    /** Unit blocks (a function of the size only, so that results do not depend on the threads), units per block. */
    private final int blocks, blockUnits;

    /** Offsets into the flat parameter array; matrices row-major: embedding V x E, W in x 4H, RW H x 4H, out H x V. */
    private final int embOffset, outOffset, outBiasOffset;
    private final int[] wOffset, rwOffset, biasOffset;
    /** [from, to) ranges of weights (L2 applies), not biases. */
    private final int[][] weightRanges;
    /** DL4J's flat index of each of our parameters. */
    private final int[] dl4jIndex;

    FusedLstm(MultiLayerNetwork net, int vocabulary, int embedding, int units, int layers, double l2, double dropout,
            long seed, int threads) {
        super((int) net.numParams(), threads, units >= WIDE && units % 2 == 0 ? 2 * SHARD : SHARD, "slowdyn-lstm");
        this.net = net;
        this.vocabulary = vocabulary;
        this.embedding = embedding;
        this.units = units;
        this.layers = layers;
        this.l2 = (float) l2;
        this.keep = (float) (1 - dropout);
        this.seed = seed;
        this.blocks = units >= WIDE && units % 2 == 0 ? 2 : 1;
        this.blockUnits = units / blocks;
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
        if (at != count) {
            throw new IllegalStateException("LSTM layout: " + at + " parameters, DL4J has " + count);
        }
        dl4jIndex = layoutOf(net);
        learningRate = net.getLearningRate(1);
        pull();
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
        fill(index, table.get("0_W"), embOffset, 0);
        for (int l = 0; l < layers; l++) {
            fill(index, table.get((l + 1) + "_W"), wOffset[l], 4 * units);
            fill(index, table.get((l + 1) + "_RW"), rwOffset[l], 4 * units);
            fill(index, table.get((l + 1) + "_b"), biasOffset[l], 4 * units);
        }
        fill(index, table.get((layers + 1) + "_W"), outOffset, 0);
        fill(index, table.get((layers + 1) + "_b"), outBiasOffset, 0);
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

    /**
     * Records where a DL4J tensor's elements (read row-major) go. With {@code gates} columns (4H), DL4J's gate order
     * [a | f | o | i] over all units becomes ours: per block of units, [a | f | o | i] of the block's units, so that a
     * block's gate columns are contiguous.
     */
    private void fill(int[] index, INDArray a, int offset, int gates) {
        float[] rowMajor = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
        for (int i = 0; i < rowMajor.length; i++) {
            int target = i;
            if (gates > 0) {
                int r = i / gates, col = i % gates, q = col / units, unit = col % units;
                int k = unit / blockUnits, j = unit % blockUnits;
                target = r * gates + k * 4 * blockUnits + q * blockUnits + j;
            }
            index[offset + target] = (int) rowMajor[i];
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
        double loss = shardGradients(windows, batch, length, train);
        if (l2 > 0) {
            for (int[] r : weightRanges) {
                for (int i = r[0]; i < r[1]; i++) {
                    gradient[i] += l2 * params[i];
                }
            }
        }
        return loss;
    }

    /** The parameters in DL4J's flat order (without touching the network, which {@link #network} updates). */
    @Override
    public float[] parameters() {
        float[] flat = new float[count];
        for (int i = 0; i < count; i++) {
            flat[dl4jIndex[i]] = params[i];
        }
        return flat;
    }

    @Override
    public void setParameters(float[] parameters) {
        if (parameters.length != count) {
            throw new IllegalArgumentException(parameters.length + " parameters given, the network has " + count);
        }
        for (int i = 0; i < count; i++) {
            params[i] = parameters[dl4jIndex[i]];
        }
        direct.put(0, params);
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

    /**
     * The workspace of one shard: activations of every frame, kept for the backward pass. Gate columns are in the
     * internal order (unit blocks of [a | f | o | i]); hidden states, cells and their gradients in unit order.
     */
    @Override
    protected Workspace workspace(int capacity, int length) {
        return new Shard(capacity, length);
    }

    @Override
    protected int vocabulary() {
        return vocabulary;
    }

    private final class Shard implements Workspace {
        final int capacity, length;
        /** Windows in the current shard, the whole batch's size (the loss is averaged over it) and the token ids. */
        int size, batch, first;
        int[] tokens;
        boolean train;
        long step;
        final FloatBuffer gradient;
        final FloatBuffer ones;

        @Override
        public FloatBuffer gradient() {
            return gradient;
        }
        /** Layer 0's input: embedding rows per frame (row t * size + b). */
        final FloatBuffer x0;
        /** Gate pre-activations of all frames of one layer, then their gradients. */
        final FloatBuffer pre;
        /** Per layer: hidden states, slot 0 zeros and slot t + 1 after frame t (rows of H). */
        final FloatBuffer[] h;
        /** Per layer: the (dropped-out) input of layers 1.. and of the output layer. */
        final FloatBuffer[] input;
        final float[][] mask;
        /** Per layer: gate activations per frame, cells (slot 0 zeros), tanh of the cells. */
        final float[][] act, cell, cellTanh;
        final FloatBuffer logits, dTop, dX, dhRec;
        final float[] probs, row, hStage, dcNext;
        /** Per unit block: scratch for the hidden-state gradient and the gate gradients of one step. */
        final float[][] dh, dhr, dg;
        FloatBuffer outInput;
        int outInputOffset;

        Shard(int capacity, int length) {
            this.capacity = capacity;
            this.length = length;
            int rows = capacity * length, g4 = 4 * units;
            if ((long) rows * g4 > Integer.MAX_VALUE / 4 || (long) rows * Math.max(embedding, units) * 4 > Integer.MAX_VALUE / 4) {
                throw new ConfigurationException("train.lstm: windows of " + length + " frames with " + units
                        + " units need more than 2 GB per buffer (" + capacity + " windows x " + length + " frames x "
                        + g4 + " gates); lower 'sequenceLength'");
            }
            gradient = Fused.allocate(count);
            ones = Fused.allocate(rows);
            for (int i = 0; i < rows; i++) {
                ones.put(i, 1f);
            }
            x0 = Fused.allocate((long) rows * embedding);
            pre = Fused.allocate((long) rows * g4);
            h = new FloatBuffer[layers];
            input = new FloatBuffer[layers + 1];
            mask = new float[layers + 1][];
            act = new float[layers][];
            cell = new float[layers][];
            cellTanh = new float[layers][];
            for (int l = 0; l < layers; l++) {
                h[l] = Fused.allocate((long) (rows + capacity) * units);
                act[l] = new float[rows * g4];
                cell[l] = new float[(rows + capacity) * units];
                cellTanh[l] = new float[rows * units];
            }
            if (keep < 1) {
                for (int l = 0; l <= layers; l++) {
                    int in = l == 0 ? embedding : units;
                    mask[l] = new float[rows * in];
                    if (l > 0) {
                        input[l] = Fused.allocate((long) rows * in);
                    }
                }
            }
            logits = Fused.allocate((long) rows * vocabulary);
            probs = new float[rows * vocabulary];
            dTop = Fused.allocate((long) rows * units);
            dX = Fused.allocate((long) rows * Math.max(embedding, units));
            dhRec = Fused.allocate((long) capacity * units);
            row = new float[Math.max(embedding, capacity * units)];
            hStage = new float[capacity * units];
            dcNext = new float[capacity * units];
            dh = new float[blocks][capacity * blockUnits];
            dhr = new float[blocks][capacity * blockUnits];
            dg = new float[blocks][capacity * 4 * blockUnits];
        }

        /**
         * Forward pass of windows [from, to) of the batch; returns their summed cross-entropy. With {@code out},
         * writes the probabilities there (batch x length x V).
         */
        @Override
        public double forward(int[] windows, int from, int to, int batch, boolean train, float[] out) {
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
                int layer = l, width = inWidth, offset = inOffset;
                FloatBuffer source = in;
                // all frames' input projections and biases at once, per block of gate columns
                parallel(blocks, k -> {
                    int c0 = k * 4 * blockUnits, c1 = 4 * blockUnits;
                    Fused.gemm(false, false, rows, c1, 1, 1f, ones, 0, 1, direct, biasOffset[layer] + c0, g4, 0f, pre, c0,
                            g4);
                    Fused.gemm(false, false, rows, c1, width, 1f, source, offset, width, direct, wOffset[layer] + c0, g4, 1f,
                            pre, c0, g4);
                });
                FloatBuffer hl = h[l];
                Arrays.fill(cell[l], 0, n * units, 0f);
                for (int i = 0; i < n * units; i++) {
                    hl.put(i, 0f);
                }
                for (int t = 0; t < length; t++) {
                    int time = t;
                    parallel(blocks, k -> forwardStep(layer, time, k));
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
            Fused.gemm(false, false, rows, vocabulary, 1, 1f, ones, 0, direct, outBiasOffset, 0f, logits, 0);
            Fused.gemm(false, false, rows, vocabulary, units, 1f, in, inOffset, direct, outOffset, 1f, logits, 0);
            outInput = in;
            outInputOffset = inOffset;
            return softmax(windows, from, out);
        }

        /** Step t of layer l for the units of block k: the block's gate columns, cells and hidden states. */
        private void forwardStep(int l, int t, int k) {
            int n = size, g4 = 4 * units, hb = blockUnits, u0 = k * hb, c0 = k * 4 * hb;
            FloatBuffer hl = h[l];
            if (t > 0) {
                Fused.gemm(false, false, n, 4 * hb, units, 1f, hl, t * n * units, units, direct, rwOffset[l] + c0, g4, 1f,
                        pre, t * n * g4 + c0, g4);
            }
            float[] a = act[l], c = cell[l], tc = cellTanh[l];
            for (int b = 0; b < n; b++) {
                int ao = (t * n + b) * g4 + c0;
                pre.get(ao, a, ao, 4 * hb);
                Activations.tanh(a, ao, hb);
                Activations.sigmoid(a, ao + hb, 3 * hb);
                int cPrev = (t * n + b) * units + u0, cNow = cPrev + n * units;
                for (int j = 0; j < hb; j++) {
                    c[cNow + j] = a[ao + hb + j] * c[cPrev + j] + a[ao + 3 * hb + j] * a[ao + j];
                }
                int tco = (t * n + b) * units + u0;
                System.arraycopy(c, cNow, tc, tco, hb);
                Activations.tanh(tc, tco, hb);
                int hs = b * units + u0;
                for (int j = 0; j < hb; j++) {
                    hStage[hs + j] = a[ao + 2 * hb + j] * tc[tco + j];
                }
                hl.put(((t + 1) * n + b) * units + u0, hStage, hs, hb);
            }
        }

        /** Softmax and cross-entropy of every frame; leaves d loss / d logits in {@link #probs}. */
        private double softmax(int[] windows, int from, float[] out) {
            int n = size, w = length + 1;
            logits.get(0, probs, 0, n * length * vocabulary);
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
            return loss;
        }

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
        @Override
        public void backward() {
            int n = size, rows = n * length, g4 = 4 * units;
            for (int i = 0; i < count; i++) {
                gradient.put(i, 0f);
            }
            logits.put(0, probs, 0, rows * vocabulary); // now d loss / d logits
            Fused.gemm(true, false, units, vocabulary, rows, 1f, outInput, outInputOffset, logits, 0, 1f, gradient,
                    outOffset);
            Fused.gemm(true, false, 1, vocabulary, rows, 1f, ones, 0, logits, 0, 1f, gradient, outBiasOffset);
            Fused.gemm(false, true, rows, units, vocabulary, 1f, logits, 0, direct, outOffset, 0f, dTop, 0);
            if (train) {
                unmask(layers, dTop, rows, units);
            }
            for (int l = layers - 1; l >= 0; l--) {
                int layer = l;
                Arrays.fill(dcNext, 0, n * units, 0f);
                for (int t = length - 1; t >= 0; t--) {
                    int time = t;
                    parallel(blocks, k -> backwardStep(layer, time, k));
                }
                // weight gradients over all frames, per block of gate columns: recurrent (h of the previous frame),
                // bias, input
                int inWidth = l == 0 ? embedding : units;
                FloatBuffer in = l == 0 ? x0 : train ? input[l] : h[l - 1];
                int inOffset = l == 0 || train ? 0 : n * units;
                parallel(blocks, k -> {
                    int c0 = k * 4 * blockUnits, c1 = 4 * blockUnits;
                    Fused.gemm(true, false, units, c1, rows, 1f, h[layer], 0, units, pre, c0, g4, 1f, gradient,
                            rwOffset[layer] + c0, g4);
                    Fused.gemm(true, false, 1, c1, rows, 1f, ones, 0, 1, pre, c0, g4, 1f, gradient, biasOffset[layer] + c0,
                            g4);
                    Fused.gemm(true, false, inWidth, c1, rows, 1f, in, inOffset, inWidth, pre, c0, g4, 1f, gradient,
                            wOffset[layer] + c0, g4);
                });
                // the input's gradient, per block of frames
                FloatBuffer target = l > 0 ? dTop : dX;
                int half = (length + 1) / 2 * n;
                parallel(2, part -> {
                    int r0 = part == 0 ? 0 : half, r1 = part == 0 ? half : rows;
                    if (r1 > r0) {
                        Fused.gemm(false, true, r1 - r0, inWidth, g4, 1f, pre, r0 * g4, g4, direct, wOffset[layer], g4, 0f,
                                target, r0 * inWidth, inWidth);
                    }
                });
                if (l > 0) {
                    if (train) {
                        unmask(l, dTop, rows, units);
                    }
                } else {
                    embeddingGradient();
                }
            }
        }

        /** Step t of layer l's backward pass for the units of block k. */
        private void backwardStep(int l, int t, int k) {
            int n = size, g4 = 4 * units, hb = blockUnits, u0 = k * hb, c0 = k * 4 * hb;
            float[] dhk = dh[k], dgk = dg[k], dhrk = dhr[k];
            if (t < length - 1) {
                // this block's units of dh_t from step t + 1: dG_{t+1} times the block's rows of RW, transposed
                Fused.gemm(false, true, n, hb, g4, 1f, pre, (t + 1) * n * g4, g4, direct, rwOffset[l] + u0 * g4, g4, 0f,
                        dhRec, u0, units);
            }
            for (int b = 0; b < n; b++) {
                dTop.get((t * n + b) * units + u0, dhk, b * hb, hb);
                if (t < length - 1) {
                    dhRec.get(b * units + u0, dhrk, b * hb, hb);
                    for (int j = 0; j < hb; j++) {
                        dhk[b * hb + j] += dhrk[b * hb + j];
                    }
                }
            }
            float[] a = act[l], c = cell[l], tc = cellTanh[l];
            for (int b = 0; b < n; b++) {
                int ao = (t * n + b) * g4 + c0, o = b * 4 * hb, u = b * units + u0, d = b * hb;
                int cPrev = (t * n + b) * units + u0, tco = cPrev;
                for (int j = 0; j < hb; j++) {
                    float gA = a[ao + j], gF = a[ao + hb + j], gO = a[ao + 2 * hb + j], gI = a[ao + 3 * hb + j];
                    float tcj = tc[tco + j], dhj = dhk[d + j];
                    float dc = dcNext[u + j] + dhj * gO * (1 - tcj * tcj);
                    dgk[o + j] = dc * gI * (1 - gA * gA);
                    dgk[o + hb + j] = dc * c[cPrev + j] * gF * (1 - gF);
                    dgk[o + 2 * hb + j] = dhj * tcj * gO * (1 - gO);
                    dgk[o + 3 * hb + j] = dc * gA * gI * (1 - gI);
                    dcNext[u + j] = dc * gF;
                }
                pre.put((t * n + b) * g4 + c0, dgk, o, 4 * hb);
            }
        }

        /** The embedding: each frame's input gradient added to its token's row. */
        private void embeddingGradient() {
            int n = size, w = length + 1;
            float[] rowGrad = new float[embedding];
            float[] embGrad = new float[vocabulary * embedding];
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
