package org.slowdyn.train.neural;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.slowdyn.core.ConfigurationException;

/**
 * Training of the decoder-only Transformer that {@link TransformerNetwork} builds, with its forward and backward pass
 * written out over BLAS instead of SameDiff's graph execution (which spends its time in per-operation bookkeeping):
 * the linear layers of all frames of a shard are one {@code sgemm} each, attention is two products per window and
 * head forward and four backward, on direct buffers; layer norm, softmax, GELU and their gradients are Java loops
 * (the attention softmax with {@link Activations#expNonPositive}, within 8.6e-6 of exp); Adam updates the parameters
 * in place.
 * <p>
 * The mathematics is the SameDiff graph's, so that it stays the model format and the reference: ND4J's layer norm
 * (no epsilon), its GELU {@code x sigmoid(1.702 x)}, the loss reported as the mean cross-entropy over all frames but
 * differentiated as their sum (SameDiff 1.0.0-M2.1's loss op does so: its gradients are the batch's frame count times
 * those of the mean it reports, measured), L2 on every parameter added to that gradient before Adam (SameDiff's
 * regularisation), Adam with ND4J's bias correction, inverted
 * dropout on the embedded input, the attention weights and both residual branches. Parameters are held in the order
 * of {@link TransformerNetwork#parameters()}; they and Adam's moments and step count are copied into the SameDiff graph
 * when it is saved, and taken from it when training resumes.
 * <p>
 * Batches are cut into shards of {@link #SHARD} windows whose gradients are summed in a fixed order, on up to
 * {@code threads} threads: the result does not depend on the number of threads. Dropout masks come from a random
 * stream per window and step, derived from the seed.
 */
final class FusedTransformer extends FusedNetwork {
    static final int SHARD = 16;
    private static final float GELU_SCALE = 1.702f;

    private final TransformerNetwork network;
    private final int vocabulary, width, heads, headWidth, blocks, context;
    private final boolean learnedPositions;
    private final float dropout, keep;
    private final float l2;
    private final long seed;

    /** Offsets of each parameter in the flat array (TransformerNetwork's order: names sorted). */
    private final Map<String, Integer> offsets = new HashMap<>();
    private final String[] names;
    private final int[] sizes;
    private final int tokensAt, positionsAt, finalGainAt, finalBiasAt, outputAt, outputBiasAt;
    private final int[] norm1Gain, norm1Bias, query, key, value, out, outBias, norm2Gain, norm2Bias, up, upBias, down,
            downBias;
    /** Sinusoidal positions (a constant of the graph), when positions are not learned. */
    private final float[] fixedPositions;

    FusedTransformer(TransformerNetwork network, double learningRate, double l2, long seed, int threads) {
        super(network.parameters().length, threads, SHARD, "slowdyn-transformer");
        this.network = network;
        TransformerNetwork.Shape s = network.shape;
        vocabulary = s.vocabulary();
        width = s.width();
        heads = s.heads();
        headWidth = width / heads;
        blocks = s.blocks();
        context = s.context();
        learnedPositions = !s.sinusoidal();
        dropout = (float) s.dropout();
        keep = 1 - dropout;
        this.l2 = (float) l2;
        this.seed = seed;
        this.learningRate = learningRate;
        names = network.parameterNames().toArray(new String[0]);
        sizes = new int[names.length];
        int at = 0;
        for (int i = 0; i < names.length; i++) {
            offsets.put(names[i], at);
            sizes[i] = network.size(names[i]);
            at += sizes[i];
        }
        if (at != count) {
            throw new IllegalStateException("Transformer layout: " + at + " parameters, the graph has " + count);
        }
        tokensAt = at("tokens");
        positionsAt = learnedPositions ? at("positions") : -1;
        fixedPositions = learnedPositions ? null : TransformerNetwork.sinusoids(context, width);
        finalGainAt = at("final_norm_gain");
        finalBiasAt = at("final_norm_bias");
        outputAt = at("output");
        outputBiasAt = at("output_bias");
        norm1Gain = new int[blocks];
        norm1Bias = new int[blocks];
        query = new int[blocks];
        key = new int[blocks];
        value = new int[blocks];
        out = new int[blocks];
        outBias = new int[blocks];
        norm2Gain = new int[blocks];
        norm2Bias = new int[blocks];
        up = new int[blocks];
        upBias = new int[blocks];
        down = new int[blocks];
        downBias = new int[blocks];
        for (int b = 0; b < blocks; b++) {
            String p = "block" + b + "_";
            norm1Gain[b] = at(p + "norm1_gain");
            norm1Bias[b] = at(p + "norm1_bias");
            query[b] = at(p + "query");
            key[b] = at(p + "key");
            value[b] = at(p + "value");
            out[b] = at(p + "out");
            outBias[b] = at(p + "out_bias");
            norm2Gain[b] = at(p + "norm2_gain");
            norm2Bias[b] = at(p + "norm2_bias");
            up[b] = at(p + "up");
            upBias[b] = at(p + "up_bias");
            down[b] = at(p + "down");
            downBias[b] = at(p + "down_bias");
        }
        System.arraycopy(network.parameters(), 0, params, 0, count);
        direct.put(0, params);
        pullOptimizer();
    }

    private int at(String name) {
        Integer o = offsets.get(name);
        if (o == null) {
            throw new IllegalStateException("the Transformer graph has no parameter '" + name + "'");
        }
        return o;
    }

    /** Adam's moments and step count from the SameDiff graph (zero when it has not trained yet). */
    private void pullOptimizer() {
        Map<String, GradientUpdater> updaters = network.updaters();
        if (updaters != null) {
            for (int i = 0; i < names.length; i++) {
                GradientUpdater u = updaters.get(names[i]);
                Map<String, INDArray> state = u == null ? null : u.getState();
                if (state != null && state.get("M") != null) {
                    int o = offsets.get(names[i]);
                    System.arraycopy(floats(state.get("M")), 0, m, o, sizes[i]);
                    System.arraycopy(floats(state.get("V")), 0, v, o, sizes[i]);
                }
            }
        }
        iteration = network.iterationCount();
    }

    private static float[] floats(INDArray a) {
        return a.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
    }

    /** Parameters, Adam's moments and step count into the SameDiff graph. */
    private void push() {
        network.setParameters(params);
        Map<String, GradientUpdater> updaters = network.initialisedUpdaters();
        for (int i = 0; i < names.length; i++) {
            Map<String, INDArray> state = updaters.get(names[i]).getState();
            int o = offsets.get(names[i]);
            INDArray mState = state.get("M"), vState = state.get("V");
            mState.assign(Nd4j.create(java.util.Arrays.copyOfRange(m, o, o + sizes[i]), mState.shape(), 'c'));
            vState.assign(Nd4j.create(java.util.Arrays.copyOfRange(v, o, o + sizes[i]), vState.shape(), 'c'));
        }
        network.setIterationCount((int) iteration);
        network.setLearningRate(learningRate);
    }

    /** The SameDiff network with the current parameters and optimiser state. */
    TransformerNetwork network() {
        push();
        network.syncInference();
        return network;
    }

    @Override
    public double fit(int[] windows, int batch, int length) {
        double loss = gradient(windows, batch, length, true);
        adam();
        return loss;
    }

    /**
     * Fills {@link #gradient} with SameDiff's training gradient: of the cross-entropy summed over the frames, plus
     * L2; returns the mean cross-entropy per frame (nats).
     */
    double gradient(int[] windows, int batch, int length, boolean train) {
        if (length > context) {
            throw new ConfigurationException("train.transformer: windows of " + length + " frames exceed the context "
                    + context);
        }
        double loss = shardGradients(windows, batch, length, train);
        if (l2 > 0) {
            for (int i = 0; i < count; i++) {
                gradient[i] += l2 * params[i];
            }
        }
        return loss / ((double) batch * length);
    }

    @Override
    public float[] parameters() {
        return params.clone();
    }

    @Override
    public void setParameters(float[] parameters) {
        if (parameters.length != count) {
            throw new IllegalArgumentException(parameters.length + " parameters given, the network has " + count);
        }
        System.arraycopy(parameters, 0, params, 0, count);
        direct.put(0, params);
    }

    @Override
    public void save(Path file, boolean updater) throws IOException {
        network().save(file, updater);
    }

    /** The gradient of the last {@link #gradient} call, in parameter order. */
    float[] lastGradient() {
        return gradient.clone();
    }

    /** Layer norm of rows with the parameters at gainAt and biasAt (see {@link Fused#layerNorm}), kept for backward. */
    private void layerNorm(float[] x, float[] normed, float[] inverse, int rows, int gainAt, int biasAt,
            float[] result) {
        Fused.layerNorm(x, rows, width, params, gainAt, params, biasAt, normed, inverse, result);
    }

    /** Backward of {@link #layerNorm}: adds to dx, to the gain's and the bias's gradients (in g). */
    private void layerNormBackward(float[] dy, float[] normed, float[] inverse, int rows, int gainAt, int biasAt,
            float[] dx, float[] g, float[] scratch) {
        int e = width;
        for (int r = 0; r < rows; r++) {
            int o = r * e;
            double meanD = 0, meanDn = 0;
            for (int j = 0; j < e; j++) {
                float dn = dy[o + j] * params[gainAt + j];
                scratch[j] = dn;
                meanD += dn;
                meanDn += dn * normed[o + j];
                g[gainAt + j] += dy[o + j] * normed[o + j];
                g[biasAt + j] += dy[o + j];
            }
            float a = (float) (meanD / e), b = (float) (meanDn / e), inv = inverse[r];
            for (int j = 0; j < e; j++) {
                dx[o + j] += inv * (scratch[j] - a - normed[o + j] * b);
            }
        }
    }

    @Override
    protected Workspace workspace(int capacity, int length) {
        return new Shard(capacity, length);
    }

    @Override
    protected int vocabulary() {
        return vocabulary;
    }

    /** The workspace of one shard of windows: activations of every frame kept for the backward pass. */
    private final class Shard implements Workspace {
        final int capacity, length, rows;
        int size, first, batch;
        int[] tokens;
        boolean train;
        long step;
        final FloatBuffer gradient;
        final float[] grad;

        @Override
        public FloatBuffer gradient() {
            return gradient;
        }
        /** Residual stream per block input (blocks + 1 slots: the last is the final norm's input). */
        final float[][] stream;
        final float[][] normed1, inverse1, normed2, inverse2, upPre, attention, attentionMask, outMask, downMask;
        final float[] inputMask, normedF, inverseF, probs, x, y, z, scores, rowScratch;
        /** Per block: layer-norm outputs (A1, F), queries/keys/values, mixed heads, GELU outputs, in direct memory. */
        final FloatBuffer[] a1, qkv, mixed, f2, gelu;
        final FloatBuffer zD, logits, dBig, dSmall, dQkv, dScores, dProbs, scoresD, probsD;

        Shard(int capacity, int length) {
            this.capacity = capacity;
            this.length = length;
            this.rows = capacity * length;
            int e = width, r = rows;
            gradient = Fused.allocate(count);
            grad = new float[count];
            stream = new float[blocks + 1][r * e];
            normed1 = new float[blocks][r * e];
            inverse1 = new float[blocks][r];
            normed2 = new float[blocks][r * e];
            inverse2 = new float[blocks][r];
            upPre = new float[blocks][r * 4 * e];
            attention = new float[blocks][capacity * heads * length * length];
            attentionMask = new float[blocks][dropout > 0 ? capacity * heads * length * length : 0];
            outMask = new float[blocks][dropout > 0 ? r * e : 0];
            downMask = new float[blocks][dropout > 0 ? r * e : 0];
            inputMask = new float[dropout > 0 ? r * e : 0];
            normedF = new float[r * e];
            inverseF = new float[r];
            probs = new float[r * vocabulary];
            x = new float[r * 4 * e];
            y = new float[r * 4 * e];
            z = new float[r * 4 * e];
            scores = new float[length * length];
            rowScratch = new float[Math.max(4 * e, length)];
            a1 = new FloatBuffer[blocks];
            qkv = new FloatBuffer[blocks];
            mixed = new FloatBuffer[blocks];
            f2 = new FloatBuffer[blocks];
            gelu = new FloatBuffer[blocks];
            for (int b = 0; b < blocks; b++) {
                a1[b] = Fused.allocate(r * e);
                qkv[b] = Fused.allocate(r * 3 * e);
                mixed[b] = Fused.allocate(r * e);
                f2[b] = Fused.allocate(r * e);
                gelu[b] = Fused.allocate(r * 4 * e);
            }
            zD = Fused.allocate(r * e);
            logits = Fused.allocate(r * vocabulary);
            dBig = Fused.allocate(r * 4 * e);
            dSmall = Fused.allocate(r * e);
            dQkv = Fused.allocate(r * 3 * e);
            dScores = Fused.allocate(length * length);
            dProbs = Fused.allocate(length * length);
            scoresD = Fused.allocate(length * length);
            probsD = Fused.allocate(capacity * heads * length * length);
        }

        private float[] mask(float[] target, int n, SplittableRandom rng) {
            float scale = 1 / keep;
            for (int i = 0; i < n; i++) {
                target[i] = rng.nextFloat() >= dropout ? scale : 0f;
            }
            return target;
        }

        /** Forward pass of windows [from, to); returns their summed cross-entropy; probabilities into out if given. */
        @Override
        public double forward(int[] windows, int from, int to, int batch, boolean train, float[] result) {
            size = to - from;
            first = from;
            this.batch = batch;
            tokens = windows;
            this.train = train && dropout > 0;
            step = iteration;
            int n = size, l = length, e = width, r = n * l, w = l + 1;
            SplittableRandom rng = this.train ? new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (step + 1))
                    ^ (0xC2B2AE3D27D4EB4FL * (from + 1))) : null;
            float[] h = stream[0];
            for (int b = 0; b < n; b++) {
                for (int t = 0; t < l; t++) {
                    int token = windows[(from + b) * w + t], o = (b * l + t) * e;
                    for (int j = 0; j < e; j++) {
                        h[o + j] = params[tokensAt + token * e + j]
                                + (learnedPositions ? params[positionsAt + t * e + j] : fixedPositions[t * e + j]);
                    }
                }
            }
            if (this.train) {
                mask(inputMask, r * e, rng);
                for (int i = 0; i < r * e; i++) {
                    h[i] *= inputMask[i];
                }
            }
            float scale = (float) (1 / Math.sqrt(headWidth));
            for (int b = 0; b < blocks; b++) {
                float[] in = stream[b], next = stream[b + 1];
                layerNorm(in, normed1[b], inverse1[b], r, norm1Gain[b], norm1Bias[b], x);
                a1[b].put(0, x, 0, r * e);
                Fused.gemm(false, false, r, e, e, 1f, a1[b], 0, e, direct, query[b], e, 0f, qkv[b], 0, 3 * e);
                Fused.gemm(false, false, r, e, e, 1f, a1[b], 0, e, direct, key[b], e, 0f, qkv[b], e, 3 * e);
                Fused.gemm(false, false, r, e, e, 1f, a1[b], 0, e, direct, value[b], e, 0f, qkv[b], 2 * e, 3 * e);
                float[] att = attention[b];
                if (this.train) {
                    mask(attentionMask[b], n * heads * l * l, rng);
                }
                for (int win = 0; win < n; win++) {
                    for (int hd = 0; hd < heads; hd++) {
                        int q0 = win * l * 3 * e + hd * headWidth, p0 = (win * heads + hd) * l * l;
                        Fused.gemm(false, true, l, l, headWidth, scale, qkv[b], q0, 3 * e, qkv[b], q0 + e, 3 * e, 0f,
                                scoresD, 0, l);
                        scoresD.get(0, scores, 0, l * l);
                        // causal softmax of each row over the positions up to it
                        for (int i = 0; i < l; i++) {
                            int o = i * l;
                            float max = Float.NEGATIVE_INFINITY;
                            for (int j = o; j <= o + i; j++) {
                                max = Math.max(max, scores[j]);
                            }
                            for (int j = o; j <= o + i; j++) {
                                scores[j] -= max;
                            }
                            Activations.expNonPositive(scores, o, i + 1);
                            float sum = 0;
                            for (int j = o; j <= o + i; j++) {
                                sum += scores[j];
                            }
                            float inv = 1 / sum;
                            for (int j = 0; j <= i; j++) {
                                att[p0 + o + j] = scores[o + j] * inv;
                            }
                            for (int j = i + 1; j < l; j++) {
                                att[p0 + o + j] = 0f;
                            }
                        }
                        if (this.train) {
                            float[] am = attentionMask[b];
                            for (int i = 0; i < l * l; i++) {
                                scores[i] = att[p0 + i] * am[p0 + i];
                            }
                            probsD.put(p0, scores, 0, l * l);
                        } else {
                            probsD.put(p0, att, p0, l * l);
                        }
                        Fused.gemm(false, false, l, headWidth, l, 1f, probsD, p0, l, qkv[b], q0 + 2 * e, 3 * e, 0f,
                                mixed[b], win * l * e + hd * headWidth, e);
                    }
                }
                // output projection and residual
                Fused.gemm(false, false, r, e, e, 1f, mixed[b], 0, e, direct, out[b], e, 0f, dSmall, 0, e);
                dSmall.get(0, y, 0, r * e);
                if (this.train) {
                    mask(outMask[b], r * e, rng);
                }
                System.arraycopy(in, 0, next, 0, r * e);
                addBranch(y, outBias[b], outMask[b], next, r);
                // feed-forward: norm, up, GELU, down, residual (next holds the middle of the block, then its end)
                layerNorm(next, normed2[b], inverse2[b], r, norm2Gain[b], norm2Bias[b], x);
                f2[b].put(0, x, 0, r * e);
                Fused.gemm(false, false, r, 4 * e, e, 1f, f2[b], 0, e, direct, up[b], 4 * e, 0f, dBig, 0, 4 * e);
                float[] pre = upPre[b];
                dBig.get(0, pre, 0, r * 4 * e);
                for (int i = 0; i < r; i++) {
                    for (int j = 0; j < 4 * e; j++) {
                        pre[i * 4 * e + j] += params[upBias[b] + j];
                    }
                }
                for (int i = 0; i < r * 4 * e; i++) {
                    z[i] = GELU_SCALE * pre[i];
                }
                Activations.sigmoid(z, 0, r * 4 * e);
                for (int i = 0; i < r * 4 * e; i++) {
                    z[i] *= pre[i];
                }
                gelu[b].put(0, z, 0, r * 4 * e);
                Fused.gemm(false, false, r, e, 4 * e, 1f, gelu[b], 0, 4 * e, direct, down[b], e, 0f, dSmall, 0, e);
                dSmall.get(0, y, 0, r * e);
                if (this.train) {
                    mask(downMask[b], r * e, rng);
                }
                addBranch(y, downBias[b], downMask[b], next, r);
            }
            layerNorm(stream[blocks], normedF, inverseF, r, finalGainAt, finalBiasAt, x);
            zD.put(0, x, 0, r * e);
            Fused.gemm(false, false, r, vocabulary, e, 1f, zD, 0, e, direct, outputAt, vocabulary, 0f, logits, 0,
                    vocabulary);
            logits.get(0, probs, 0, r * vocabulary);
            double loss = 0;
            for (int b = 0; b < n; b++) {
                for (int t = 0; t < l; t++) {
                    int o = (b * l + t) * vocabulary;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int k = 0; k < vocabulary; k++) {
                        probs[o + k] += params[outputBiasAt + k];
                        max = Math.max(max, probs[o + k]);
                    }
                    double sum = 0;
                    for (int k = 0; k < vocabulary; k++) {
                        sum += Math.exp(probs[o + k] - max);
                    }
                    double logSum = Math.log(sum) + max;
                    int target = windows[(from + b) * w + t + 1];
                    loss += logSum - probs[o + target];
                    for (int k = 0; k < vocabulary; k++) {
                        float p = (float) Math.exp(probs[o + k] - logSum);
                        if (result != null) {
                            result[((from + b) * l + t) * vocabulary + k] = p;
                        }
                        probs[o + k] = p - (k == target ? 1f : 0f); // d summed loss / d logits
                    }
                }
            }
            return loss;
        }

        /** Adds a residual branch (rows x width: y plus the bias at biasAt, times the dropout mask) to h. */
        private void addBranch(float[] y, int biasAt, float[] mask, float[] h, int rows) {
            int e = width;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < e; j++) {
                    float o = y[i * e + j] + params[biasAt + j];
                    h[i * e + j] += train ? o * mask[i * e + j] : o;
                }
            }
        }

        /** dst = src times the dropout mask when training, else src. */
        private void masked(float[] src, float[] mask, float[] dst, int n) {
            for (int i = 0; i < n; i++) {
                dst[i] = train ? src[i] * mask[i] : src[i];
            }
        }

        /** g[at + j] += the sum over rows of y[row][j] (a bias's gradient). */
        private void columnSums(float[] y, int rows, int width, float[] g, int at) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < width; j++) {
                    g[at + j] += y[i * width + j];
                }
            }
        }

        /** The backward pass of the last forward pass; the gradient into {@link #gradient}. */
        @Override
        public void backward() {
            int n = size, l = length, e = width, r = n * l, w = l + 1;
            float[] g = grad;
            java.util.Arrays.fill(g, 0f);
            gradient.put(0, g); // the products accumulate into it, the Java loops into g
            // output layer: probs holds d loss / d logits
            logits.put(0, probs, 0, r * vocabulary);
            columnSums(probs, r, vocabulary, g, outputBiasAt);
            Fused.gemm(true, false, e, vocabulary, r, 1f, zD, 0, e, logits, 0, vocabulary, 1f, gradient, outputAt,
                    vocabulary);
            Fused.gemm(false, true, r, e, vocabulary, 1f, logits, 0, vocabulary, direct, outputAt, vocabulary, 0f, dSmall,
                    0, e);
            dSmall.get(0, y, 0, r * e);
            // dh: the gradient of the residual stream, from the final norm back through the blocks
            float[] dh = new float[r * e];
            layerNormBackward(y, normedF, inverseF, r, finalGainAt, finalBiasAt, dh, g, rowScratch);
            float scale = (float) (1 / Math.sqrt(headWidth));
            for (int b = blocks - 1; b >= 0; b--) {
                // feed-forward branch: d down output = dh (times the mask)
                masked(dh, downMask[b], y, r * e);
                columnSums(y, r, e, g, downBias[b]);
                dSmall.put(0, y, 0, r * e);
                Fused.gemm(true, false, 4 * e, e, r, 1f, gelu[b], 0, 4 * e, dSmall, 0, e, 1f, gradient, down[b], e);
                Fused.gemm(false, true, r, 4 * e, e, 1f, dSmall, 0, e, direct, down[b], e, 0f, dBig, 0, 4 * e);
                dBig.get(0, z, 0, r * 4 * e);
                // GELU: d/dx x s(cx) = s + c x s (1 - s)
                float[] pre = upPre[b];
                for (int i = 0; i < r * 4 * e; i++) {
                    x[i] = GELU_SCALE * pre[i];
                }
                Activations.sigmoid(x, 0, r * 4 * e);
                for (int i = 0; i < r * 4 * e; i++) {
                    float s = x[i];
                    z[i] *= s + GELU_SCALE * pre[i] * s * (1 - s);
                }
                columnSums(z, r, 4 * e, g, upBias[b]);
                dBig.put(0, z, 0, r * 4 * e);
                Fused.gemm(true, false, e, 4 * e, r, 1f, f2[b], 0, e, dBig, 0, 4 * e, 1f, gradient, up[b], 4 * e);
                Fused.gemm(false, true, r, e, 4 * e, 1f, dBig, 0, 4 * e, direct, up[b], 4 * e, 0f, dSmall, 0, e);
                dSmall.get(0, y, 0, r * e);
                layerNormBackward(y, normed2[b], inverse2[b], r, norm2Gain[b], norm2Bias[b], dh, g, rowScratch);
                // attention branch: d out-projection output = dh (times the mask)
                masked(dh, outMask[b], y, r * e);
                columnSums(y, r, e, g, outBias[b]);
                dSmall.put(0, y, 0, r * e);
                Fused.gemm(true, false, e, e, r, 1f, mixed[b], 0, e, dSmall, 0, e, 1f, gradient, out[b], e);
                // d mixed (into dBig, r x e)
                Fused.gemm(false, true, r, e, e, 1f, dSmall, 0, e, direct, out[b], e, 0f, dBig, 0, e);
                float[] att = attention[b];
                for (int win = 0; win < n; win++) {
                    for (int hd = 0; hd < heads; hd++) {
                        int q0 = win * l * 3 * e + hd * headWidth, p0 = (win * heads + hd) * l * l;
                        int m0 = win * l * e + hd * headWidth;
                        // the probabilities as used (after dropout) of this block (the buffer holds the last
                        // block's after the forward pass)
                        if (train) {
                            float[] am = attentionMask[b];
                            for (int i = 0; i < l * l; i++) {
                                scores[i] = att[p0 + i] * am[p0 + i];
                            }
                            probsD.put(p0, scores, 0, l * l);
                        } else {
                            probsD.put(p0, att, p0, l * l);
                        }
                        // d probabilities (as used) = d mixed V^T; d V = P'^T d mixed
                        Fused.gemm(false, true, l, l, headWidth, 1f, dBig, m0, e, qkv[b], q0 + 2 * e, 3 * e, 0f, dProbs, 0,
                                l);
                        Fused.gemm(true, false, l, headWidth, l, 1f, probsD, p0, l, dBig, m0, e, 0f, dQkv, q0 + 2 * e,
                                3 * e);
                        dProbs.get(0, scores, 0, l * l);
                        // softmax backward over the causal rows: dS = P (dP - sum(dP P))
                        for (int i = 0; i < l; i++) {
                            int o = i * l;
                            float dot = 0;
                            for (int j = 0; j <= i; j++) {
                                float dp = train ? scores[o + j] * attentionMask[b][p0 + o + j] : scores[o + j];
                                scores[o + j] = dp;
                                dot += dp * att[p0 + o + j];
                            }
                            for (int j = 0; j <= i; j++) {
                                scores[o + j] = att[p0 + o + j] * (scores[o + j] - dot);
                            }
                            for (int j = i + 1; j < l; j++) {
                                scores[o + j] = 0f;
                            }
                        }
                        dScores.put(0, scores, 0, l * l);
                        // dQ = dS K scale, dK = dS^T Q scale
                        Fused.gemm(false, false, l, headWidth, l, scale, dScores, 0, l, qkv[b], q0 + e, 3 * e, 0f, dQkv,
                                q0, 3 * e);
                        Fused.gemm(true, false, l, headWidth, l, scale, dScores, 0, l, qkv[b], q0, 3 * e, 0f, dQkv, q0 + e,
                                3 * e);
                    }
                }
                // projections: weight gradients and d A1
                Fused.gemm(true, false, e, e, r, 1f, a1[b], 0, e, dQkv, 0, 3 * e, 1f, gradient, query[b], e);
                Fused.gemm(true, false, e, e, r, 1f, a1[b], 0, e, dQkv, e, 3 * e, 1f, gradient, key[b], e);
                Fused.gemm(true, false, e, e, r, 1f, a1[b], 0, e, dQkv, 2 * e, 3 * e, 1f, gradient, value[b], e);
                Fused.gemm(false, true, r, e, e, 1f, dQkv, 0, 3 * e, direct, query[b], e, 0f, dSmall, 0, e);
                Fused.gemm(false, true, r, e, e, 1f, dQkv, e, 3 * e, direct, key[b], e, 1f, dSmall, 0, e);
                Fused.gemm(false, true, r, e, e, 1f, dQkv, 2 * e, 3 * e, direct, value[b], e, 1f, dSmall, 0, e);
                dSmall.get(0, y, 0, r * e);
                layerNormBackward(y, normed1[b], inverse1[b], r, norm1Gain[b], norm1Bias[b], dh, g, rowScratch);
            }
            // the embedded input: tokens and learned positions
            for (int b = 0; b < n; b++) {
                for (int t = 0; t < l; t++) {
                    int token = tokens[(first + b) * w + t], o = (b * l + t) * e;
                    for (int j = 0; j < e; j++) {
                        float d = train ? dh[o + j] * inputMask[o + j] : dh[o + j];
                        g[tokensAt + token * e + j] += d;
                        if (learnedPositions) {
                            g[positionsAt + t * e + j] += d;
                        }
                    }
                }
            }
            // the Java-side gradients plus those the products accumulated in direct memory
            float[] fromProducts = new float[count];
            gradient.get(0, fromProducts, 0, count);
            for (int i = 0; i < count; i++) {
                g[i] += fromProducts[i];
            }
            gradient.put(0, g);
        }
    }
}
