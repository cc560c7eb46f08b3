package org.slowdyn.train.lstm;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward pass of a trained embedding + LSTM + softmax network, step by step for many trajectories at once, written
 * out in Java over the network's weights. A generation step costs no framework call for small networks; for large
 * ones the matrix products go to ND4J's BLAS. Gate layout as DL4J's LSTM layer: pre-activations in blocks
 * [block input (tanh) | forget | output | input gate], all gates sigmoid; {@code c' = f c + i a}, {@code h' = o
 * tanh(c')}. Each trajectory samples from its own random stream, so results do not depend on how trajectories are
 * grouped or on the number of threads.
 */
public final class LstmSampler {
    /** Products with at least this many multiply-adds per step go to BLAS. */
    static final long BLAS_THRESHOLD = 1L << 21;

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
    private final float[] outBias;
    private final INDArray[] inputNd;
    private final INDArray[] recurrentNd;
    private final INDArray outNd;
    private boolean forceBlas;
    private boolean forceJava;

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
        this.inputNd = new INDArray[layers];
        this.recurrentNd = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            if (l > 0) {
                input[l] = flatten(inputWeights[l]);
            }
            this.recurrent[l] = flatten(recurrent[l]);
            bias[l] = biases[l].clone();
        }
        this.outWeights = flatten(outWeights);
        this.outBias = outBias.clone();
        boolean big = (long) units * g4 >= BLAS_THRESHOLD / 64;
        for (int l = 0; l < layers && big; l++) {
            recurrentNd[l] = Nd4j.create(this.recurrent[l], new long[] { units, g4 }, 'c');
            inputNd[l] = l == 0 ? null : Nd4j.create(input[l], new long[] { units, g4 }, 'c');
        }
        this.outNd = big ? Nd4j.create(this.outWeights, new long[] { units, vocabulary }, 'c') : null;
    }

    private static float[] flatten(float[][] m) {
        int cols = m[0].length;
        float[] f = new float[m.length * cols];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, f, i * cols, cols);
        }
        return f;
    }

    public int vocabulary() {
        return vocabulary;
    }

    /** For tests: always (true) or never (false) use BLAS for the matrix products; null decides by size. */
    void forceBlas(Boolean blas) {
        forceBlas = blas != null && blas;
        forceJava = blas != null && !blas;
        if (forceBlas && recurrentNd[0] == null) {
            for (int l = 0; l < layers; l++) {
                recurrentNd[l] = Nd4j.create(recurrent[l], new long[] { units, 4 * units }, 'c');
                inputNd[l] = l == 0 ? null : Nd4j.create(input[l], new long[] { units, 4 * units }, 'c');
            }
        }
    }

    /** The state of a group of trajectories: per layer hidden and cell vectors (G x H, row-major). */
    final class State {
        final int size;
        final float[][] h;
        final float[][] c;
        final float[] gates;
        final float[] logits;

        State(int size) {
            this.size = size;
            h = new float[layers][size * units];
            c = new float[layers][size * units];
            gates = new float[size * 4 * units];
            logits = new float[size * vocabulary];
        }

        /** Feeds one token per trajectory; afterwards {@code logits} holds the next-token scores. */
        void step(int[] tokens) {
            int g4 = 4 * units;
            for (int l = 0; l < layers; l++) {
                if (l == 0) {
                    for (int g = 0; g < size; g++) {
                        System.arraycopy(tokenGates, tokens[g] * g4, gates, g * g4, g4);
                    }
                } else {
                    for (int g = 0; g < size; g++) {
                        System.arraycopy(bias[l], 0, gates, g * g4, g4);
                    }
                    addProduct(h[l - 1], size, units, input[l], inputNd[l], g4, gates);
                }
                addProduct(h[l], size, units, recurrent[l], recurrentNd[l], g4, gates);
                float[] hl = h[l], cl = c[l];
                for (int g = 0; g < size; g++) {
                    int o = g * g4, u = g * units;
                    for (int j = 0; j < units; j++) {
                        float a = (float) Math.tanh(gates[o + j]);
                        float f = sigmoid(gates[o + units + j]);
                        float out = sigmoid(gates[o + 2 * units + j]);
                        float in = sigmoid(gates[o + 3 * units + j]);
                        float cell = f * cl[u + j] + in * a;
                        cl[u + j] = cell;
                        hl[u + j] = out * (float) Math.tanh(cell);
                    }
                }
            }
            for (int g = 0; g < size; g++) {
                System.arraycopy(outBias, 0, logits, g * vocabulary, vocabulary);
            }
            addProduct(h[layers - 1], size, units, outWeights, outNd, vocabulary, logits);
        }
    }

    private static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    /** out (rows x n) += x (rows x k) times w (k x n). */
    private void addProduct(float[] x, int rows, int k, float[] w, INDArray wNd, int n, float[] out) {
        boolean blas = wNd != null && !forceJava && (forceBlas || (long) rows * k * n >= BLAS_THRESHOLD);
        if (blas) {
            INDArray product = Nd4j.create(x, new long[] { rows, k }, 'c').mmul(wNd);
            float[] p = product.castTo(DataType.FLOAT).data().asFloat();
            for (int i = 0; i < rows * n; i++) {
                out[i] += p[i];
            }
            return;
        }
        final int tile = 256;
        for (int j0 = 0; j0 < n; j0 += tile) {
            int j1 = Math.min(n, j0 + tile);
            for (int kk = 0; kk < k; kk++) {
                int wBase = kk * n;
                for (int g = 0; g < rows; g++) {
                    float a = x[g * k + kk];
                    if (a == 0f) {
                        continue;
                    }
                    int oBase = g * n;
                    for (int j = j0; j < j1; j++) {
                        out[oBase + j] += a * w[wBase + j];
                    }
                }
            }
        }
    }

    /** Next-token probabilities at temperature 1 after feeding {@code tokens}, for tests: frames x V. */
    double[][] probabilities(int[] tokens) {
        State s = new State(1);
        double[][] p = new double[tokens.length][];
        for (int t = 0; t < tokens.length; t++) {
            s.step(new int[] { tokens[t] });
            p[t] = softmax(s.logits, 0, 1.0);
        }
        return p;
    }

    private double[] softmax(float[] logits, int offset, double temperature) {
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
     * Generates trajectories that start with the given prefixes (fed to the network first) and go on to
     * {@code length} frames by sampling, at the temperature, from the softmax over the vocabulary. Trajectories are
     * run in groups of at most {@code group} in parallel over {@code threads}.
     *
     * @param streams   one random stream per trajectory
     * @param cancelled polled between steps; true stops with null
     * @param done      counts generated frames, for progress
     */
    int[][] generate(List<int[]> prefixes, int length, SplittableRandom[] streams, double temperature, int group,
            int threads, BooleanSupplier cancelled, AtomicLong done) {
        int n = prefixes.size();
        int[][] out = new int[n][];
        int groups = (n + group - 1) / group;
        AtomicBoolean stop = new AtomicBoolean();
        Runnable work = () -> IntStream.range(0, groups).parallel().forEach(b -> {
            int from = b * group, to = Math.min(n, from + group);
            int size = to - from;
            State s = new State(size);
            int[][] traj = new int[size][];
            int maxPrefix = 0;
            for (int g = 0; g < size; g++) {
                traj[g] = java.util.Arrays.copyOf(prefixes.get(from + g), length);
                maxPrefix = Math.max(maxPrefix, prefixes.get(from + g).length);
            }
            // teacher-force the prefixes; shorter prefixes start sampling as soon as they end
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
