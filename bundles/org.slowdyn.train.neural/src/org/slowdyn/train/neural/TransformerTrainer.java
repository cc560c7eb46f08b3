package org.slowdyn.train.neural;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slowdyn.core.KineticModel;
import org.slowdyn.core.TrainerCost;
import org.slowdyn.core.TrainingLog;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

/**
 * A decoder-only (GPT-style) Transformer language model over discrete states ({@link TransformerNetwork}, SameDiff),
 * the alternative to the LSTM that Zeng et al. (2021) compare: trained by {@link SequenceTrainer}'s loop on the same
 * windows, and generating with a sliding context of the last {@code context} frames.
 */
public class TransformerTrainer extends SequenceTrainer {
    public static final String ID = "train.transformer";

    public static final Setting<Integer> WIDTH = Setting.integer("width", 64, 1, 65_536, "",
            "embedding dimension (model width); a multiple of heads");
    public static final Setting<Integer> HEADS = Setting.integer("heads", 4, 1, 1024, "", "attention heads per block");
    public static final Setting<Integer> BLOCKS = Setting.integer("blocks", 2, 1, 64, "",
            "Transformer blocks (causal self-attention + feed-forward, pre-layer-norm)");
    public static final Setting<Integer> CONTEXT = Setting.integer("context", 100, 2, 100_000, "frames",
            "frames the model attends to: the longest training window and the sliding window in generation");
    public static final Setting<String> POSITIONS = Setting.choice("positions", "learned",
            List.of("learned", "sinusoidal"), "position embedding: learned per position, or fixed sinusoids");
    public static final Setting<Double> DROPOUT = Setting.real("dropout", 0.0, 0.0, 0.95, "",
            "dropout probability on embeddings, attention weights and residual branches during training");
    public static final Setting<String> ENGINE = Setting.choice("engine", "fused", List.of("fused", "samediff"),
            "fused: SlowDyn's forward and backward pass over BLAS (fast); samediff: SameDiff's graph (the reference, "
                    + "several times slower). Both train the same SameDiff network with the same mathematics");

    public static final SettingsSchema SCHEMA;

    static {
        List<Setting<?>> all = new ArrayList<>(List.of(WIDTH, HEADS, BLOCKS, CONTEXT, POSITIONS, DROPOUT, ENGINE));
        all.addAll(COMMON);
        SCHEMA = SettingsSchema.of(s -> {
            if (s.get(WIDTH) % s.get(HEADS) != 0) {
                throw new InvalidSettingException(WIDTH.name(), "width " + s.get(WIDTH)
                        + " must be a multiple of heads " + s.get(HEADS));
            }
            if (s.get(SEQUENCE_LENGTH) > s.get(CONTEXT)) {
                throw new InvalidSettingException(SEQUENCE_LENGTH.name(), "sequenceLength " + s.get(SEQUENCE_LENGTH)
                        + " exceeds the context of " + s.get(CONTEXT) + " frames");
            }
        }, all.toArray(new Setting<?>[0]));
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "Transformer language model";
    }

    @Override
    public String description() {
        return "Decoder-only Transformer over the states (SameDiff): causal multi-head self-attention, trained on "
                + "trajectory windows with early stopping; generates one state per frame over a sliding context";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    /**
     * The fused engine on one core, measured in the paper study (2026-12, medians over its 54 cells) at its size
     * (width 64, 2 blocks, context 100): 1.83e-5 s per frame and epoch of training and 3.03e-5 s per generated
     * frame. Modelled per frame as the blocks' multiply-adds (12 width^2 for the four attention projections and the
     * feed-forward layer of 4 width, plus 2 width per attended frame for the scores and the values: half a training
     * window on average, the whole context with the key/value cache in generation) at 6 (forward and backward) or 2
     * flops each and 4e10 flop/s, plus a fixed 2e-6 s in training and 2.4e-5 s per generated frame (sampling and the
     * cache): 1.87e-5 and 3.02e-5 s. Only this size was measured.
     */
    @Override
    public TrainerCost cost(Settings settings) {
        double width = settings.get(WIDTH), blocks = settings.get(BLOCKS);
        double training = blocks * width * (12 * width + settings.get(SEQUENCE_LENGTH));
        double generation = blocks * width * (12 * width + 2.0 * settings.get(CONTEXT));
        return networkCost(settings, 2e-6 + 6 * training / 4e10, 2.4e-5 + 2 * generation / 4e10);
    }

    @Override
    protected List<Setting<?>> architecture() {
        return List.of(WIDTH, HEADS, BLOCKS, CONTEXT, POSITIONS);
    }

    static TransformerNetwork.Shape shape(int vocabulary, Settings s) {
        return new TransformerNetwork.Shape(vocabulary, s.get(WIDTH), s.get(HEADS), s.get(BLOCKS), s.get(CONTEXT),
                s.get(POSITIONS).equals("sinusoidal"), s.get(DROPOUT));
    }

    @Override
    protected SequenceNetwork newNetwork(int vocabulary, Settings settings, long seed) {
        return wrap(new TransformerNetwork(shape(vocabulary, settings), settings.get(LEARNING_RATE),
                settings.get(L2), seed), settings, seed);
    }

    /** The training engine the settings choose over a SameDiff network. */
    static SequenceNetwork wrap(TransformerNetwork net, Settings s, long seed) {
        if (s.get(ENGINE).equals("samediff")) {
            return net;
        }
        int threads = threads(s);
        return new FusedTransformer(net, s.get(LEARNING_RATE), s.get(L2), seed, threads);
    }

    @Override
    protected SequenceNetwork restoreNetwork(Path file, Settings settings, int vocabulary, long seed)
            throws IOException {
        return wrap(TransformerNetwork.load(shape(vocabulary, settings), file, true, settings.get(LEARNING_RATE)),
                settings, seed);
    }

    @Override
    protected KineticModel model(SequenceNetwork network, int vocabulary, Settings settings, double frameInterval,
            String timeUnit, TrainingLog log) {
        TransformerNetwork net = network instanceof FusedTransformer f ? f.network() : (TransformerNetwork) network;
        return new TransformerModel(net, settings, frameInterval, timeUnit, log);
    }

    @Override
    public KineticModel load(Path directory) throws IOException {
        return TransformerModel.load(directory);
    }
}
