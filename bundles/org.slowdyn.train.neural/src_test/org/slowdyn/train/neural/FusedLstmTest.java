package org.slowdyn.train.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slowdyn.core.settings.Settings;

/**
 * The fused LSTM training pass against DL4J's own layers (loss, every parameter tensor's gradient, Adam steps, the
 * updater state it writes into the DL4J network) and against finite differences of an independent forward pass in
 * double precision.
 */
class FusedLstmTest {
    static Settings size(int embedding, int units, int layers, double l2) {
        return LstmTrainer.SCHEMA.defaults().edit().set(LstmTrainer.EMBEDDING, embedding)
                .set(LstmTrainer.UNITS, units).set(LstmTrainer.LAYERS, layers).set(LstmTrainer.L2, l2).done();
    }

    /** A DL4J network with weights moved away from their initialisation so that every gate matters. */
    static MultiLayerNetwork network(int vocabulary, Settings s, long seed, double spread) {
        MultiLayerNetwork net = LstmTrainer.network(vocabulary, s, seed);
        INDArray p = net.params().dup();
        SplittableRandom rng = new SplittableRandom(seed);
        for (long i = 0; i < p.length(); i++) {
            p.putScalar(i, p.getDouble(i) + spread * (rng.nextDouble() - 0.5));
        }
        net.setParams(p);
        return net;
    }

    static int[] windows(int batch, int length, int vocabulary, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] w = new int[batch * (length + 1)];
        for (int i = 0; i < w.length; i++) {
            // a sticky chain, so that the recurrent weights carry information
            w[i] = i % (length + 1) > 0 && rng.nextDouble() < 0.7 ? w[i - 1] : rng.nextInt(vocabulary);
        }
        return w;
    }

    /** DL4J's inputs (batch x 1 x length) and one-hot labels (batch x V x length). */
    static INDArray[] dl4jData(int[] w, int batch, int length, int vocabulary) {
        float[] x = new float[batch * length], y = new float[batch * vocabulary * length];
        for (int i = 0; i < batch; i++) {
            for (int t = 0; t < length; t++) {
                x[i * length + t] = w[i * (length + 1) + t];
                y[(i * vocabulary + w[i * (length + 1) + t + 1]) * length + t] = 1f;
            }
        }
        return new INDArray[] { Nd4j.create(x, new long[] { batch, 1, length }, 'c'),
                Nd4j.create(y, new long[] { batch, vocabulary, length }, 'c') };
    }

    static double norm(float[] a) {
        double s = 0;
        for (float x : a) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    /**
     * Loss to 1e-5 relative and each parameter tensor's gradient to 1e-4 relative in norm against DL4J's
     * computeGradientAndScore, at the Tsai size over two shards and for a 2-layer net with L2 (the gradient of DL4J's
     * score: what its updater receives).
     */
    @Test
    void lossAndGradientsAgreeWithDl4j() {
        compareWithDl4j(4, size(8, 64, 1, 0), 40, 50, 1);
        compareWithDl4j(6, size(5, 24, 2, 1e-3), 7, 20, 2);
        // wide layers: each step split into two blocks of units
        compareWithDl4j(5, size(6, FusedLstm.WIDE, 2, 1e-3), 3, 12, 3);
    }

    private static void compareWithDl4j(int vocabulary, Settings s, int batch, int length, long seed) {
        MultiLayerNetwork reference = network(vocabulary, s, seed, 0.4);
        FusedLstm fused = new FusedLstm(reference.clone(), vocabulary, s.get(LstmTrainer.EMBEDDING),
                s.get(LstmTrainer.UNITS), s.get(LstmTrainer.LAYERS), s.get(LstmTrainer.L2), 0, seed, 2);
        int[] w = windows(batch, length, vocabulary, seed + 7);
        INDArray[] data = dl4jData(w, batch, length, vocabulary);
        reference.setInput(data[0]);
        reference.setLabels(data[1]);
        reference.computeGradientAndScore();
        double l2Term = 0;
        if (s.get(LstmTrainer.L2) > 0) {
            for (Map.Entry<String, INDArray> e : reference.paramTable().entrySet()) {
                if (e.getKey().endsWith("W")) {
                    l2Term += 0.5 * s.get(LstmTrainer.L2) * e.getValue().castTo(DataType.DOUBLE).norm2Number()
                            .doubleValue() * e.getValue().castTo(DataType.DOUBLE).norm2Number().doubleValue();
                }
            }
        }
        double loss = fused.gradient(w, batch, length, false) / batch + l2Term;
        assertEquals(reference.score(), loss, 1e-5 * Math.abs(reference.score()), "loss");

        // each tensor: our gradient placed in DL4J's flat layout, read through a network's parameter views
        MultiLayerNetwork ours = reference.clone();
        ours.setParams(Nd4j.create(fused.dl4jGradient(), new long[] { 1, reference.numParams() }, 'c'));
        Gradient g = reference.gradient();
        int tensors = 0;
        for (Map.Entry<String, INDArray> e : g.gradientForVariable().entrySet()) {
            // DL4J's gradient is of the loss summed over the batch, its updater divides it by the batch size and
            // then adds the L2 term's gradient (weights only): that sum is the gradient of its score
            float[] expected = e.getValue().castTo(DataType.FLOAT).dup('c').data().asFloat();
            float[] weights = reference.getParam(e.getKey()).castTo(DataType.FLOAT).dup('c').data().asFloat();
            double l2 = e.getKey().endsWith("W") ? s.get(LstmTrainer.L2) : 0;
            for (int i = 0; i < expected.length; i++) {
                expected[i] = (float) (expected[i] / batch + l2 * weights[i]);
            }
            float[] actual = ours.getParam(e.getKey()).castTo(DataType.FLOAT).dup('c').data().asFloat();
            float[] diff = new float[expected.length];
            for (int i = 0; i < diff.length; i++) {
                diff[i] = actual[i] - expected[i];
            }
            double relative = norm(diff) / norm(expected);
            assertTrue(relative < 1e-4, e.getKey() + ": relative difference " + relative);
            tensors++;
        }
        assertEquals(3 + 3 * s.get(LstmTrainer.LAYERS), tensors);
    }

    /** Gradients against central finite differences of a forward pass written out in double precision. */
    @Test
    void gradientsAgreeWithFiniteDifferencesInDouble() {
        int vocabulary = 3, batch = 2, length = 6;
        Settings s = size(2, 3, 2, 0);
        MultiLayerNetwork net = network(vocabulary, s, 5, 1.0);
        FusedLstm fused = new FusedLstm(net.clone(), vocabulary, 2, 3, 2, 0, 0, 5, 1);
        int[] w = windows(batch, length, vocabulary, 9);
        fused.gradient(w, batch, length, false);
        float[] analytic = fused.dl4jGradient();
        double[] p = net.params().castTo(DataType.DOUBLE).dup('c').data().asDouble();
        Reference ref = new Reference(net, vocabulary, 2, 3, 2);
        double h = 1e-6;
        for (int i = 0; i < p.length; i++) {
            double saved = p[i];
            p[i] = saved + h;
            double up = ref.loss(p, w, batch, length);
            p[i] = saved - h;
            double down = ref.loss(p, w, batch, length);
            p[i] = saved;
            double numeric = (up - down) / (2 * h);
            // the float32 pass rounds at about 1e-6 relative per value, accumulated over the window; the double
            // central difference with step 1e-6 is exact to about 1e-10, so 2e-4 bounds the float side only
            assertEquals(numeric, analytic[i], 2e-4 * Math.max(1, Math.abs(numeric)), "parameter " + i);
        }
        assertEquals(ref.loss(p, w, batch, length), fused.gradient(w, batch, length, false) / batch, 1e-5);
    }

    /**
     * Three Adam steps with L2 move the parameters as DL4J's fit does, and the moments written into the DL4J network
     * are DL4J's own (so that either engine resumes the other's checkpoint).
     */
    @Test
    void adamStepsAndUpdaterStateMatchDl4j() {
        int vocabulary = 5, batch = 9, length = 15;
        Settings s = size(4, 16, 1, 1e-2).edit().set(LstmTrainer.LEARNING_RATE, 1e-2).done();
        MultiLayerNetwork reference = network(vocabulary, s, 3, 0.4);
        MultiLayerNetwork start = reference.clone();
        FusedLstm fused = new FusedLstm(reference.clone(), vocabulary, 4, 16, 1, 1e-2, 0, 3, 1);
        for (int step = 0; step < 3; step++) {
            int[] w = windows(batch, length, vocabulary, 20 + step);
            INDArray[] data = dl4jData(w, batch, length, vocabulary);
            reference.fit(data[0], data[1]);
            fused.fit(w, batch, length);
        }
        MultiLayerNetwork ours = fused.network();
        float[] initial = start.params().dup('c').data().asFloat();
        float[] expected = reference.params().dup('c').data().asFloat();
        float[] actual = ours.params().dup('c').data().asFloat();
        float[] moved = new float[initial.length], diff = new float[initial.length];
        for (int i = 0; i < initial.length; i++) {
            moved[i] = expected[i] - initial[i];
            diff[i] = actual[i] - expected[i];
        }
        assertTrue(norm(moved) > 1e-2, "the steps moved the parameters");
        // 1e-3 of the movement: both sides step in float32, and Adam's division by sqrt(v) magnifies gradient
        // rounding (1e-6 relative) where a gradient is near zero; a wrong step differs by the order of the movement
        assertTrue(norm(diff) / norm(moved) < 1e-3, "parameter updates differ by " + norm(diff) / norm(moved));
        assertEquals(reference.getLayerWiseConfigurations().getIterationCount(),
                ours.getLayerWiseConfigurations().getIterationCount());
        float[] stateExpected = reference.getUpdater().getStateViewArray().dup('c').data().asFloat();
        float[] stateActual = ours.getUpdater().getStateViewArray().dup('c').data().asFloat();
        float[] stateDiff = new float[stateExpected.length];
        for (int i = 0; i < stateDiff.length; i++) {
            stateDiff[i] = stateActual[i] - stateExpected[i];
        }
        assertTrue(norm(stateDiff) / norm(stateExpected) < 1e-3, "Adam moments differ");
        // and back: a fused network made from the DL4J network carries on as DL4J does
        FusedLstm resumed = new FusedLstm(reference.clone(), vocabulary, 4, 16, 1, 1e-2, 0, 3, 1);
        int[] w = windows(batch, length, vocabulary, 40);
        INDArray[] data = dl4jData(w, batch, length, vocabulary);
        float[] before = reference.params().dup('c').data().asFloat();
        reference.fit(data[0], data[1]);
        resumed.fit(w, batch, length);
        float[] after = reference.params().dup('c').data().asFloat();
        float[] resumedParams = resumed.parameters();
        for (int i = 0; i < before.length; i++) {
            moved[i] = after[i] - before[i];
            diff[i] = resumedParams[i] - after[i];
        }
        assertTrue(norm(diff) / norm(moved) < 1e-3, "resumed step differs by " + norm(diff) / norm(moved));
    }

    /** With dropout, the same seed gives the same parameters on 1 and on 3 threads, for narrow and wide layers. */
    @Test
    void trainingDoesNotDependOnTheThreads() {
        sameOnAnyThreads(8, 70);
        sameOnAnyThreads(FusedLstm.WIDE, 70);
    }

    private static void sameOnAnyThreads(int units, int batch) {
        int vocabulary = 4, length = 12;
        Settings s = size(3, units, 2, 1e-3);
        MultiLayerNetwork net = network(vocabulary, s, 8, 0.2);
        FusedLstm one = new FusedLstm(net.clone(), vocabulary, 3, units, 2, 1e-3, 0.3, 8, 1);
        FusedLstm three = new FusedLstm(net.clone(), vocabulary, 3, units, 2, 1e-3, 0.3, 8, 3);
        for (int step = 0; step < 3; step++) {
            int[] w = windows(batch, length, vocabulary, step);
            assertEquals(one.fit(w, batch, length), three.fit(w, batch, length));
        }
        assertArrayEquals(one.parameters(), three.parameters());
        int[] w = windows(100, length, vocabulary, 99);
        assertArrayEquals(one.probabilities(w, 100, length), three.probabilities(w, 100, length));
    }

    /** The teacher-forced probabilities are DL4J's output. */
    @Test
    void probabilitiesAreDl4jOutput() {
        int vocabulary = 5, batch = 37, length = 11;
        Settings s = size(4, 10, 2, 0);
        MultiLayerNetwork net = network(vocabulary, s, 4, 0.4);
        FusedLstm fused = new FusedLstm(net.clone(), vocabulary, 4, 10, 2, 0, 0, 4, 2);
        int[] w = windows(batch, length, vocabulary, 3);
        float[] p = fused.probabilities(w, batch, length);
        float[] q = new LstmTrainer.Dl4jNetwork(net, vocabulary).probabilities(w, batch, length);
        for (int i = 0; i < p.length; i++) {
            // float32 probabilities summed in another order: a few roundings of 6e-8
            assertEquals(q[i], p[i], 2e-6, "probability " + i);
        }
    }

    /** The network as equations in double precision, over DL4J's flat parameters: the finite-difference reference. */
    static final class Reference {
        final int vocabulary, embedding, units, layers;
        final int[][] index; // per parameter tensor: DL4J flat index of element (row-major)
        final String[] keys;

        Reference(MultiLayerNetwork net, int vocabulary, int embedding, int units, int layers) {
            this.vocabulary = vocabulary;
            this.embedding = embedding;
            this.units = units;
            this.layers = layers;
            MultiLayerNetwork probe = net.clone();
            int n = (int) probe.numParams();
            float[] ramp = new float[n];
            for (int i = 0; i < n; i++) {
                ramp[i] = i;
            }
            probe.setParams(Nd4j.create(ramp, new long[] { 1, n }, 'c'));
            keys = new String[3 * layers + 3];
            keys[0] = "0_W";
            for (int l = 0; l < layers; l++) {
                keys[1 + 3 * l] = (l + 1) + "_W";
                keys[2 + 3 * l] = (l + 1) + "_RW";
                keys[3 + 3 * l] = (l + 1) + "_b";
            }
            keys[3 * layers + 1] = (layers + 1) + "_W";
            keys[3 * layers + 2] = (layers + 1) + "_b";
            index = new int[keys.length][];
            for (int k = 0; k < keys.length; k++) {
                float[] f = probe.getParam(keys[k]).dup('c').data().asFloat();
                index[k] = new int[f.length];
                for (int i = 0; i < f.length; i++) {
                    index[k][i] = (int) f[i];
                }
            }
        }

        double at(double[] p, int tensor, int row, int col, int cols) {
            return p[index[tensor][row * cols + col]];
        }

        /** DL4J's score without L2: cross-entropy summed over each window, averaged over the batch. */
        double loss(double[] p, int[] w, int batch, int length) {
            double total = 0;
            int g4 = 4 * units;
            for (int b = 0; b < batch; b++) {
                double[][] input = new double[length][];
                for (int t = 0; t < length; t++) {
                    int token = w[b * (length + 1) + t];
                    input[t] = new double[embedding];
                    for (int e = 0; e < embedding; e++) {
                        input[t][e] = at(p, 0, token, e, embedding);
                    }
                }
                for (int l = 0; l < layers; l++) {
                    int in = l == 0 ? embedding : units;
                    double[] h = new double[units], c = new double[units];
                    double[][] out = new double[length][];
                    for (int t = 0; t < length; t++) {
                        double[] z = new double[g4];
                        for (int j = 0; j < g4; j++) {
                            z[j] = at(p, 3 + 3 * l, 0, j, g4);
                            for (int i = 0; i < in; i++) {
                                z[j] += input[t][i] * at(p, 1 + 3 * l, i, j, g4);
                            }
                            for (int i = 0; i < units; i++) {
                                z[j] += h[i] * at(p, 2 + 3 * l, i, j, g4);
                            }
                        }
                        double[] hNew = new double[units];
                        for (int j = 0; j < units; j++) {
                            double a = Math.tanh(z[j]), f = sigmoid(z[units + j]), o = sigmoid(z[2 * units + j]),
                                    i = sigmoid(z[3 * units + j]);
                            c[j] = f * c[j] + i * a;
                            hNew[j] = o * Math.tanh(c[j]);
                        }
                        h = hNew;
                        out[t] = hNew;
                    }
                    input = out;
                }
                for (int t = 0; t < length; t++) {
                    double[] logits = new double[vocabulary];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < vocabulary; k++) {
                        logits[k] = at(p, 3 * layers + 2, 0, k, vocabulary);
                        for (int i = 0; i < units; i++) {
                            logits[k] += input[t][i] * at(p, 3 * layers + 1, i, k, vocabulary);
                        }
                        max = Math.max(max, logits[k]);
                    }
                    double sum = 0;
                    for (double x : logits) {
                        sum += Math.exp(x - max);
                    }
                    total += Math.log(sum) + max - logits[w[b * (length + 1) + t + 1]];
                }
            }
            return total / batch;
        }

        private static double sigmoid(double x) {
            return 1 / (1 + Math.exp(-x));
        }
    }
}
