package org.slowdyn.train.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fused Transformer training pass against SameDiff (loss, every parameter's gradient, Adam steps with L2 and the
 * optimiser state written into the graph) and against finite differences of an independent forward pass in double
 * precision.
 */
class FusedTransformerTest {
    static TransformerNetwork network(int vocabulary, int width, int heads, int blocks, int context, boolean sinusoidal,
            double dropout, double l2, long seed, double spread) {
        TransformerNetwork net = new TransformerNetwork(new TransformerNetwork.Shape(vocabulary, width, heads, blocks,
                context, sinusoidal, dropout), 1e-2, l2, seed);
        float[] p = net.parameters();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) (spread * (rng.nextDouble() - 0.5));
        }
        net.setParameters(p);
        return net;
    }

    /**
     * The loss to 1e-5 relative, each parameter's gradient to 1e-4 relative in norm, over two shards: SameDiff's
     * gradients (calculateGradients, what its training uses) are those of the loss summed over the frames.
     */
    @Test
    void lossAndGradientsAgreeWithSameDiff() {
        for (boolean sinusoidal : new boolean[] { false, true }) {
            int vocabulary = 5, batch = FusedTransformer.SHARD + 4, length = 30;
            TransformerNetwork net = network(vocabulary, 16, 4, 2, 40, sinusoidal, 0, 0, 3, 0.3);
            FusedTransformer fused = new FusedTransformer(net, 1e-2, 0, 3, 2);
            int[] w = FusedLstmTest.windows(batch, length, vocabulary, 5);
            double expectedLoss = net.loss(w, batch, length);
            double loss = fused.gradient(w, batch, length, false);
            assertEquals(expectedLoss, loss, 1e-5 * expectedLoss, "loss");
            Map<String, INDArray> expected = net.gradients(w, batch, length);
            float[] g = fused.lastGradient();
            int at = 0;
            StringBuilder wrong = new StringBuilder();
            for (String name : net.parameterNames()) {
                float[] e = expected.get(name).castTo(DataType.FLOAT).dup('c').data().asFloat();
                float[] diff = new float[e.length];
                for (int i = 0; i < e.length; i++) {
                    diff[i] = g[at + i] - e[i];
                }
                double relative = FusedLstmTest.norm(diff) / FusedLstmTest.norm(e);
                if (!(relative < 1e-4)) {
                    wrong.append(String.format(java.util.Locale.ROOT, "%n%s%s: relative difference %.3g (norm %.4g, "
                            + "SameDiff's %.4g)", name, sinusoidal ? " (sinusoidal)" : "", relative, FusedLstmTest.norm(
                                    java.util.Arrays.copyOfRange(g, at, at + e.length)), FusedLstmTest.norm(e)));
                }
                at += e.length;
            }
            assertEquals("", wrong.toString());
            assertEquals(g.length, at);
        }
    }

    /** Gradients against central finite differences of the network written out in double precision. */
    @Test
    void gradientsAgreeWithFiniteDifferencesInDouble() {
        int vocabulary = 3, batch = 2, length = 5;
        TransformerNetwork net = network(vocabulary, 4, 2, 2, 6, false, 0, 0, 11, 0.8);
        FusedTransformer fused = new FusedTransformer(net, 1e-2, 0, 11, 1);
        int[] w = FusedLstmTest.windows(batch, length, vocabulary, 2);
        double loss = fused.gradient(w, batch, length, false);
        float[] analytic = fused.lastGradient(); // of the summed loss: the reference's mean times the frame count
        for (int i = 0; i < analytic.length; i++) {
            analytic[i] /= batch * length;
        }
        Reference ref = new Reference(net);
        double[] p = new double[analytic.length];
        float[] f = net.parameters();
        for (int i = 0; i < p.length; i++) {
            p[i] = f[i];
        }
        assertEquals(ref.loss(p, w, batch, length), loss, 1e-5);
        double h = 1e-6;
        // tolerance: the float32 pass rounds at about 1e-6 relative per value, accumulated over the window; the
        // double central difference with step 1e-6 is exact to about 1e-10, so 2e-4 bounds the float side only
        StringBuilder wrong = new StringBuilder();
        for (String name : net.parameterNames()) {
            int from = ref.at.get(name), n = net.values(name).length;
            for (int i = from; i < from + n; i++) {
                double saved = p[i];
                p[i] = saved + h;
                double upper = ref.loss(p, w, batch, length);
                p[i] = saved - h;
                double lower = ref.loss(p, w, batch, length);
                p[i] = saved;
                double numeric = (upper - lower) / (2 * h);
                if (Math.abs(numeric - analytic[i]) > 2e-4 * Math.max(1, Math.abs(numeric))) {
                    wrong.append(String.format(java.util.Locale.ROOT, "%n%s[%d]: finite difference %.6g, analytic %.6g",
                            name, i - from, numeric, analytic[i]));
                }
            }
        }
        assertEquals("", wrong.toString());
    }

    /**
     * Three Adam steps with L2 move the parameters as SameDiff's fit does, and the state written into the graph is
     * SameDiff's own (moments and step count).
     */
    @Test
    void adamStepsAndOptimiserStateMatchSameDiff() {
        int vocabulary = 4, batch = 6, length = 12;
        TransformerNetwork reference = network(vocabulary, 16, 2, 1, 20, false, 0, 1e-2, 4, 0.3);
        TransformerNetwork copy = network(vocabulary, 16, 2, 1, 20, false, 0, 1e-2, 4, 0.3);
        float[] initial = reference.parameters();
        FusedTransformer fused = new FusedTransformer(copy, 1e-2, 1e-2, 4, 1);
        for (int step = 0; step < 3; step++) {
            int[] w = FusedLstmTest.windows(batch, length, vocabulary, 30 + step);
            reference.fit(w, batch, length);
            fused.fit(w, batch, length);
        }
        float[] expected = reference.parameters(), actual = fused.parameters();
        float[] moved = new float[expected.length], diff = new float[expected.length];
        for (int i = 0; i < expected.length; i++) {
            moved[i] = expected[i] - initial[i];
            diff[i] = actual[i] - expected[i];
        }
        assertTrue(FusedLstmTest.norm(moved) > 1e-2, "the steps moved the parameters");
        // 1e-3 of the movement: both sides step in float32, and Adam's division by sqrt(v) magnifies gradient
        // rounding (1e-6 relative) where a gradient is near zero; a wrong step differs by the order of the movement
        double relative = FusedLstmTest.norm(diff) / FusedLstmTest.norm(moved);
        assertTrue(relative < 1e-3, "parameter updates differ by " + relative);
        TransformerNetwork written = fused.network();
        assertEquals(reference.iterationCount(), written.iterationCount());
        for (String name : List.of("block0_query", "output", "tokens", "block0_norm1_gain")) {
            for (String part : List.of("M", "V")) {
                float[] e = ((INDArray) reference.updaters().get(name).getState().get(part)).dup('c').data().asFloat();
                float[] a = ((INDArray) written.updaters().get(name).getState().get(part)).dup('c').data().asFloat();
                float[] d = new float[e.length];
                for (int i = 0; i < e.length; i++) {
                    d[i] = a[i] - e[i];
                }
                double off = FusedLstmTest.norm(d) / FusedLstmTest.norm(e);
                assertTrue(off < 1e-3, name + " " + part + " differs by " + off);
            }
        }
    }

    /** With dropout, the same seed gives the same parameters on 1 and on 3 threads. */
    @Test
    void trainingDoesNotDependOnTheThreads() {
        int vocabulary = 4, batch = 2 * FusedTransformer.SHARD + 3, length = 10;
        FusedTransformer one = new FusedTransformer(network(vocabulary, 8, 2, 2, 10, false, 0.2, 1e-3, 6, 0.2),
                1e-2, 1e-3, 6, 1);
        FusedTransformer three = new FusedTransformer(network(vocabulary, 8, 2, 2, 10, false, 0.2, 1e-3, 6, 0.2),
                1e-2, 1e-3, 6, 3);
        for (int step = 0; step < 3; step++) {
            int[] w = FusedLstmTest.windows(batch, length, vocabulary, step);
            assertEquals(one.fit(w, batch, length), three.fit(w, batch, length));
        }
        assertArrayEquals(one.parameters(), three.parameters());
    }

    /** The teacher-forced probabilities are SameDiff's. */
    @Test
    void probabilitiesAreSameDiffs() {
        int vocabulary = 5, batch = 19, length = 25;
        TransformerNetwork net = network(vocabulary, 16, 4, 2, 30, true, 0, 0, 9, 0.3);
        float[] expected = net.probabilities(FusedLstmTest.windows(batch, length, vocabulary, 1), batch, length);
        float[] actual = new FusedTransformer(net, 1e-2, 0, 9, 2)
                .probabilities(FusedLstmTest.windows(batch, length, vocabulary, 1), batch, length);
        for (int i = 0; i < expected.length; i++) {
            // float32 probabilities summed in another order: a few roundings of 6e-8
            assertEquals(expected[i], actual[i], 2e-6, "probability " + i);
        }
    }

    /** The network as equations in double precision over the flat parameters: the finite-difference reference. */
    static final class Reference {
        final TransformerNetwork.Shape s;
        final Map<String, Integer> at = new java.util.HashMap<>();

        Reference(TransformerNetwork net) {
            s = net.shape;
            int o = 0;
            for (String name : net.parameterNames()) {
                at.put(name, o);
                o += net.values(name).length;
            }
        }

        double p(double[] p, String name, int index) {
            return p[at.get(name) + index];
        }

        double[] layerNorm(double[] p, double[] x, String name) {
            int e = x.length;
            double mean = 0, var = 0;
            for (double v : x) {
                mean += v;
            }
            mean /= e;
            for (double v : x) {
                var += (v - mean) * (v - mean);
            }
            double sd = Math.sqrt(var / e);
            double[] y = new double[e];
            for (int j = 0; j < e; j++) {
                y[j] = (x[j] - mean) / sd * p(p, name + "_gain", j) + p(p, name + "_bias", j);
            }
            return y;
        }

        /** x (rows) times the parameter matrix name (in x cols) plus bias (null: none). */
        double[] linear(double[] p, double[] x, String name, int cols, String bias) {
            double[] y = new double[cols];
            for (int j = 0; j < cols; j++) {
                y[j] = bias == null ? 0 : p(p, bias, j);
                for (int i = 0; i < x.length; i++) {
                    y[j] += x[i] * p(p, name, i * cols + j);
                }
            }
            return y;
        }

        double loss(double[] p, int[] w, int batch, int length) {
            int e = s.width(), heads = s.heads(), dh = e / heads;
            double total = 0;
            for (int b = 0; b < batch; b++) {
                double[][] h = new double[length][e];
                for (int t = 0; t < length; t++) {
                    int token = w[b * (length + 1) + t];
                    for (int j = 0; j < e; j++) {
                        h[t][j] = p(p, "tokens", token * e + j) + p(p, "positions", t * e + j);
                    }
                }
                for (int k = 0; k < s.blocks(); k++) {
                    String pre = "block" + k + "_";
                    double[][] q = new double[length][], key = new double[length][], v = new double[length][];
                    for (int t = 0; t < length; t++) {
                        double[] a = layerNorm(p, h[t], pre + "norm1");
                        q[t] = linear(p, a, pre + "query", e, null);
                        key[t] = linear(p, a, pre + "key", e, null);
                        v[t] = linear(p, a, pre + "value", e, null);
                    }
                    for (int t = 0; t < length; t++) {
                        double[] mixed = new double[e];
                        for (int hd = 0; hd < heads; hd++) {
                            double[] sc = new double[t + 1];
                            double max = Double.NEGATIVE_INFINITY, sum = 0;
                            for (int j = 0; j <= t; j++) {
                                for (int d = 0; d < dh; d++) {
                                    sc[j] += q[t][hd * dh + d] * key[j][hd * dh + d];
                                }
                                sc[j] /= Math.sqrt(dh);
                                max = Math.max(max, sc[j]);
                            }
                            for (int j = 0; j <= t; j++) {
                                sc[j] = Math.exp(sc[j] - max);
                                sum += sc[j];
                            }
                            for (int j = 0; j <= t; j++) {
                                for (int d = 0; d < dh; d++) {
                                    mixed[hd * dh + d] += sc[j] / sum * v[j][hd * dh + d];
                                }
                            }
                        }
                        double[] o = linear(p, mixed, pre + "out", e, pre + "out_bias");
                        for (int j = 0; j < e; j++) {
                            h[t][j] += o[j];
                        }
                    }
                    for (int t = 0; t < length; t++) {
                        double[] u = linear(p, layerNorm(p, h[t], pre + "norm2"), pre + "up", 4 * e, pre + "up_bias");
                        for (int j = 0; j < u.length; j++) {
                            u[j] = u[j] / (1 + Math.exp(-1.702 * u[j]));
                        }
                        double[] d = linear(p, u, pre + "down", e, pre + "down_bias");
                        for (int j = 0; j < e; j++) {
                            h[t][j] += d[j];
                        }
                    }
                }
                for (int t = 0; t < length; t++) {
                    double[] logits = linear(p, layerNorm(p, h[t], "final_norm"), "output", s.vocabulary(),
                            "output_bias");
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (double x : logits) {
                        max = Math.max(max, x);
                    }
                    for (double x : logits) {
                        sum += Math.exp(x - max);
                    }
                    total += Math.log(sum) + max - logits[w[b * (length + 1) + t + 1]];
                }
            }
            return total / (batch * length);
        }
    }
}
