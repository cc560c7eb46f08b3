package org.slowdyn.train.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.TrainingLog;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.Settings;

class LstmTrainerTest {
    @TempDir
    Path tmp;

    static Settings small() {
        return LstmTrainer.SCHEMA.defaults().edit().set(LstmTrainer.UNITS, 32).set(LstmTrainer.EPOCHS, 4)
                .set(LstmTrainer.LEARNING_RATE, 1e-2).done();
    }

    /**
     * The declared cost against the fused engine's seconds on one core in the paper study (runs/paper-study/cells,
     * 2026-12; medians per frame): Tsai's size 3.38e-6 s per training frame and epoch and 1.24e-6 s per generated
     * frame (72 cells); Zeng's size (embedding 128, 1,024 units) 3.58e-4 s (5-epoch cells; 3.92e-4 in the 10-epoch
     * ones) and 1.22e-4 s (4 cells). Within 10%, and the training multiplies by the epochs and by sequenceLength /
     * shift for overlapping windows.
     */
    @Test
    void costFollowsTheSecondsMeasuredAtTsaisAndZengsSize() {
        LstmTrainer t = new LstmTrainer();
        Settings tsai = LstmTrainer.SCHEMA.defaults().edit().set(LstmTrainer.EMBEDDING, 8).set(LstmTrainer.UNITS, 64)
                .set(LstmTrainer.EPOCHS, 1).done();
        Settings zeng = tsai.edit().set(LstmTrainer.EMBEDDING, 128).set(LstmTrainer.UNITS, 1024).done();
        assertEquals(3.38e-6, t.cost(tsai).secondsPerTrainingFrame(), 0.1 * 3.38e-6);
        assertEquals(1.24e-6, t.cost(tsai).secondsPerGeneratedFrame(), 0.1 * 1.24e-6);
        assertEquals(3.58e-4, t.cost(zeng).secondsPerTrainingFrame(), 0.1 * 3.58e-4);
        assertEquals(1.22e-4, t.cost(zeng).secondsPerGeneratedFrame(), 0.1 * 1.22e-4);
        double perEpoch = t.cost(tsai).secondsPerTrainingFrame();
        assertEquals(60 * perEpoch, t.cost(tsai.with(LstmTrainer.EPOCHS, 60)).secondsPerTrainingFrame(), 1e-15);
        // windows of 100 frames every 10 frames: each frame is in 10 windows
        assertEquals(10 * perEpoch, t.cost(tsai.with(LstmTrainer.SHIFT, 10)).secondsPerTrainingFrame(), 1e-15);
        // a second layer of 64 units over the first: 4 x 64 x (64 + 64) more multiply-adds
        assertEquals(perEpoch + 6 * 4 * 64 * 128 / 8e10, t.cost(tsai.with(LstmTrainer.LAYERS, 2))
                .secondsPerTrainingFrame(), 1e-15);
    }

    /**
     * The Java forward pass reproduces DL4J's own output, in the Java and the BLAS path, for 2 layers, narrow and wide
     * (a step in two blocks of units).
     */
    @Test
    void samplerReproducesTheNetworkOutput() {
        samplerReproduces(24);
        samplerReproduces(FusedLstm.WIDE);
    }

    private static void samplerReproduces(int units) {
        Settings s = LstmTrainer.SCHEMA.defaults().edit().set(LstmTrainer.UNITS, units).set(LstmTrainer.LAYERS, 2)
                .set(LstmTrainer.EMBEDDING, 5).done();
        MultiLayerNetwork net = LstmTrainer.network(6, s, 11);
        // move the weights away from their initialisation so that every gate matters
        INDArray params = net.params();
        SplittableRandom rng = new SplittableRandom(3);
        for (long i = 0; i < params.length(); i++) {
            params.putScalar(i, params.getDouble(i) + 0.3 * (rng.nextDouble() - 0.5));
        }
        net.setParams(params);
        int[] tokens = new int[40];
        for (int t = 0; t < tokens.length; t++) {
            tokens[t] = rng.nextInt(6);
        }
        float[] x = new float[tokens.length];
        for (int t = 0; t < tokens.length; t++) {
            x[t] = tokens[t];
        }
        INDArray out = net.output(Nd4j.create(x, new long[] { 1, 1, tokens.length }, 'c'))
                .castTo(DataType.DOUBLE);
        LstmSampler sampler = LstmModel.sampler(net, 2);
        for (Boolean blas : new Boolean[] { false, true }) {
            sampler.forceBlas(blas);
            double[][] p = sampler.probabilities(tokens);
            // float32 arithmetic summed in another order over 40 steps: a few hundred float roundings apart
            for (int t = 0; t < tokens.length; t++) {
                for (int v = 0; v < 6; v++) {
                    assertEquals(out.getDouble(0, v, t), p[t][v], 2e-5, "step " + t + " state " + v + " blas " + blas
                            + " units " + units);
                }
            }
        }
    }

    @Test
    void windowsStayInsideTrajectoriesAndValidationIsNeverInterleaved() {
        List<int[]> seqs = List.of(new int[25], new int[10], new int[11], new int[5]);
        List<TrainingData.Window> w = TrainingData.windows(seqs, 10, 4);
        // 25 frames: starts 0, 4, 8, 12 and one ending at the last frame (14); 10 frames: none; 11 frames: 0
        assertEquals(List.of(new TrainingData.Window(0, 0), new TrainingData.Window(0, 4),
                new TrainingData.Window(0, 8), new TrainingData.Window(0, 12), new TrainingData.Window(0, 14),
                new TrainingData.Window(2, 0)), w);
        List<int[]> many = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int[] s = new int[100];
            java.util.Arrays.fill(s, i);
            many.add(s);
        }
        TrainingData byTrajectory = TrainingData.split(many, "auto", 0.2, 10, 5);
        assertEquals(4, byTrajectory.validation().size());
        assertEquals(16, byTrajectory.training().size());
        for (int[] v : byTrajectory.validation()) {
            for (int[] t : byTrajectory.training()) {
                assertTrue(v[0] != t[0], "a trajectory is in one set only");
            }
        }
        TrainingData blocks = TrainingData.split(many.subList(0, 3), "auto", 0.25, 10, 5);
        assertEquals(3, blocks.validation().size());
        assertEquals(75, blocks.training().get(0).length);
        assertEquals(25, blocks.validation().get(0).length);
        TrainingData shortOnes = TrainingData.split(List.of(new int[5], new int[50]), "blocks", 0.0, 10, 5);
        assertEquals(1, shortOnes.training().size());
        assertTrue(shortOnes.notes().get(0).contains("1 trajectories (5 frames) are shorter"));
    }

    /** The chain test of {@link ChainCheck}: 40 epochs at a constant learning rate (forbidden transitions fade
     * slowly: their gradient is their probability). */
    @Test
    void learnsAMarkovChainIncludingItsZeros() {
        ChainCheck.learnsTheChain(new LstmTrainer(), small().edit().set(LstmTrainer.EPOCHS, 40)
                .set(LstmTrainer.PATIENCE, 100).set(LstmTrainer.DECAY, 1.0).done());
    }

    @Test
    void savedAndLoadedModelGeneratesTheSameSequencesForTheSameSeed() throws IOException {
        List<StateSequence> data = ChainCheck.sample(ChainCheck.CHAIN, 4, 3_000, 2);
        // groups of 4 run on BLAS, the fifth trajectory alone in Java
        Settings s = small().edit().set(LstmTrainer.EPOCHS, 1).set(LstmTrainer.GENERATION_GROUP, 4)
                .set(LstmTrainer.THREADS, 2).done();
        KineticModel model = new LstmTrainer().train(data, s, 5, null);
        List<int[]> prefixes = List.of(new int[] { 0, 1, 1 }, new int[] { 3 }, new int[] { 2, 2 }, new int[] { 1 },
                new int[] { 0 });
        List<StateSequence> a = model.generate(prefixes, 500, 42, 1.0, null);
        model.save(tmp.resolve("model"));
        KineticModel loaded = new LstmTrainer().load(tmp.resolve("model"));
        List<StateSequence> b = loaded.generate(prefixes, 500, 42, 1.0, null);
        for (int t = 0; t < prefixes.size(); t++) {
            assertArrayEquals(a.get(t).toArray(), b.get(t).toArray());
            assertArrayEquals(prefixes.get(t), java.util.Arrays.copyOf(b.get(t).toArray(), prefixes.get(t).length));
        }
        assertEquals(model.trainingLog().orElseThrow(), loaded.trainingLog().orElseThrow());
        // one thread gives the same sequences: each trajectory has its own stream, groups do not depend on threads
        KineticModel serial = new LstmModel(((LstmModel) loaded).network(), 4, loaded.settings()
                .with(LstmTrainer.THREADS, 1), 1.0, "ps", null);
        List<StateSequence> c = serial.generate(prefixes, 500, 42, 1.0, null);
        for (int t = 0; t < prefixes.size(); t++) {
            assertArrayEquals(a.get(t).toArray(), c.get(t).toArray());
        }
        assertTrue(!java.util.Arrays.equals(a.get(1).toArray(), model.generate(prefixes, 500, 43, 1.0, null).get(1)
                .toArray()), "another seed, another trajectory");
        assertThrows(IllegalArgumentException.class, () -> model.generate(List.of(new int[] { 4 }), 10, 1, 1.0, null));
    }

    @Test
    void resumingACheckpointContinuesAsIfUninterruptedAndCancellationStopsBetweenBatches() throws IOException {
        List<StateSequence> data = ChainCheck.sample(ChainCheck.CHAIN, 12, 2_000, 3);
        Settings s = small().edit().set(LstmTrainer.EPOCHS, 3).set(LstmTrainer.PATIENCE, 100).done();
        LstmModel whole = (LstmModel) new LstmTrainer().train(data, s, 9, tmp.resolve("a"), null);
        Path firstRun = tmp.resolve("b");
        new LstmTrainer().train(data, s.with(LstmTrainer.EPOCHS, 2), 9, firstRun, null);
        assertTrue(Files.exists(firstRun.resolve(LstmTrainer.CHECKPOINT).resolve("state.json")));
        LstmModel resumed = (LstmModel) new LstmTrainer().train(data, s.with(LstmTrainer.RESUME_FROM, firstRun
                .resolve(LstmTrainer.CHECKPOINT).toString()), 9, tmp.resolve("c"), null);
        assertEquals(3, resumed.trainingLog().orElseThrow().epochs().size());
        TrainingLog.Epoch w = whole.trainingLog().orElseThrow().epochs().get(2);
        TrainingLog.Epoch r = resumed.trainingLog().orElseThrow().epochs().get(2);
        assertEquals(w.validationLoss(), r.validationLoss(), 1e-6, "epoch 3 after resuming equals epoch 3 straight");
        INDArray pw = whole.network().params(), pr = resumed.network().params();
        assertEquals(0.0, pw.sub(pr).norm1Number().doubleValue() / pw.length(), 1e-6);

        int[] batches = { 0 };
        NullProgressMonitor cancelling = new NullProgressMonitor() {
            @Override
            public boolean isCanceled() {
                return ++batches[0] > 5;
            }
        };
        assertThrows(OperationCanceledException.class, () -> new LstmTrainer().train(data, s, 9, tmp.resolve("d"),
                cancelling));
    }
}
