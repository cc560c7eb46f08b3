package org.slowdyn.train.neural;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import java.util.concurrent.ForkJoinTask;

import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Forward pass of a trained embedding + LSTM + softmax network, step by step for many trajectories at once, in Java
 * over the network's weights: no framework call per step. The matrix products of groups of at least {@link #BLAS_ROWS}
 * trajectories go straight to ND4J's OpenBLAS on direct buffers; which path is used depends only on the group size,
 * never on the number of threads. The gate nonlinearities are {@link Activations}' vectorised ones. Gate layout as DL4J's LSTM layer: pre-activations in blocks
 * [block input (tanh) | forget | output | input gate], gates sigmoid; {@code c' = f c + i a}, {@code h' = o
 * tanh(c')}. Each trajectory samples from its own random stream.
 */
public final class LstmSampler extends GroupSampler {
    /** Groups of at least this many trajectories use BLAS for the matrix products (measured break-even: 2-8). */
    static final int BLAS_ROWS = 4;

    private final int vocabulary;
    private final int units;
    private final int layers;
    /** Layer 0 input weights folded into the embedding: per token, its 4H gate pre-activations including the bias. */
    private final float[] tokenGates;
    /** Input weights (in x 4H, row-major) of layers 1..; null for layer 0. */
    private final float[][] input;
    private final float[][] bias;
    /** Recurrent weights (H x 4H, row-major) per layer. */
    private final float[][] recurrent;
    private final float[] outWeights;
    /** The same matrices as rows, for the Java products (see {@link #addProduct}). */
    private final float[][][] inputRows, recurrentRows;
    private final float[][] outRows;
    private final float[] outBias;
    /** For tests: null decides by group size, true always BLAS, false always Java. */
    private Boolean force;

    /**
     * @param embedding    V x E
     * @param inputWeights per layer: in x 4H (in = E for layer 0)
     * @param recurrent    per layer: H x 4H
     * @param biases       per layer: 4H
     * @param outWeights   H x V
     * @param outBias      V
     */
    public LstmSampler(float[][] embedding, float[][][] inputWeights, float[][][] recurrent, float[][] biases,
            float[][] outWeights, float[] outBias) {
        super(embedding.length);
        this.vocabulary = embedding.length;
        this.layers = recurrent.length;
        this.units = recurrent[0].length;
        int g4 = 4 * units;
        this.tokenGates = new float[vocabulary * g4];
        for (int v = 0; v < vocabulary; v++) {
            for (int j = 0; j < g4; j++) {
                double s = biases[0][j];
                for (int e = 0; e < embedding[v].length; e++) {
                    s += (double) embedding[v][e] * inputWeights[0][e][j];
                }
                tokenGates[v * g4 + j] = (float) s;
            }
        }
        this.input = new float[layers][];
        this.recurrent = new float[layers][];
        this.bias = new float[layers][];
        for (int l = 0; l < layers; l++) {
            if (l > 0) {
                input[l] = flatten(inputWeights[l]);
            }
            this.recurrent[l] = flatten(recurrent[l]);
            bias[l] = biases[l].clone();
        }
        this.outWeights = flatten(outWeights);
        this.inputRows = new float[layers][][];
        this.recurrentRows = new float[layers][][];
        for (int l = 0; l < layers; l++) {
            inputRows[l] = l == 0 ? null : copy(inputWeights[l]);
            recurrentRows[l] = copy(recurrent[l]);
        }
        this.outRows = copy(outWeights);
        this.outBias = outBias.clone();
    }

    private static float[][] copy(float[][] m) {
        float[][] c = new float[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }

    private static float[] flatten(float[][] m) {
        int cols = m[0].length;
        float[] f = new float[m.length * cols];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, f, i * cols, cols);
        }
        return f;
    }

    /** For tests: always (true) or never (false) use BLAS; null decides by group size. */
    void forceBlas(Boolean blas) {
        force = blas;
    }

    /**
     * Wide layers: per layer and block of units, the gate columns [a | f | o | i] of the block's units side by side
     * (input weights, recurrent weights in direct memory; token gates and biases), so that a block's step is one
     * product over contiguous weights. Made on first use.
     */
    private volatile WideBlocks wide;

    private record WideBlocks(FloatBuffer[][] input, FloatBuffer[][] recurrent, float[][] tokenGates, float[][][] bias) {
    }

    private boolean isWide() {
        return units >= FusedLstm.WIDE && units % 2 == 0;
    }

    /** Columns of a gate matrix (rows x 4H, DL4J order) for block k: [a | f | o | i] of its units. */
    private float[] blockColumns(float[] m, int rows, int k) {
        int hb = units / 2, g4 = 4 * units;
        float[] b = new float[rows * 4 * hb];
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < 4; q++) {
                System.arraycopy(m, r * g4 + q * units + k * hb, b, r * 4 * hb + q * hb, hb);
            }
        }
        return b;
    }

    private WideBlocks wide() {
        WideBlocks w = wide;
        if (w == null) {
            synchronized (this) {
                if (wide == null) {
                    FloatBuffer[][] in = new FloatBuffer[layers][2], rec = new FloatBuffer[layers][2];
                    float[][] tg = new float[2][];
                    float[][][] b = new float[layers][2][];
                    for (int k = 0; k < 2; k++) {
                        tg[k] = blockColumns(tokenGates, vocabulary, k);
                        for (int l = 0; l < layers; l++) {
                            in[l][k] = l == 0 ? null : direct(blockColumns(input[l], units, k));
                            rec[l][k] = direct(blockColumns(recurrent[l], units, k));
                            b[l][k] = blockColumns(bias[l], 1, k);
                        }
                    }
                    wide = new WideBlocks(in, rec, tg, b);
                }
                w = wide;
            }
        }
        return w;
    }

    /** The weights in direct memory for BLAS, made on first use: [input (null for layer 0), recurrent] per layer, out. */
    private volatile FloatBuffer[] directWeights;

    private FloatBuffer[] directWeights() {
        FloatBuffer[] d = directWeights;
        if (d == null) {
            synchronized (this) {
                if (directWeights == null) {
                    d = new FloatBuffer[2 * layers + 1];
                    for (int l = 0; l < layers; l++) {
                        d[2 * l] = l == 0 ? null : direct(input[l]);
                        d[2 * l + 1] = direct(recurrent[l]);
                    }
                    d[2 * layers] = direct(outWeights);
                    directWeights = d;
                }
                d = directWeights;
            }
        }
        return d;
    }

    static FloatBuffer direct(float[] values) {
        FloatBuffer b = ByteBuffer.allocateDirect(4 * values.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
        b.put(0, values);
        return b;
    }

    /**
     * 256 for wide layers (256 units or more), whose steps split into two blocks of units over the threads: one large
     * group reads the weights once per step for all its trajectories (measured at 1024 units, 100 trajectories on 2
     * threads: 17.3k frames/s in one group, 12-13k in two); else 64.
     */
    @Override
    protected int preferredGroup() {
        return units >= FusedLstm.WIDE && units % 2 == 0 ? 256 : 64;
    }

    @Override
    protected State state(int size) {
        return new JavaState(size, force != null ? force : size >= BLAS_ROWS);
    }

    /** The step: per layer, hidden and cell vectors (size x H, row-major). */
    final class JavaState extends State {
        final boolean blas;
        final float[][] h;
        final float[][] c;
        final float[] gates;
        /** Java path: one output row. */
        final float[] row;
        /** BLAS path: the weights, and a hidden state and the products in direct memory. */
        final FloatBuffer[] weights;
        final FloatBuffer hDirect, inDirect, gatesDirect, logitsDirect;
        /** Wide layers: the blocks' weights, and per block its gates (size x 4 H / 2) in Java and direct memory. */
        final WideBlocks blocks;
        final float[][] blockGates;
        final FloatBuffer[] blockGatesDirect;

        JavaState(int size, boolean blas) {
            super(size, vocabulary);
            this.blas = blas;
            h = new float[layers][size * units];
            c = new float[layers][size * units];
            gates = new float[size * 4 * units];
            row = new float[Math.max(4 * units, vocabulary)];
            weights = blas ? directWeights() : null;
            hDirect = blas ? direct(new float[size * units]) : null;
            inDirect = blas && layers > 1 ? direct(new float[size * units]) : null;
            blocks = blas && isWide() ? wide() : null;
            blockGates = blocks == null ? null : new float[][] { new float[size * 2 * units], new float[size * 2 * units] };
            blockGatesDirect = blocks == null ? null
                    : new FloatBuffer[] { direct(blockGates[0]), direct(blockGates[1]) };
            gatesDirect = blas ? direct(new float[size * 4 * units]) : null;
            logitsDirect = blas ? direct(new float[size * vocabulary]) : null;
        }

        @Override
        protected void step(int[] tokens) {
            int g4 = 4 * units;
            for (int l = 0; l < layers; l++) {
                if (blocks != null) {
                    // wide layers: the step in two blocks of units, in parallel in the generation pool
                    if (l > 0) {
                        inDirect.put(0, h[l - 1], 0, size * units);
                    }
                    hDirect.put(0, h[l], 0, size * units);
                    int layer = l;
                    if (ForkJoinTask.inForkJoinPool()) {
                        ForkJoinTask.invokeAll(ForkJoinTask.adapt(() -> block(layer, 0, tokens)),
                                ForkJoinTask.adapt(() -> block(layer, 1, tokens)));
                    } else {
                        block(layer, 0, tokens);
                        block(layer, 1, tokens);
                    }
                    continue;
                }
                if (l == 0) {
                    for (int g = 0; g < size; g++) {
                        System.arraycopy(tokenGates, tokens[g] * g4, gates, g * g4, g4);
                    }
                } else {
                    for (int g = 0; g < size; g++) {
                        System.arraycopy(bias[l], 0, gates, g * g4, g4);
                    }
                }
                if (blas) {
                    gatesDirect.put(0, gates, 0, size * g4);
                    if (l > 0) {
                        hDirect.put(0, h[l - 1], 0, size * units);
                        gemm(hDirect, size, units, weights[2 * l], g4, gatesDirect);
                    }
                    hDirect.put(0, h[l], 0, size * units);
                    gemm(hDirect, size, units, weights[2 * l + 1], g4, gatesDirect);
                    gatesDirect.get(0, gates, 0, size * g4);
                } else {
                    if (l > 0) {
                        addProduct(h[l - 1], size, units, inputRows[l], g4, gates, row);
                    }
                    addProduct(h[l], size, units, recurrentRows[l], g4, gates, row);
                }
                float[] hl = h[l], cl = c[l];
                for (int g = 0; g < size; g++) {
                    int o = g * g4, u = g * units;
                    Activations.tanh(gates, o, units);
                    Activations.sigmoid(gates, o + units, 3 * units);
                    cell(gates, o, units, cl, hl, u, units);
                }
            }
            for (int g = 0; g < size; g++) {
                System.arraycopy(outBias, 0, logits, g * vocabulary, vocabulary);
            }
            if (blas) {
                logitsDirect.put(0, logits, 0, size * vocabulary);
                hDirect.put(0, h[layers - 1], 0, size * units);
                gemm(hDirect, size, units, weights[2 * layers], vocabulary, logitsDirect);
                logitsDirect.get(0, logits, 0, size * vocabulary);
            } else {
                addProduct(h[layers - 1], size, units, outRows, vocabulary, logits, row);
            }
        }

        /**
         * Layer l's step for the units of block k (of two): the block's gate pre-activations (token gates or bias,
         * plus one product over the block's contiguous weights from the direct inputs, which hold the previous
         * states), their activations, and its units' cells and hidden states.
         */
        private void block(int l, int k, int[] tokens) {
            int hb = units / 2, w = 4 * hb;
            float[] gb = blockGates[k];
            for (int g = 0; g < size; g++) {
                if (l == 0) {
                    System.arraycopy(blocks.tokenGates()[k], tokens[g] * w, gb, g * w, w);
                } else {
                    System.arraycopy(blocks.bias()[l][k], 0, gb, g * w, w);
                }
            }
            FloatBuffer gd = blockGatesDirect[k];
            gd.put(0, gb, 0, size * w);
            if (l > 0) {
                gemm(inDirect, size, units, blocks.input()[l][k], w, gd);
            }
            gemm(hDirect, size, units, blocks.recurrent()[l][k], w, gd);
            gd.get(0, gb, 0, size * w);
            float[] hl = h[l], cl = c[l];
            for (int g = 0; g < size; g++) {
                int o = g * w, u = g * units + k * hb;
                Activations.tanh(gb, o, hb);
                Activations.sigmoid(gb, o + hb, 3 * hb);
                cell(gb, o, hb, cl, hl, u, hb);
            }
        }
    }

    /**
     * The cell update of n units from activated gates laid out [a | f | o | i] from {@code at}, each block
     * {@code stride} wide: {@code c = f c + i a}, {@code h = o tanh(c)} at offset u of c and h.
     */
    private static void cell(float[] gates, int at, int stride, float[] c, float[] h, int u, int n) {
        int f = at + stride, out = at + 2 * stride, in = at + 3 * stride;
        for (int j = 0; j < n; j++) {
            c[u + j] = gates[f + j] * c[u + j] + gates[in + j] * gates[at + j];
        }
        System.arraycopy(c, u, h, u, n);
        Activations.tanh(h, u, n);
        for (int j = 0; j < n; j++) {
            h[u + j] *= gates[out + j];
        }
    }

    /** out (rows x n) += x (rows x k) times w (k x n), ND4J's OpenBLAS sgemm on direct buffers (no JNI copy). */
    private static void gemm(FloatBuffer x, int rows, int k, FloatBuffer w, int n, FloatBuffer out) {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                openblas_nolapack.CblasNoTrans, rows, n, k, 1f, x, k, w, n, 1f, out, n);
    }

    /**
     * out (rows x n) += x (rows x k) times w (k rows of n), in Java (small groups: cheaper than a JNI call). Each
     * output row is accumulated in {@code row} from the weight rows, every array indexed from 0 alike, which the JIT
     * vectorises (with two arrays at different offsets it cannot rule out overlap and does not: 5x slower).
     */
    static void addProduct(float[] x, int rows, int k, float[][] w, int n, float[] out, float[] row) {
        for (int g = 0; g < rows; g++) {
            int oBase = g * n;
            System.arraycopy(out, oBase, row, 0, n);
            for (int kk = 0; kk < k; kk++) {
                float a = x[g * k + kk];
                if (a == 0f) {
                    continue;
                }
                float[] wr = w[kk];
                for (int j = 0; j < n; j++) {
                    row[j] += a * wr[j];
                }
            }
            System.arraycopy(row, 0, out, oBase, n);
        }
    }
}
