package org.slowdyn.train.neural;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.custom.DistributionUniform;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.weightinit.impl.XavierInitScheme;

/**
 * A decoder-only Transformer over state ids in SameDiff: token embedding (a one-hot product, whose gradient is fast
 * where SameDiff's gather is not) plus learned or sinusoidal position embeddings, {@code blocks} pre-layer-norm blocks
 * of causal multi-head self-attention and a GELU feed-forward layer (4 x width), a final layer norm and a softmax over
 * the states. The causal mask is additive (-1e9 above the diagonal), written out because SameDiff's attention op takes
 * none. Dropout (inverted) acts on the attention weights and on each residual branch during training only: the
 * training graph has it, a second graph without it shares the parameter values for inference.
 */
final class TransformerNetwork implements SequenceNetwork {
    static final String INPUT = "x", TARGET = "y", LOGITS = "logits", PROBABILITIES = "probs", LOSS = "loss";
    private static final float MASKED = -1e9f;

    record Shape(int vocabulary, int width, int heads, int blocks, int context, boolean sinusoidal, double dropout) {
        Shape {
            if (width % heads != 0) {
                throw new IllegalArgumentException("width " + width + " is not a multiple of heads " + heads);
            }
        }
    }

    final Shape shape;
    private final SameDiff training;
    private final SameDiff inference;
    private final List<String> parameterNames;

    /** A new network with Xavier-initialised weights drawn from ND4J's generator seeded with {@code seed}. */
    TransformerNetwork(Shape shape, double learningRate, double l2, long seed) {
        this(shape, build(shape, shape.dropout(), seed), null);
        TrainingConfig.Builder config = TrainingConfig.builder().updater(new Adam(learningRate))
                .dataSetFeatureMapping(INPUT).dataSetLabelMapping(TARGET);
        if (l2 > 0) {
            config.l2(l2);
        }
        training.setTrainingConfig(config.build());
        createGradients(training);
    }

    /**
     * Builds the gradient graph now. SameDiff 1.0.0-M2.1 prints a line per differentiated op to System.out while
     * doing so (a leftover debug print); those lines, and only those, are dropped meanwhile.
     */
    private static void createGradients(SameDiff sd) {
        java.io.PrintStream out = System.out;
        synchronized (TransformerNetwork.class) {
            System.setOut(new java.io.PrintStream(out, true) {
                @Override
                public void println(String line) {
                    if (line == null || !line.startsWith("Added differentiated op")) {
                        super.println(line);
                    }
                }
            });
            try {
                sd.createGradFunction();
            } finally {
                System.setOut(out);
            }
        }
    }

    private TransformerNetwork(Shape shape, SameDiff training, SameDiff inference) {
        this.shape = shape;
        this.training = training;
        this.parameterNames = new ArrayList<>();
        training.variables().stream().filter(v -> v.getVariableType() == VariableType.VARIABLE)
                .map(SDVariable::name).sorted(Comparator.naturalOrder()).forEach(parameterNames::add);
        this.inference = inference != null ? inference : shape.dropout() > 0 ? build(shape, 0, 0) : training;
    }

    /** A network for generation only (no dropout, no gradients), its parameters to be set. */
    static TransformerNetwork forInference(Shape shape) {
        Dl4jSetup.init();
        SameDiff graph = build(shape, 0, 0);
        return new TransformerNetwork(shape, graph, graph);
    }

    /**
     * A network written by {@link #save}. With {@code resume} the saved training graph goes on training with its
     * optimiser state at {@code learningRate}; without, the parameters go into a fresh inference graph.
     */
    static TransformerNetwork load(Shape shape, Path file, boolean resume, double learningRate) throws IOException {
        Dl4jSetup.init();
        SameDiff saved = SameDiff.load(file.toFile(), resume);
        if (resume) {
            TransformerNetwork net = new TransformerNetwork(shape, saved, null);
            createGradients(saved);
            net.setLearningRate(learningRate);
            net.syncInference();
            return net;
        }
        SameDiff inference = build(shape, 0, 0);
        for (SDVariable v : inference.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                SDVariable s = saved.getVariable(v.name());
                if (s == null || s.getArr() == null || !java.util.Arrays.equals(s.getArr().shape(), v.getArr().shape())) {
                    throw new IOException(file + ": no parameter '" + v.name() + "' of shape "
                            + java.util.Arrays.toString(v.getArr().shape()) + " (saved by another architecture?)");
                }
                v.getArr().assign(s.getArr());
            }
        }
        return new TransformerNetwork(shape, inference, inference);
    }

    private static SDVariable weight(SameDiff sd, String name, long rows, long cols) {
        return sd.var(name, new XavierInitScheme('c', rows, cols), DataType.FLOAT, rows, cols);
    }

    /** A trained vector starting at {@code value} (sd.one / sd.zero would make constants, never trained). */
    private static SDVariable vector(SameDiff sd, String name, int length, double value) {
        return sd.var(name, Nd4j.valueArrayOf(new long[] { length }, value, DataType.FLOAT));
    }

    private static SDVariable layerNorm(SameDiff sd, SDVariable h, String name, int width) {
        return sd.nn().layerNorm(h, vector(sd, name + "_gain", width, 1), vector(sd, name + "_bias", width, 0), false,
                2);
    }

    /**
     * Inverted dropout with a mask drawn at run time in the shape of {@code h} (ND4J's dropout ops need a static
     * shape): kept units are scaled by 1 / (1 - dropout).
     */
    private static SDVariable dropout(SameDiff sd, SDVariable h, double dropout) {
        if (dropout <= 0) {
            return h;
        }
        SDVariable uniform = new DistributionUniform(sd, sd.shape(h), 0, 1, DataType.FLOAT).outputVariable();
        return h.mul(uniform.gte(dropout).castTo(DataType.FLOAT).mul(1 / (1 - dropout)));
    }

    /** Sinusoidal position codes (Vaswani et al. 2017): sin and cos of position / 10000^(2i / width). */
    static float[] sinusoids(int context, int width) {
        float[] p = new float[context * width];
        for (int t = 0; t < context; t++) {
            for (int i = 0; i < width; i++) {
                double angle = t / Math.pow(10_000, 2 * (i / 2) / (double) width);
                p[t * width + i] = (float) (i % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
            }
        }
        return p;
    }

    private static SameDiff build(Shape s, double dropout, long seed) {
        Dl4jSetup.init();
        Nd4j.getRandom().setSeed(seed);
        SameDiff sd = SameDiff.create();
        int e = s.width(), dh = e / s.heads(), c = s.context();
        SDVariable x = sd.placeHolder(INPUT, DataType.INT32, -1, -1);
        SDVariable y = sd.placeHolder(TARGET, DataType.INT32, -1, -1);
        SDVariable b = sd.sizeAt(x, 0), l = sd.sizeAt(x, 1);
        SDVariable origin = sd.constant(Nd4j.createFromArray(0L, 0L));
        SDVariable rows = sd.concat(0, b, l, sd.constant(Nd4j.createFromArray((long) e)));
        SDVariable positions = s.sinusoidal()
                ? sd.constant("positions", Nd4j.create(sinusoids(c, e), new long[] { c, e }, 'c'))
                : sd.var("positions", new XavierInitScheme('c', c, e), DataType.FLOAT, c, e);
        SDVariable h = sd.oneHot(x, s.vocabulary()).castTo(DataType.FLOAT).reshape(-1, s.vocabulary())
                .mmul(weight(sd, "tokens", s.vocabulary(), e)).reshape(rows)
                .add(sd.slice(positions, origin, sd.concat(0, l, sd.constant(Nd4j.createFromArray((long) e)))));
        h = dropout(sd, h, dropout);
        float[] causal = new float[c * c];
        for (int i = 0; i < c; i++) {
            for (int j = i + 1; j < c; j++) {
                causal[i * c + j] = MASKED;
            }
        }
        SDVariable mask = sd.slice(sd.constant("causal", Nd4j.create(causal, new long[] { c, c }, 'c')), origin,
                sd.concat(0, l, l));
        SDVariable heads = sd.concat(0, b, l, sd.constant(Nd4j.createFromArray((long) s.heads(), (long) dh)));
        for (int k = 0; k < s.blocks(); k++) {
            String p = "block" + k + "_";
            SDVariable a = layerNorm(sd, h, p + "norm1", e).reshape(-1, e);
            SDVariable q = a.mmul(weight(sd, p + "query", e, e)).reshape(heads).permute(0, 2, 1, 3);
            SDVariable key = a.mmul(weight(sd, p + "key", e, e)).reshape(heads).permute(0, 2, 1, 3);
            SDVariable v = a.mmul(weight(sd, p + "value", e, e)).reshape(heads).permute(0, 2, 1, 3);
            SDVariable scores = sd.mmul(q, key, false, true, false).mul(1.0 / Math.sqrt(dh)).add(mask);
            SDVariable attention = dropout(sd, sd.nn().softmax(scores, 3), dropout);
            SDVariable mixed = sd.mmul(attention, v, false, false, false).permute(0, 2, 1, 3).reshape(-1, e);
            SDVariable out = mixed.mmul(weight(sd, p + "out", e, e)).add(vector(sd, p + "out_bias", e, 0));
            h = h.add(dropout(sd, out.reshape(rows), dropout));
            SDVariable f = layerNorm(sd, h, p + "norm2", e).reshape(-1, e);
            f = sd.nn().gelu(f.mmul(weight(sd, p + "up", e, 4 * e)).add(vector(sd, p + "up_bias", 4 * e, 0)));
            f = f.mmul(weight(sd, p + "down", 4 * e, e)).add(vector(sd, p + "down_bias", e, 0));
            h = h.add(dropout(sd, f.reshape(rows), dropout));
        }
        SDVariable out = layerNorm(sd, h, "final_norm", e).reshape(-1, e);
        SDVariable logits = out.mmul(weight(sd, "output", e, s.vocabulary()))
                .add(vector(sd, "output_bias", s.vocabulary(), 0));
        sd.identity(LOGITS, logits);
        sd.nn().softmax(PROBABILITIES, logits, 1);
        sd.setLossVariables(sd.identity(LOSS, sd.loss().sparseSoftmaxCrossEntropy(logits, y.reshape(-1)).mean()));
        return sd;
    }

    private static INDArray ints(int[] windows, int batch, int length, int offset) {
        int[] a = new int[batch * length];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(windows, i * (length + 1) + offset, a, i * length, length);
        }
        return Nd4j.createFromArray(a).reshape(batch, length);
    }

    @Override
    public double fit(int[] windows, int batch, int length) {
        INDArray x = ints(windows, batch, length, 0), y = ints(windows, batch, length, 1);
        Map<String, INDArray> in = new HashMap<>();
        in.put(INPUT, x);
        in.put(TARGET, y);
        // SameDiff's fit does not report the loss of the step (1.0.0-M2.1: its History has no loss curve, checked):
        // it is computed on the same batch before the step
        double loss = training.output(in, LOSS).get(LOSS).getDouble(0);
        training.fit(new MultiDataSet(new INDArray[] { x }, new INDArray[] { y }));
        return loss;
    }

    /** Copies the trained parameters into the inference graph (before using it). */
    void syncInference() {
        if (inference != training) {
            for (String name : parameterNames) {
                inference.getVariable(name).getArr().assign(training.getVariable(name).getArr());
            }
        }
    }

    /** Outputs of the inference graph for token ids batch x length ({@code tokens} row-major). */
    float[] output(String name, int[] tokens, int batch, int length) {
        return output(name, Nd4j.createFromArray(tokens).reshape(batch, length));
    }

    private float[] output(String name, INDArray tokens) {
        Map<String, INDArray> in = new HashMap<>();
        in.put(INPUT, tokens);
        return inference.output(in, name).get(name).castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** The names of the trained parameters, in the order of {@link #parameters()}. */
    List<String> parameterNames() {
        return java.util.Collections.unmodifiableList(parameterNames);
    }

    /** SameDiff's Adam state per parameter; null before the graph has trained. */
    Map<String, org.nd4j.linalg.learning.GradientUpdater> updaters() {
        return training.getUpdaterMap();
    }

    /**
     * SameDiff's Adam state per parameter, created if the graph has not trained yet: by one step at learning rate 0
     * (which leaves the parameters as they are; the caller then sets the state).
     */
    Map<String, org.nd4j.linalg.learning.GradientUpdater> initialisedUpdaters() {
        if (training.getUpdaterMap() == null) {
            Adam adam = (Adam) training.getTrainingConfig().getUpdater();
            double rate = adam.getLearningRate();
            adam.setLearningRate(0);
            try {
                INDArray x = Nd4j.zeros(DataType.INT32, 1, 2), y = Nd4j.zeros(DataType.INT32, 1, 2);
                training.fit(new MultiDataSet(new INDArray[] { x }, new INDArray[] { y }));
            } finally {
                adam.setLearningRate(rate);
            }
        }
        return training.getUpdaterMap();
    }

    int iterationCount() {
        TrainingConfig c = training.getTrainingConfig();
        return c == null ? 0 : c.getIterationCount();
    }

    void setIterationCount(int count) {
        training.getTrainingConfig().setIterationCount(count);
    }

    /** Gradients of the mean loss (without regularisation) for windows, per parameter name (for tests). */
    Map<String, INDArray> gradients(int[] windows, int batch, int length) {
        Map<String, INDArray> in = new HashMap<>();
        in.put(INPUT, ints(windows, batch, length, 0));
        in.put(TARGET, ints(windows, batch, length, 1));
        return training.calculateGradients(in, parameterNames.toArray(new String[0]));
    }

    /** The mean loss of the training graph on windows (for tests). */
    double loss(int[] windows, int batch, int length) {
        Map<String, INDArray> in = new HashMap<>();
        in.put(INPUT, ints(windows, batch, length, 0));
        in.put(TARGET, ints(windows, batch, length, 1));
        return training.output(in, LOSS).get(LOSS).getDouble(0);
    }

    /** The values of a trained parameter, row-major. */
    float[] values(String name) {
        return array(name).castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** The number of values of a trained parameter (without copying them). */
    int size(String name) {
        return (int) array(name).length();
    }

    /** A parameter's array in the training graph, which always holds the current values (no copy to inference). */
    private INDArray array(String name) {
        SDVariable v = training.getVariable(name);
        if (v == null || v.getArr() == null) {
            throw new IllegalStateException("the network has no parameter '" + name + "'");
        }
        return v.getArr();
    }

    @Override
    public float[] probabilities(int[] windows, int batch, int length) {
        syncInference();
        return output(PROBABILITIES, ints(windows, batch, length, 0));
    }

    @Override
    public float[] parameters() {
        List<float[]> parts = new ArrayList<>();
        int n = 0;
        for (String name : parameterNames) {
            float[] a = training.getVariable(name).getArr().castTo(DataType.FLOAT).dup('c').data().asFloat();
            parts.add(a);
            n += a.length;
        }
        float[] all = new float[n];
        int at = 0;
        for (float[] a : parts) {
            System.arraycopy(a, 0, all, at, a.length);
            at += a.length;
        }
        return all;
    }

    @Override
    public void setParameters(float[] parameters) {
        int at = 0;
        for (String name : parameterNames) {
            INDArray a = training.getVariable(name).getArr();
            int n = (int) a.length();
            a.assign(Nd4j.create(java.util.Arrays.copyOfRange(parameters, at, at + n), a.shape(), 'c'));
            at += n;
        }
        if (at != parameters.length) {
            throw new IllegalArgumentException(parameters.length + " parameters given, the network has " + at);
        }
    }

    @Override
    public void setLearningRate(double learningRate) {
        ((Adam) training.getTrainingConfig().getUpdater()).setLearningRate(learningRate);
    }

    @Override
    public void save(Path file, boolean updater) throws IOException {
        training.save(file.toFile(), updater);
    }
}
