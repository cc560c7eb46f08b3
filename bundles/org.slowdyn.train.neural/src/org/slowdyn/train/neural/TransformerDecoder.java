package org.slowdyn.train.neural;

import java.nio.FloatBuffer;

import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Generation with {@link TransformerNetwork}'s trained weights in Java, with a key/value cache: each trajectory keeps
 * the keys and values of every block for the frames of its window, so a step computes the new frame only (instead of
 * running the network over the whole window). The window is {@link TransformerModel#window}'s: it grows one frame per
 * step until it fills the context, then jumps back to the last half context; positions are absolute (learned or
 * sinusoidal), so at a jump the frames kept are encoded again at their new positions, all of them in one batched
 * pass (a chunk), and the cache goes on from there. The logits are exactly those of the network run on the window
 * (checked against SameDiff's output at every step, before and after jumps). Matrix products of at least
 * {@link #BLAS_ROWS} rows go to ND4J's OpenBLAS on direct buffers; a step advances a whole group of trajectories.
 * <p>
 * The network, as {@link TransformerNetwork} builds it: token plus position embedding, pre-layer-norm blocks of causal
 * multi-head self-attention and a feed-forward layer with ND4J's GELU ({@code x sigmoid(1.702 x)}), a final layer
 * norm and the output layer. ND4J's layer norm divides by the standard deviation without an epsilon.
 */
final class TransformerDecoder extends GroupSampler {
    static final int BLAS_ROWS = 4;
    /** ND4J's GELU: x sigmoid(GELU_SCALE x). */
    private static final float GELU_SCALE = 1.702f;

    private final int width, heads, headWidth, blocks, context;
    private final float[] tokens, positions;
    private final float[][] norm1Gain, norm1Bias, norm2Gain, norm2Bias, outBias, upBias, downBias;
    private final float[] finalGain, finalBias, output, outputBias;
    private final FloatBuffer[] qkvDirect, outDirect, upDirect, downDirect;
    private final FloatBuffer outputDirect;
    /** The weight matrices as rows, for the Java products. */
    private final float[][][] qkvRows, outRows, upRows, downRows;
    private final float[][] outputRows;

    TransformerDecoder(TransformerNetwork net) {
        super(net.shape.vocabulary());
        TransformerNetwork.Shape s = net.shape;
        width = s.width();
        heads = s.heads();
        headWidth = width / heads;
        blocks = s.blocks();
        context = s.context();
        tokens = net.values("tokens");
        positions = s.sinusoidal() ? TransformerNetwork.sinusoids(context, width) : net.values("positions");
        norm1Gain = new float[blocks][];
        norm1Bias = new float[blocks][];
        norm2Gain = new float[blocks][];
        norm2Bias = new float[blocks][];
        outBias = new float[blocks][];
        upBias = new float[blocks][];
        downBias = new float[blocks][];
        qkvRows = new float[blocks][][];
        outRows = new float[blocks][][];
        upRows = new float[blocks][][];
        downRows = new float[blocks][][];
        qkvDirect = new FloatBuffer[blocks];
        outDirect = new FloatBuffer[blocks];
        upDirect = new FloatBuffer[blocks];
        downDirect = new FloatBuffer[blocks];
        for (int b = 0; b < blocks; b++) {
            String p = "block" + b + "_";
            norm1Gain[b] = net.values(p + "norm1_gain");
            norm1Bias[b] = net.values(p + "norm1_bias");
            norm2Gain[b] = net.values(p + "norm2_gain");
            norm2Bias[b] = net.values(p + "norm2_bias");
            // queries, keys and values side by side: one product (E x 3E)
            float[] q = net.values(p + "query"), k = net.values(p + "key"), v = net.values(p + "value");
            float[] qkv = new float[width * 3 * width];
            for (int i = 0; i < width; i++) {
                System.arraycopy(q, i * width, qkv, i * 3 * width, width);
                System.arraycopy(k, i * width, qkv, i * 3 * width + width, width);
                System.arraycopy(v, i * width, qkv, i * 3 * width + 2 * width, width);
            }
            float[] out = net.values(p + "out");
            outBias[b] = net.values(p + "out_bias");
            float[] up = net.values(p + "up");
            upBias[b] = net.values(p + "up_bias");
            float[] down = net.values(p + "down");
            downBias[b] = net.values(p + "down_bias");
            qkvDirect[b] = LstmSampler.direct(qkv);
            outDirect[b] = LstmSampler.direct(out);
            upDirect[b] = LstmSampler.direct(up);
            downDirect[b] = LstmSampler.direct(down);
            qkvRows[b] = rows(qkv, 3 * width);
            outRows[b] = rows(out, width);
            upRows[b] = rows(up, 4 * width);
            downRows[b] = rows(down, width);
        }
        finalGain = net.values("final_norm_gain");
        finalBias = net.values("final_norm_bias");
        output = net.values("output");
        outputBias = net.values("output_bias");
        outputDirect = LstmSampler.direct(output);
        outputRows = rows(output, vocabulary());
    }

    private static float[][] rows(float[] m, int cols) {
        float[][] r = new float[m.length / cols][];
        for (int i = 0; i < r.length; i++) {
            r[i] = java.util.Arrays.copyOfRange(m, i * cols, (i + 1) * cols);
        }
        return r;
    }

    @Override
    protected State state(int size) {
        return new Cache(size);
    }

    /** A group's window: the ring of its last frames, and per block the keys and values of the window's positions. */
    final class Cache extends State {
        private final int[] history;
        private int fed, length;
        /**
         * Per block: keys and values as rows over positions, one per trajectory, head and dimension.
         */
        private final float[][][] keys, values;
        private final int maxRows;
        private final float[] x, a, wide, mixed, scores, geluScratch, row;
        private final FloatBuffer inDirect, outDirect2;

        Cache(int size) {
            super(size, vocabulary());
            history = new int[size * context];
            keys = new float[blocks][size * heads * headWidth][context];
            values = new float[blocks][size * heads * headWidth][context];
            maxRows = size * Math.max(1, context / 2 + 1);
            x = new float[maxRows * width];
            a = new float[maxRows * width];
            wide = new float[maxRows * 4 * width];
            geluScratch = new float[maxRows * 4 * width];
            row = new float[Math.max(4 * width, vocabulary())];
            mixed = new float[maxRows * width];
            scores = new float[context];
            boolean blas = maxRows >= BLAS_ROWS;
            inDirect = blas ? LstmSampler.direct(new float[maxRows * 4 * width]) : null;
            outDirect2 = blas ? LstmSampler.direct(new float[maxRows * 4 * width]) : null;
        }

        @Override
        protected void step(int[] next) {
            for (int g = 0; g < size; g++) {
                history[g * context + fed % context] = next[g];
            }
            fed++;
            int l = TransformerModel.window(fed, context);
            if (l == length + 1) {
                encode(length, 1); // the new frame at the next position
            } else {
                encode(0, l); // the window jumped back: its frames again, at their new positions
            }
            length = l;
        }

        /**
         * Runs positions [p0, p0 + count) of every trajectory's window (the window has p0 + count frames, the last of
         * them the newest) through the blocks, adding their keys and values to the cache; logits from the last.
         */
        private void encode(int p0, int count) {
            int rows = size * count, e = width, first = fed - (p0 + count);
            for (int g = 0; g < size; g++) {
                for (int i = 0; i < count; i++) {
                    int r = g * count + i, p = p0 + i;
                    int token = history[g * context + (first + p) % context];
                    for (int j = 0; j < e; j++) {
                        x[r * e + j] = tokens[token * e + j] + positions[p * e + j];
                    }
                }
            }
            float scale = (float) (1 / Math.sqrt(headWidth));
            for (int b = 0; b < blocks; b++) {
                layerNorm(x, a, rows, norm1Gain[b], norm1Bias[b]);
                product(a, rows, e, qkvRows[b], qkvDirect[b], 3 * e, null, wide);
                float[][] kt = keys[b], vr = values[b];
                for (int g = 0; g < size; g++) {
                    for (int i = 0; i < count; i++) {
                        int r = g * count + i, p = p0 + i;
                        for (int h = 0; h < heads; h++) {
                            int head = g * heads + h, k0 = r * 3 * e + e + h * headWidth;
                            for (int d = 0; d < headWidth; d++) {
                                kt[head * headWidth + d][p] = wide[k0 + d];
                            }
                            for (int d = 0; d < headWidth; d++) {
                                vr[head * headWidth + d][p] = wide[k0 + e + d];
                            }
                        }
                    }
                }
                // causal attention of each new position over the window's positions up to it: scores as sums of
                // key rows (one per dimension, over positions) and the mix as a sum of value rows, so that every
                // inner loop runs over one index in arrays starting at 0 (vectorised)
                for (int g = 0; g < size; g++) {
                    for (int i = 0; i < count; i++) {
                        int r = g * count + i, last = p0 + i;
                        for (int h = 0; h < heads; h++) {
                            int head = g * heads + h, q0 = r * 3 * e + h * headWidth;
                            java.util.Arrays.fill(scores, 0, last + 1, 0f);
                            for (int d = 0; d < headWidth; d++) {
                                float q = wide[q0 + d] * scale;
                                float[] keyRow = kt[head * headWidth + d];
                                for (int j = 0; j <= last; j++) {
                                    scores[j] += q * keyRow[j];
                                }
                            }
                            float max = Float.NEGATIVE_INFINITY;
                            for (int j = 0; j <= last; j++) {
                                max = Math.max(max, scores[j]);
                            }
                            float sum = 0;
                            for (int j = 0; j <= last; j++) {
                                scores[j] = (float) Math.exp(scores[j] - max);
                                sum += scores[j];
                            }
                            float inv = 1 / sum;
                            int m0 = r * e + h * headWidth;
                            for (int d = 0; d < headWidth; d++) {
                                mixed[m0 + d] = dot(scores, vr[head * headWidth + d], last + 1) * inv;
                            }
                        }
                    }
                }
                product(mixed, rows, e, outRows[b], outDirect[b], e, outBias[b], a);
                add(x, a, rows * e);
                layerNorm(x, a, rows, norm2Gain[b], norm2Bias[b]);
                product(a, rows, e, upRows[b], upDirect[b], 4 * e, upBias[b], wide);
                gelu(wide, geluScratch, rows * 4 * e);
                product(wide, rows, 4 * e, downRows[b], downDirect[b], e, downBias[b], a);
                add(x, a, rows * e);
            }
            // the output of each trajectory's last position
            for (int g = 0; g < size; g++) {
                System.arraycopy(x, ((g + 1) * count - 1) * e, mixed, g * e, e);
            }
            layerNorm(mixed, a, size, finalGain, finalBias);
            product(a, size, e, outputRows, outputDirect, vocabulary(), outputBias, logits);
        }

        /** out (rows x n) = x (rows x k) w (k x n) + bias (null: none); BLAS for {@link #BLAS_ROWS} rows or more. */
        private void product(float[] in, int rows, int k, float[][] w, FloatBuffer wDirect, int n, float[] bias,
                float[] result) {
            if (rows >= BLAS_ROWS) {
                inDirect.put(0, in, 0, rows * k);
                openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                        openblas_nolapack.CblasNoTrans, rows, n, k, 1f, inDirect, k, wDirect, n, 0f, outDirect2, n);
                outDirect2.get(0, result, 0, rows * n);
                if (bias != null) {
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < n; j++) {
                            result[r * n + j] += bias[j];
                        }
                    }
                }
                return;
            }
            for (int r = 0; r < rows; r++) {
                if (bias != null) {
                    System.arraycopy(bias, 0, result, r * n, n);
                } else {
                    java.util.Arrays.fill(result, r * n, (r + 1) * n, 0f);
                }
            }
            LstmSampler.addProduct(in, rows, k, w, n, result, row);
        }
    }

    /** Layer norm of each row (width values) as ND4J computes it (see {@link Fused#layerNorm}). */
    private void layerNorm(float[] in, float[] result, int rows, float[] gain, float[] bias) {
        Fused.layerNorm(in, rows, width, gain, 0, bias, 0, null, null, result);
    }

    /** The dot product of a[0..n) and b[0..n), in four independent sums (a shorter dependency chain). */
    private static float dot(float[] a, float[] b, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < n; j++) {
            s0 += a[j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static void add(float[] target, float[] delta, int n) {
        for (int i = 0; i < n; i++) {
            target[i] += delta[i];
        }
    }

    /** ND4J's GELU in place: x sigmoid(1.702 x), the sigmoid vectorised ({@link Activations}); s is scratch. */
    private static void gelu(float[] v, float[] s, int n) {
        for (int i = 0; i < n; i++) {
            s[i] = GELU_SCALE * v[i];
        }
        Activations.sigmoid(s, 0, n);
        for (int i = 0; i < n; i++) {
            v[i] *= s[i];
        }
    }

}
