package org.slowdyn.train.markov;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.kinetics.TransitionCounts;

class MarkovChainTrainerTest {
    /** A 3-state chain with forbidden transitions 0 -> 2 and 2 -> 0. */
    static final double[][] TRUTH = { { 0.90, 0.10, 0.00 }, { 0.05, 0.90, 0.05 }, { 0.00, 0.20, 0.80 } };

    /** Reference sampler written independently of the model's (inverse CDF by linear scan). */
    static int[] sample(double[][] t, int length, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] s = new int[length];
        for (int i = 1; i < length; i++) {
            double u = rng.nextDouble(), acc = 0;
            int next = t.length - 1;
            for (int j = 0; j < t.length; j++) {
                acc += t[s[i - 1]][j];
                if (u < acc) {
                    next = j;
                    break;
                }
            }
            s[i] = next;
        }
        return s;
    }

    private final MarkovChainTrainer trainer = new MarkovChainTrainer();

    @Test
    void transitionMatrixIsTheRowNormalisedCountMatrix() {
        StateSequence a = new StateSequence(new int[] { 0, 0, 1, 0, 1, 1 }, 3, 1, "ps", "a");
        StateSequence b = new StateSequence(new int[] { 1, 0 }, 3, 1, "ps", "b");
        MarkovChainModel m = (MarkovChainModel) trainer.train(List.of(a, b), MarkovChainTrainer.SCHEMA.defaults(), 0,
                null);
        double[][] t = m.transitionMatrix();
        // from 0: 0->0 once, 0->1 twice; from 1: 1->0 twice (one in each trajectory), 1->1 once
        assertArrayEquals(new double[] { 1 / 3.0, 2 / 3.0, 0 }, t[0], 1e-12);
        assertArrayEquals(new double[] { 2 / 3.0, 1 / 3.0, 0 }, t[1], 1e-12);
        assertArrayEquals(new double[] { 0, 0, 1 }, t[2], 1e-12, "an unvisited state stays put");
    }

    @Test
    void generatedTransitionsMatchTheTruthIncludingZeros() {
        List<StateSequence> training = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            training.add(StateSequence.wrap(sample(TRUTH, 100_000, 100 + t), 3, 1, "ps", "train " + t));
        }
        KineticModel model = trainer.train(training, MarkovChainTrainer.SCHEMA.defaults(), 0, null);
        List<int[]> prefixes = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            prefixes.add(new int[] { t % 3 });
        }
        List<StateSequence> generated = model.generate(prefixes, 100_000, 42, 1.0, null);
        long[][] c = TransitionCounts.count(generated, 1);
        for (int i = 0; i < 3; i++) {
            long row = java.util.Arrays.stream(c[i]).sum();
            for (int j = 0; j < 3; j++) {
                double p = c[i][j] / (double) row;
                if (TRUTH[i][j] == 0) {
                    assertEquals(0, c[i][j], "forbidden transition " + i + " -> " + j + " was generated");
                } else {
                    // estimation error of the training (1e6 steps) and of the generated sample (1e6 steps), 5 sigma
                    double sigma = Math.sqrt(2 * TRUTH[i][j] * (1 - TRUTH[i][j]) / row);
                    assertEquals(TRUTH[i][j], p, 5 * sigma, "transition " + i + " -> " + j);
                }
            }
        }
        assertEquals(10, generated.size());
        assertEquals(100_000, generated.get(3).length());
        assertEquals(0, generated.get(3).state(0), "the prefix starts the generated trajectory");
    }

    /** A model at lag 3 of a Markov chain generates steps distributed as the third matrix power of the chain. */
    @Test
    void lagModelGeneratesOneStepPerLagWithTheMatrixPower() {
        List<StateSequence> training = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            training.add(StateSequence.wrap(sample(TRUTH, 250_000, 300 + t), 3, 2.0, "ps", "train " + t));
        }
        double[][] cube = multiply(TRUTH, multiply(TRUTH, TRUTH));
        for (boolean reversible : new boolean[] { false, true }) {
            KineticModel model = trainer.train(training, MarkovChainTrainer.SCHEMA.defaults()
                    .with(MarkovChainTrainer.LAG, 3).with(MarkovChainTrainer.REVERSIBLE, reversible), 0, null);
            assertEquals(6.0, model.frameInterval(), 1e-12, "one generated step is 3 frames of 2 ps");
            List<StateSequence> g = model.generate(List.of(new int[] { 0 }, new int[] { 2 }), 300_000, 5, 1.0, null);
            assertEquals(6.0, g.get(0).frameInterval(), 1e-12);
            long[][] c = TransitionCounts.count(g, 1);
            for (int i = 0; i < 3; i++) {
                long row = java.util.Arrays.stream(c[i]).sum();
                for (int j = 0; j < 3; j++) {
                    double sigma = Math.sqrt(2 * cube[i][j] * (1 - cube[i][j]) / row) + 1e-4;
                    assertEquals(cube[i][j], c[i][j] / (double) row, 6 * sigma, "(T^3)[" + i + "][" + j + "]");
                }
            }
        }
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < n; j++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    @Test
    void lagLongerThanEveryTrajectoryIsANamedSettingError() {
        StateSequence s = new StateSequence(new int[] { 0, 1, 0 }, 2, 1, "ps", "short");
        assertEquals("lag", assertThrows(org.slowdyn.core.settings.InvalidSettingException.class,
                () -> trainer.train(List.of(s), MarkovChainTrainer.SCHEMA.defaults().with(MarkovChainTrainer.LAG, 5),
                        0, null)).field());
    }

    @Test
    void temperatureReweightsTransitionProbabilities() {
        double[][] two = { { 0.8, 0.2 }, { 0.5, 0.5 } };
        KineticModel m = trainer.train(List.of(StateSequence.wrap(sample(two, 400_000, 1), 2, 1, "ps", "t")),
                MarkovChainTrainer.SCHEMA.defaults(), 0, null);
        List<StateSequence> g = m.generate(List.of(new int[] { 0 }), 400_000, 7, 2.0, null);
        long[][] c = TransitionCounts.count(g, 1);
        // at temperature 2: p ~ p^(1/2): 0.8^0.5 / (0.8^0.5 + 0.2^0.5) = 2/3
        assertEquals(2 / 3.0, c[0][0] / (double) (c[0][0] + c[0][1]), 0.01);
    }

    @Test
    void savedModelGeneratesTheSameSequencesForTheSameSeed(@TempDir Path dir) throws Exception {
        KineticModel model = trainer.train(List.of(StateSequence.wrap(sample(TRUTH, 20_000, 5), 3, 1, "ps", "t")),
                MarkovChainTrainer.SCHEMA.defaults(), 0, null);
        model.save(dir);
        KineticModel loaded = trainer.load(dir);
        List<int[]> prefixes = List.of(new int[] { 0, 1 }, new int[] { 2 });
        List<StateSequence> a = model.generate(prefixes, 5000, 99, 1.0, null);
        List<StateSequence> b = loaded.generate(prefixes, 5000, 99, 1.0, null);
        assertEquals(a, b);
        assertNotEquals(a, loaded.generate(prefixes, 5000, 100, 1.0, null));
        assertEquals(1.0, loaded.frameInterval());
        assertThrows(IllegalArgumentException.class, () -> model.generate(List.of(new int[] { 3 }), 10, 1, 1, null));
    }
}
