package org.slowdyn.train.neural;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.TrainerCost;
import org.slowdyn.core.TrainingLog;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

/**
 * A language model over discrete states, as in Tsai et al. (2020): embedding of the V states, one or more LSTM layers
 * and a softmax over the V states (DL4J), trained with Adam to predict each next frame (cross-entropy) by
 * {@link SequenceTrainer}'s epochs, early stopping and checkpoints.
 */
public class LstmTrainer extends SequenceTrainer {
    public static final String ID = "train.lstm";

    public static final Setting<Integer> EMBEDDING = Setting.integer("embedding", 8, 1, 65_536, "",
            "embedding dimension of the states (Tsai: 8; Zeng: 128)");
    public static final Setting<Integer> UNITS = Setting.integer("units", 64, 1, 65_536, "",
            "LSTM units per layer (Tsai: 64; Zeng: 1024)");
    public static final Setting<Integer> LAYERS = Setting.integer("layers", 1, 1, 16, "", "stacked LSTM layers");
    public static final Setting<Double> DROPOUT = Setting.real("dropout", 0.0, 0.0, 0.95, "",
            "probability of dropping a layer input during training");
    public static final Setting<String> ENGINE = Setting.choice("engine", "fused", List.of("fused", "dl4j"),
            "fused: SlowDyn's forward and backward pass over BLAS (fast); dl4j: DL4J's own layers (the reference, "
                    + "several times slower). Both train the same DL4J network with the same mathematics");

    public static final SettingsSchema SCHEMA;

    static {
        List<Setting<?>> all = new ArrayList<>(List.of(EMBEDDING, UNITS, LAYERS, DROPOUT, ENGINE));
        all.addAll(COMMON);
        SCHEMA = SettingsSchema.of(all.toArray(new Setting<?>[0]));
    }

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

    /**
     * The fused engine on one core, measured in the paper study (2026-12, medians over its cells): 3.4e-6 s per frame
     * and epoch of training and 1.24e-6 s per generated frame at Tsai's size (embedding 8, 64 units; 72 cells), 3.6e-4
     * to 3.9e-4 and 1.2e-4 s at Zeng's (128, 1,024 units; 4 cells). Modelled as a fixed 2e-6 s (training) or 8e-7 s
     * (generation) per frame plus 6 (forward and backward) or 2 flops per multiply-add of the LSTM layers at 8e10
     * flop/s: 3.4e-6 and 1.26e-6 s, 3.6e-4 and 1.19e-4 s. The softmax over many states adds to it (generation on 100
     * states took 2.3e-6 s at Tsai's size), and DL4J's own engine is several times slower.
     */
    @Override
    public TrainerCost cost(Settings settings) {
        double multiplyAdds = 0;
        int in = settings.get(EMBEDDING), units = settings.get(UNITS);
        for (int l = 0; l < settings.get(LAYERS); l++) {
            multiplyAdds += 4.0 * units * (in + units); // four gates over the layer's input and its state
            in = units;
        }
        return networkCost(settings, 2e-6 + 6 * multiplyAdds / 8e10, 8e-7 + 2 * multiplyAdds / 8e10);
    }

    @Override
    protected List<Setting<?>> architecture() {
        return List.of(EMBEDDING, UNITS, LAYERS);
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

    @Override
    protected SequenceNetwork newNetwork(int vocabulary, Settings settings, long seed) {
        return wrap(network(vocabulary, settings, seed), vocabulary, settings, seed);
    }

    /** The training engine the settings choose over a DL4J network. */
    static SequenceNetwork wrap(MultiLayerNetwork net, int vocabulary, Settings s, long seed) {
        if (s.get(ENGINE).equals("dl4j")) {
            return new Dl4jNetwork(net, vocabulary);
        }
        int threads = threads(s);
        return new FusedLstm(net, vocabulary, s.get(EMBEDDING), s.get(UNITS), s.get(LAYERS), s.get(L2),
                s.get(DROPOUT), seed, threads);
    }

    @Override
    protected SequenceNetwork restoreNetwork(Path file, Settings settings, int vocabulary, long seed)
            throws IOException {
        Dl4jSetup.init();
        checkDl4jZip(file);
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
        return wrap(net, vocabulary, settings, seed);
    }

    /** The entries DL4J writes for a network with its updater state; no other entry is ever read. */
    private static final java.util.Set<String> DL4J_ENTRIES = java.util.Set.of("configuration.json", "coefficients.bin",
            "updaterState.bin");

    /**
     * Refuses a DL4J network file with any entry besides configuration, coefficients and updater state (DL4J passes
     * some of its other entries to Java deserialization), or whose entries claim more than 64 times the file's size.
     */
    static void checkDl4jZip(Path file) throws IOException {
        long size = java.nio.file.Files.size(file);
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            for (java.util.Enumeration<? extends java.util.zip.ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                java.util.zip.ZipEntry entry = e.nextElement();
                if (!DL4J_ENTRIES.contains(entry.getName())) {
                    throw new org.slowdyn.core.InputException(file + ": unexpected entry '" + entry.getName()
                            + "' (a checkpoint network has only " + new java.util.TreeSet<>(DL4J_ENTRIES) + ")");
                }
                if (entry.getSize() < 0 || entry.getSize() > 64 * size + (1 << 20)) {
                    throw new org.slowdyn.core.InputException(file + ": entry '" + entry.getName() + "' claims "
                            + entry.getSize() + " bytes in a file of " + size);
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new org.slowdyn.core.InputException(file + ": not a DL4J network file: " + e.getMessage(), e);
        }
    }

    @Override
    protected KineticModel model(SequenceNetwork network, int vocabulary, Settings settings, double frameInterval,
            String timeUnit, TrainingLog log) {
        MultiLayerNetwork net = network instanceof FusedLstm f ? f.network() : ((Dl4jNetwork) network).net;
        return new LstmModel(net, vocabulary, settings, frameInterval, timeUnit, log);
    }

    @Override
    public KineticModel load(Path directory) throws IOException {
        return LstmModel.load(directory);
    }

    /** The DL4J network: inputs B x 1 x L token ids, one-hot targets B x V x L (NCW). */
    static final class Dl4jNetwork implements SequenceNetwork {
        final MultiLayerNetwork net;
        private final int vocabulary;

        Dl4jNetwork(MultiLayerNetwork net, int vocabulary) {
            this.net = net;
            this.vocabulary = vocabulary;
        }

        private INDArray inputs(int[] windows, int batch, int length) {
            float[] x = new float[batch * length];
            for (int i = 0; i < batch; i++) {
                for (int t = 0; t < length; t++) {
                    x[i * length + t] = windows[i * (length + 1) + t];
                }
            }
            return Nd4j.create(x, new long[] { batch, 1, length }, 'c');
        }

        @Override
        public double fit(int[] windows, int batch, int length) {
            float[] y = new float[batch * vocabulary * length];
            for (int i = 0; i < batch; i++) {
                for (int t = 0; t < length; t++) {
                    y[(i * vocabulary + windows[i * (length + 1) + t + 1]) * length + t] = 1f;
                }
            }
            net.fit(inputs(windows, batch, length), Nd4j.create(y, new long[] { batch, vocabulary, length }, 'c'));
            return net.score() / length; // DL4J's score: the loss summed over the window, averaged over the batch
        }

        @Override
        public float[] probabilities(int[] windows, int batch, int length) {
            float[] p = net.output(inputs(windows, batch, length), false).castTo(DataType.FLOAT).dup('c').data()
                    .asFloat();
            float[] out = new float[p.length];
            for (int i = 0; i < batch; i++) {
                for (int v = 0; v < vocabulary; v++) {
                    for (int t = 0; t < length; t++) {
                        out[(i * length + t) * vocabulary + v] = p[(i * vocabulary + v) * length + t];
                    }
                }
            }
            return out;
        }

        @Override
        public float[] parameters() {
            return net.params().castTo(DataType.FLOAT).dup('c').data().asFloat();
        }

        @Override
        public void setParameters(float[] parameters) {
            net.setParams(Nd4j.create(parameters, new long[] { 1, parameters.length }, 'c'));
        }

        @Override
        public void setLearningRate(double learningRate) {
            net.setLearningRate(learningRate);
        }

        @Override
        public void save(Path file, boolean updater) throws IOException {
            ModelSerializer.writeModel(net, file.toFile(), updater);
        }
    }
}
