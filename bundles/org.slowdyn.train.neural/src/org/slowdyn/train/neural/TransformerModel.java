package org.slowdyn.train.neural;

import java.io.IOException;
import java.nio.file.Path;

import org.slowdyn.core.TrainingLog;
import org.slowdyn.core.settings.Settings;

/**
 * A trained Transformer language model. Generation runs {@link TransformerDecoder} over the trained weights: a sliding
 * window of each trajectory's last frames (see {@link #window}) with its keys and values cached, so that a step
 * computes the new frame only. Saved as the SameDiff graph and {@code model.json}.
 */
public final class TransformerModel extends SequenceModel {
    private final TransformerNetwork network;
    private final TransformerDecoder sampler;

    TransformerModel(TransformerNetwork network, Settings settings, double frameInterval, String timeUnit,
            TrainingLog log) {
        super(TransformerTrainer.ID, network.shape.vocabulary(), settings, frameInterval, timeUnit, log);
        network.syncInference();
        this.network = network;
        this.sampler = new TransformerDecoder(network);
    }

    /** The network (for inspection and tests). */
    TransformerNetwork network() {
        return network;
    }

    @Override
    protected GroupSampler sampler() {
        return sampler;
    }

    @Override
    protected void saveNetwork(Path file) throws IOException {
        network.save(file, false);
    }

    @Override
    protected float[] parameterValues() {
        return network.parameters();
    }

    /** Builds the network model.json describes and fills in parameters.bin (network.zip is never read). */
    static TransformerModel load(Path directory) throws IOException {
        Description d = description(directory, TransformerTrainer.ID, TransformerTrainer.SCHEMA);
        float[] values = readParameters(d);
        TransformerNetwork net = TransformerNetwork.forInference(TransformerTrainer.shape(d.vocabulary(),
                d.settings()));
        checkParameterCount(d, net.parameters().length);
        net.setParameters(values);
        return new TransformerModel(net, d.settings(), d.frameInterval(), d.timeUnit(), d.log());
    }

    /**
     * Frames the network sees after {@code fed} frames: all of them while they fit in the context; then the window
     * jumps back to the last half context and grows again, so that predictions are spread over the second half of
     * the positions (as in training, where every position is predicted) instead of always coming from the last
     * position, the one trained least specifically.
     */
    static int window(int fed, int context) {
        if (fed <= context) {
            return fed;
        }
        int half = context / 2;
        return half + 1 + (fed - context - 1) % (context - half);
    }

    /**
     * Steps a group by running the SameDiff network on each trajectory's whole window at every step (see
     * {@link #window}), without a cache: the reference {@link TransformerDecoder} is checked against.
     */
    static final class WindowSampler extends GroupSampler {
        private final TransformerNetwork network;

        WindowSampler(TransformerNetwork network) {
            super(network.shape.vocabulary());
            this.network = network;
        }

        @Override
        protected State state(int size) {
            int context = network.shape.context(), vocabulary = vocabulary();
            return new State(size, vocabulary) {
                private final int[] history = new int[size * context]; // ring buffer per trajectory
                private int fed;

                @Override
                protected void step(int[] tokens) {
                    for (int g = 0; g < size; g++) {
                        history[g * context + fed % context] = tokens[g];
                    }
                    fed++;
                    int l = window(fed, context);
                    int[] window = new int[size * l];
                    for (int g = 0; g < size; g++) {
                        for (int t = 0; t < l; t++) {
                            window[g * l + t] = history[g * context + (fed - l + t) % context];
                        }
                    }
                    float[] out = network.output(TransformerNetwork.LOGITS, window, size, l);
                    for (int g = 0; g < size; g++) {
                        System.arraycopy(out, (g * l + l - 1) * vocabulary, logits, g * vocabulary, vocabulary);
                    }
                }
            };
        }
    }
}
