package org.slowdyn.train.lstm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.slowdyn.core.AtomicFiles;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.ModelTrainer;
import org.slowdyn.core.TrainingLog;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A language model over discrete states, as in Tsai et al. (2020): embedding of the V states, one or more LSTM layers
 * and a softmax over the V states, trained with Adam on windows of the trajectories to predict each next frame
 * (cross-entropy). Early stopping on the validation loss keeps the best epoch; every epoch writes a checkpoint that
 * {@code resumeFrom} continues. Shuffling uses a stream derived from the seed and the epoch, so a resumed training
 * sees the same batches as an uninterrupted one.
 */
public class LstmTrainer implements ModelTrainer {
    public static final String ID = "train.lstm";

    public static final Setting<Integer> EMBEDDING = Setting.integer("embedding", 8, 1, 65_536, "",
            "embedding dimension of the states (Tsai: 8; Zeng: 128)");
    public static final Setting<Integer> UNITS = Setting.integer("units", 64, 1, 65_536, "",
            "LSTM units per layer (Tsai: 64; Zeng: 1024)");
    public static final Setting<Integer> LAYERS = Setting.integer("layers", 1, 1, 16, "", "stacked LSTM layers");
    public static final Setting<Integer> SEQUENCE_LENGTH = Setting.integer("sequenceLength", 100, 2, 1_000_000,
            "frames", "frames per training window (back-propagation through this many steps)");
    public static final Setting<Integer> SHIFT = Setting.integer("shift", 0, 0, 1_000_000, "frames",
            "frames between the starts of consecutive windows; 0 = sequenceLength (windows side by side)");
    public static final Setting<Integer> BATCH_SIZE = Setting.integer("batchSize", 64, 1, 1_000_000, "windows",
            "windows per gradient step");
    public static final Setting<Double> LEARNING_RATE = Setting.real("learningRate", 1e-3, 1e-9, 10, "",
            "Adam learning rate");
    public static final Setting<Double> DECAY = Setting.real("learningRateDecay", 0.5, 0.01, 1.0, "",
            "factor applied to the learning rate after an epoch that does not improve the validation loss (1: none)");
    public static final Setting<Double> L2 = Setting.real("l2", 0.0, 0.0, 1e3, "", "L2 weight penalty");
    public static final Setting<Double> DROPOUT = Setting.real("dropout", 0.0, 0.0, 0.95, "",
            "probability of dropping a layer input during training");
    public static final Setting<Integer> EPOCHS = Setting.integer("epochs", 20, 1, 1_000_000, "",
            "maximum passes over the training windows");
    public static final Setting<Integer> PATIENCE = Setting.integer("patience", 3, 1, 1_000_000, "epochs",
            "stop when the validation loss has not improved for this many epochs");
    public static final Setting<String> VALIDATION = Setting.choice("validation", "auto",
            List.of("auto", "trajectories", "blocks"), "held-out data: whole trajectories, the last time block of "
                    + "each trajectory, or auto (trajectories when there are at least 10)");
    public static final Setting<Double> VALIDATION_FRACTION = Setting.real("validationFraction", 0.1, 0.0, 0.9, "",
            "share of trajectories (or of each trajectory's frames) held out; 0 disables early stopping");
    public static final Setting<String> RESUME_FROM = Setting.text("resumeFrom", "",
            "checkpoint folder of an interrupted training to continue (same data and architecture)");
    public static final Setting<Integer> GENERATION_GROUP = Setting.integer("generationGroup", 64, 1, 1_000_000,
            "trajectories", "trajectories advanced together in one generation step (matrix products shared); groups "
                    + "run in parallel on the threads");
    public static final Setting<Integer> THREADS = Setting.integer("threads", 0, 0, 1024, "",
            "threads for generation; 0 uses every core (results do not depend on it)");

    public static final SettingsSchema SCHEMA = SettingsSchema.of(EMBEDDING, UNITS, LAYERS, SEQUENCE_LENGTH, SHIFT,
            BATCH_SIZE, LEARNING_RATE, DECAY, L2, DROPOUT, EPOCHS, PATIENCE, VALIDATION, VALIDATION_FRACTION, RESUME_FROM,
            GENERATION_GROUP, THREADS);

    /** Settings that fix the architecture: a checkpoint can only be resumed with the same values. */
    static final List<Setting<?>> ARCHITECTURE = List.of(EMBEDDING, UNITS, LAYERS);

    static final String CHECKPOINT = "checkpoint";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "LSTM language model";
    }

    @Override
    public String description() {
        return "Embedding + LSTM + softmax over the states (DL4J), trained on trajectory windows with early stopping; "
                + "generates one state per frame";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    static MultiLayerNetwork network(int vocabulary, Settings s, long seed) {
        Dl4jSetup.init();
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).updater(new Adam(s.get(LEARNING_RATE)));
        if (s.get(L2) > 0) {
            b.l2(s.get(L2));
        }
        if (s.get(DROPOUT) > 0) {
            b.dropOut(1 - s.get(DROPOUT)); // DL4J takes the probability of keeping an input
        }
        NeuralNetConfiguration.ListBuilder list = b.list();
        list.layer(new EmbeddingSequenceLayer.Builder().nIn(vocabulary).nOut(s.get(EMBEDDING)).hasBias(false)
                .outputDataFormat(RNNFormat.NCW).dropOut(1.0).build());
        int in = s.get(EMBEDDING);
        for (int l = 0; l < s.get(LAYERS); l++) {
            list.layer(new LSTM.Builder().nIn(in).nOut(s.get(UNITS)).activation(Activation.TANH)
                    .dataFormat(RNNFormat.NCW).build());
            in = s.get(UNITS);
        }
        list.layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(in)
                .nOut(vocabulary).dataFormat(RNNFormat.NCW).build());
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Inputs (B x 1 x L token ids) and one-hot targets (B x V x L) of a batch of windows. */
    static INDArray[] batch(List<int[]> sequences, List<TrainingData.Window> windows, int from, int to, int length,
            int vocabulary) {
        int b = to - from;
        float[] x = new float[b * length];
        float[] y = new float[b * vocabulary * length];
        for (int i = 0; i < b; i++) {
            TrainingData.Window w = windows.get(from + i);
            int[] s = sequences.get(w.sequence());
            for (int t = 0; t < length; t++) {
                x[i * length + t] = s[w.start() + t];
                y[(i * vocabulary + s[w.start() + t + 1]) * length + t] = 1f;
            }
        }
        return new INDArray[] { Nd4j.create(x, new long[] { b, 1, length }, 'c'),
                Nd4j.create(y, new long[] { b, vocabulary, length }, 'c') };
    }

    /** Mean cross-entropy (nats per predicted frame) of the network on windows, computed from its output. */
    static double loss(MultiLayerNetwork net, List<int[]> sequences, List<TrainingData.Window> windows, int length,
            int vocabulary, int batchSize) {
        double sum = 0;
        long count = 0;
        for (int from = 0; from < windows.size(); from += batchSize) {
            int to = Math.min(windows.size(), from + batchSize);
            INDArray[] xy = batch(sequences, windows, from, to, length, vocabulary);
            float[] p = net.output(xy[0], false).castTo(DataType.FLOAT).dup('c').data().asFloat();
            for (int i = 0; i < to - from; i++) {
                TrainingData.Window w = windows.get(from + i);
                int[] s = sequences.get(w.sequence());
                for (int t = 0; t < length; t++) {
                    sum -= Math.log(Math.max(1e-30, p[(i * vocabulary + s[w.start() + t + 1]) * length + t]));
                }
            }
            count += (long) (to - from) * length;
        }
        return sum / count;
    }

    @Override
    public KineticModel train(List<StateSequence> sequences, Settings settings, long seed, IProgressMonitor monitor) {
        return train(sequences, settings, seed, null, monitor);
    }

    @Override
    public KineticModel train(List<StateSequence> sequences, Settings settings, long seed, Path workDirectory,
            IProgressMonitor monitor) {
        if (sequences.isEmpty()) {
            throw new ConfigurationException(ID + ": no training trajectories");
        }
        int vocabulary = sequences.get(0).numberOfStates();
        List<int[]> data = new ArrayList<>();
        for (StateSequence s : sequences) {
            if (s.numberOfStates() != vocabulary || s.frameInterval() != sequences.get(0).frameInterval()) {
                throw new ConfigurationException(ID + ": trajectories differ in number of states or frame interval: "
                        + s.source() + " has " + s.numberOfStates() + " states at " + s.frameInterval() + ", "
                        + sequences.get(0).source() + " " + vocabulary + " at " + sequences.get(0).frameInterval());
            }
            data.add(s.toArray());
        }
        int length = settings.get(SEQUENCE_LENGTH);
        int shift = settings.get(SHIFT) == 0 ? length : settings.get(SHIFT);
        TrainingData split = TrainingData.split(data, settings.get(VALIDATION), settings.get(VALIDATION_FRACTION),
                length, seed);
        List<TrainingData.Window> train = TrainingData.windows(split.training(), length, shift);
        List<TrainingData.Window> valid = TrainingData.windows(split.validation(), length, length);
        List<String> notes = new ArrayList<>(split.notes());
        notes.add(train.size() + " training windows of " + length + " frames every " + shift + " frames"
                + (valid.isEmpty() ? "" : ", " + valid.size() + " validation windows"));

        MultiLayerNetwork net = network(vocabulary, settings, seed);
        List<TrainingLog.Epoch> epochs = new ArrayList<>();
        INDArray best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0, firstEpoch = 1;
        double learningRate = settings.get(LEARNING_RATE);
        if (!settings.get(RESUME_FROM).isEmpty()) {
            Resumed r = resume(Path.of(settings.get(RESUME_FROM)), settings, vocabulary);
            net = r.network;
            epochs.addAll(r.epochs);
            best = r.best;
            bestLoss = r.bestLoss;
            bestEpoch = r.bestEpoch;
            learningRate = r.learningRate;
            net.setLearningRate(learningRate);
            firstEpoch = epochs.size() + 1;
            notes.add("resumed from " + settings.get(RESUME_FROM) + " after epoch " + epochs.size());
        }
        int maxEpochs = settings.get(EPOCHS), batchSize = settings.get(BATCH_SIZE);
        int batches = (train.size() + batchSize - 1) / batchSize;
        SubMonitor progress = SubMonitor.convert(monitor, "Training the LSTM", Math.max(1,
                (maxEpochs - firstEpoch + 1) * batches));
        String stop = "reached the maximum of " + maxEpochs + " epochs";
        for (int epoch = firstEpoch; epoch <= maxEpochs; epoch++) {
            long t0 = System.nanoTime();
            int[] order = TrainingData.permutation(train.size(), epochStream(seed, epoch));
            List<TrainingData.Window> shuffled = new ArrayList<>(train.size());
            for (int i : order) {
                shuffled.add(train.get(i));
            }
            double lossSum = 0;
            for (int from = 0; from < shuffled.size(); from += batchSize) {
                if (progress.isCanceled()) {
                    throw new OperationCanceledException();
                }
                int to = Math.min(shuffled.size(), from + batchSize);
                INDArray[] xy = batch(split.training(), shuffled, from, to, length, vocabulary);
                net.fit(xy[0], xy[1]);
                lossSum += net.score() / length * (to - from);
                progress.split(1);
            }
            double trainLoss = lossSum / shuffled.size();
            double validLoss = valid.isEmpty() ? Double.NaN
                    : loss(net, split.validation(), valid, length, vocabulary, 4 * batchSize);
            epochs.add(new TrainingLog.Epoch(epoch, trainLoss, validLoss, (System.nanoTime() - t0) / 1e9));
            progress.subTask(String.format(java.util.Locale.ROOT, "epoch %d/%d: training loss %.4f, validation %.4f",
                    epoch, maxEpochs, trainLoss, validLoss));
            if (valid.isEmpty() || validLoss < bestLoss) {
                bestLoss = valid.isEmpty() ? trainLoss : validLoss;
                bestEpoch = epoch;
                best = net.params().dup();
            } else if (!valid.isEmpty() && settings.get(DECAY) < 1) {
                learningRate *= settings.get(DECAY);
                net.setLearningRate(learningRate);
            }
            if (workDirectory != null) {
                checkpoint(workDirectory.resolve(CHECKPOINT), net, best, epochs, bestEpoch, bestLoss, learningRate,
                        settings, vocabulary);
            }
            if (!valid.isEmpty() && epoch - bestEpoch >= settings.get(PATIENCE)) {
                stop = "early stop: no improvement of the validation loss for " + settings.get(PATIENCE) + " epochs";
                break;
            }
        }
        if (best != null) {
            net.setParams(best);
        }
        TrainingLog log = new TrainingLog(epochs, bestEpoch, stop, notes);
        StateSequence first = sequences.get(0);
        return new LstmModel(net, vocabulary, settings, first.frameInterval(), first.timeUnit(), log);
    }

    /** The shuffling stream of an epoch: a function of the seed and the epoch only. */
    private static SplittableRandom epochStream(long seed, int epoch) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * epoch));
    }

    private static void checkpoint(Path dir, MultiLayerNetwork net, INDArray best, List<TrainingLog.Epoch> epochs,
            int bestEpoch, double bestLoss, double learningRate, Settings settings, int vocabulary) {
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(dir.resolve("network.zip"), out -> ModelSerializer.writeModel(net, out, true));
            if (best != null) {
                float[] b = best.castTo(DataType.FLOAT).dup('c').data().asFloat();
                AtomicFiles.write(dir.resolve("best.bin"), out -> {
                    java.io.DataOutputStream d = new java.io.DataOutputStream(new java.io.BufferedOutputStream(out));
                    d.writeInt(b.length);
                    for (float v : b) {
                        d.writeFloat(v);
                    }
                    d.flush();
                });
            }
            ObjectNode state = JSON.createObjectNode();
            state.put("vocabulary", vocabulary);
            state.put("bestEpoch", bestEpoch);
            state.put("bestLoss", bestLoss);
            state.put("learningRate", learningRate);
            state.set("settings", settings.toJson());
            state.set("epochs", epochsJson(epochs));
            AtomicFiles.writeString(dir.resolve("state.json"), JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(state));
        } catch (IOException e) {
            throw new org.slowdyn.core.InputException(dir + ": cannot write the checkpoint: " + e.getMessage(), e);
        }
    }

    static ArrayNode epochsJson(List<TrainingLog.Epoch> epochs) {
        ArrayNode a = JSON.createArrayNode();
        for (TrainingLog.Epoch e : epochs) {
            a.addObject().put("epoch", e.epoch()).put("trainingLoss", e.trainingLoss())
                    .put("validationLoss", e.validationLoss()).put("seconds", e.seconds());
        }
        return a;
    }

    static List<TrainingLog.Epoch> epochsFromJson(JsonNode a) {
        List<TrainingLog.Epoch> epochs = new ArrayList<>();
        for (JsonNode e : a) {
            epochs.add(new TrainingLog.Epoch(e.get("epoch").asInt(), e.get("trainingLoss").asDouble(),
                    e.path("validationLoss").asDouble(Double.NaN), e.get("seconds").asDouble()));
        }
        return epochs;
    }

    private record Resumed(MultiLayerNetwork network, List<TrainingLog.Epoch> epochs, INDArray best, double bestLoss,
            int bestEpoch, double learningRate) {
    }

    private static Resumed resume(Path dir, Settings settings, int vocabulary) {
        try {
            JsonNode state = JSON.readTree(dir.resolve("state.json").toFile());
            if (state.get("vocabulary").asInt() != vocabulary) {
                throw new ConfigurationException(ID + ": checkpoint " + dir + " was trained on "
                        + state.get("vocabulary").asInt() + " states, the data have " + vocabulary);
            }
            Settings saved = SCHEMA.fromJson(state.get("settings"), "checkpoint " + dir);
            for (Setting<?> s : ARCHITECTURE) {
                if (!saved.get(s).equals(settings.get(s))) {
                    throw new InvalidSettingException(s.name(), "setting '" + s.name() + "' = " + settings.get(s)
                            + " differs from the checkpoint's " + saved.get(s) + " (" + dir + ")");
                }
            }
            Dl4jSetup.init();
            MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(dir.resolve("network.zip").toFile(), true);
            INDArray best = null;
            Path bestFile = dir.resolve("best.bin");
            if (Files.exists(bestFile)) {
                try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(
                        Files.newInputStream(bestFile)))) {
                    float[] b = new float[in.readInt()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = in.readFloat();
                    }
                    best = Nd4j.create(b, new long[] { 1, b.length }, 'c');
                }
            }
            return new Resumed(net, epochsFromJson(state.get("epochs")), best, state.get("bestLoss").asDouble(),
                    state.get("bestEpoch").asInt(), state.get("learningRate").asDouble());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigurationException(ID + ": " + dir + " is not a checkpoint folder (missing "
                    + e.getFile() + ")");
        } catch (IOException e) {
            throw new org.slowdyn.core.InputException(dir + ": cannot read the checkpoint: " + e.getMessage(), e);
        }
    }

    @Override
    public KineticModel load(Path directory) throws IOException {
        return LstmModel.load(directory);
    }
}
