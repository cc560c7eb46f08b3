package org.slowdyn.train.neural;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.AtomicFiles;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.InputException;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.ModelTrainer;
import org.slowdyn.core.TrainerCost;
import org.slowdyn.core.TrainingLog;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Training shared by the neural language models over states: windows of the trajectories ({@link TrainingData}),
 * shuffled each epoch with a stream derived from the seed and the epoch, gradient steps on batches, validation loss
 * per epoch, learning-rate decay on a plateau, early stopping that keeps the best epoch, a checkpoint per epoch and
 * resuming from it, cancellation between batches. Subclasses supply the network ({@link SequenceNetwork}) and the
 * trained model.
 */
public abstract class SequenceTrainer implements ModelTrainer {
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
    public static final Setting<String> SCHEDULE = Setting.choice("learningRateSchedule", "plateau",
            List.of("plateau", "cosine"), "plateau: multiply the learning rate by learningRateDecay after an epoch that "
                    + "does not improve the validation loss; cosine: learningRate x (1 + cos(pi (epoch - 1) / epochs)) / 2 "
                    + "in each epoch, whatever the validation loss");
    public static final Setting<Double> L2 = Setting.real("l2", 0.0, 0.0, 1e3, "", "L2 weight penalty");
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
    public static final Setting<Integer> GENERATION_GROUP = Setting.integer("generationGroup", 0, 0, 1_000_000,
            "trajectories", "most trajectories advanced together in one generation step (matrix products shared); "
                    + "groups run in parallel on the threads; 0: automatic (64, and 256 for LSTM layers of 256 units "
                    + "or more, whose steps split over the threads)");
    public static final Setting<Integer> THREADS = Setting.integer("threads", 0, 0, 1024, "",
            "threads for training and generation; 0 uses every core (results do not depend on it)");

    /** The threads the settings ask for: {@link #THREADS}, where 0 means every core. */
    static int threads(Settings settings) {
        int t = settings.get(THREADS);
        return t == 0 ? Runtime.getRuntime().availableProcessors() : t;
    }

    /**
     * A network's cost from its seconds per pass of one frame through training (forward and backward) and per
     * generated frame: training passes every frame once per epoch with windows side by side, or sequenceLength /
     * shift times with overlapping windows, for at most {@link #EPOCHS} epochs (early stopping only shortens it).
     */
    protected static TrainerCost networkCost(Settings settings, double secondsPerFramePass,
            double secondsPerGeneratedFrame) {
        int shift = settings.get(SHIFT);
        double passes = shift == 0 ? 1 : (double) settings.get(SEQUENCE_LENGTH) / shift;
        return new TrainerCost(settings.get(EPOCHS) * passes * secondsPerFramePass, secondsPerGeneratedFrame);
    }

    /** The settings every sequence trainer has, after its own. */
    protected static final List<Setting<?>> COMMON = List.of(SEQUENCE_LENGTH, SHIFT, BATCH_SIZE, LEARNING_RATE,
            DECAY, SCHEDULE, L2, EPOCHS, PATIENCE, VALIDATION, VALIDATION_FRACTION, RESUME_FROM, GENERATION_GROUP, THREADS);

    static final String CHECKPOINT = "checkpoint";
    static final String CHECKPOINT_NETWORK = "network.zip";
    static final ObjectMapper JSON = new ObjectMapper();

    /** A new network with initial weights. */
    protected abstract SequenceNetwork newNetwork(int vocabulary, Settings settings, long seed);

    /** A network written by {@link SequenceNetwork#save} with its optimiser state. */
    protected abstract SequenceNetwork restoreNetwork(Path file, Settings settings, int vocabulary, long seed)
            throws IOException;

    /** The settings that fix the architecture: a checkpoint resumes only with the same values. */
    protected abstract List<Setting<?>> architecture();

    /** The trained model. */
    protected abstract KineticModel model(SequenceNetwork network, int vocabulary, Settings settings,
            double frameInterval, String timeUnit, TrainingLog log);

    @Override
    public KineticModel train(List<StateSequence> sequences, Settings settings, long seed, IProgressMonitor monitor) {
        return train(sequences, settings, seed, null, monitor);
    }

    /** Token ids of windows {@code from} to {@code to}: batch x (length + 1), row-major. */
    static int[] windows(List<int[]> sequences, List<TrainingData.Window> windows, int from, int to, int length) {
        int[] x = new int[(to - from) * (length + 1)];
        for (int i = from; i < to; i++) {
            TrainingData.Window w = windows.get(i);
            System.arraycopy(sequences.get(w.sequence()), w.start(), x, (i - from) * (length + 1), length + 1);
        }
        return x;
    }

    /** Mean cross-entropy (nats per predicted frame) of the network on windows, from its probabilities. */
    static double loss(SequenceNetwork net, List<int[]> sequences, List<TrainingData.Window> windows, int length,
            int vocabulary, int batchSize) {
        double sum = 0;
        long count = 0;
        for (int from = 0; from < windows.size(); from += batchSize) {
            int to = Math.min(windows.size(), from + batchSize);
            int[] x = windows(sequences, windows, from, to, length);
            float[] p = net.probabilities(x, to - from, length);
            for (int i = 0; i < to - from; i++) {
                for (int t = 0; t < length; t++) {
                    int target = x[i * (length + 1) + t + 1];
                    sum -= Math.log(Math.max(1e-30, p[(i * length + t) * vocabulary + target]));
                }
            }
            count += (long) (to - from) * length;
        }
        return sum / count;
    }

    @Override
    public KineticModel train(List<StateSequence> sequences, Settings settings, long seed, Path workDirectory,
            IProgressMonitor monitor) {
        if (sequences.isEmpty()) {
            throw new ConfigurationException(id() + ": no training trajectories");
        }
        int vocabulary = sequences.get(0).numberOfStates();
        List<int[]> data = new ArrayList<>();
        for (StateSequence s : sequences) {
            if (s.numberOfStates() != vocabulary || s.frameInterval() != sequences.get(0).frameInterval()) {
                throw new ConfigurationException(id() + ": trajectories differ in number of states or frame interval: "
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

        SequenceNetwork net;
        List<TrainingLog.Epoch> epochs = new ArrayList<>();
        float[] best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0, firstEpoch = 1;
        double learningRate = settings.get(LEARNING_RATE);
        if (!settings.get(RESUME_FROM).isEmpty()) {
            Path dir = Path.of(settings.get(RESUME_FROM));
            if (!Files.isRegularFile(dir.resolve("state.json"))) {
                throw new ConfigurationException(id() + ": " + dir + " is not a checkpoint folder (no state.json)");
            }
            verifyCheckpoint(dir);
            JsonNode state = resumeState(dir, settings, vocabulary);
            try {
                net = restoreNetwork(dir.resolve(CHECKPOINT_NETWORK), settings, vocabulary, seed);
                best = readFloats(dir.resolve("best.bin"));
            } catch (IOException e) {
                throw new InputException(dir + ": cannot read the checkpoint: " + e.getMessage(), e);
            }
            epochs.addAll(epochsFromJson(state.get("epochs")));
            bestLoss = state.get("bestLoss").asDouble();
            bestEpoch = state.get("bestEpoch").asInt();
            learningRate = state.get("learningRate").asDouble();
            net.setLearningRate(learningRate);
            firstEpoch = epochs.size() + 1;
            notes.add("resumed from " + dir + " after epoch " + epochs.size());
        } else {
            net = newNetwork(vocabulary, settings, seed);
        }
        int maxEpochs = settings.get(EPOCHS), batchSize = settings.get(BATCH_SIZE);
        int batches = (train.size() + batchSize - 1) / batchSize;
        SubMonitor progress = SubMonitor.convert(monitor, "Training " + label(), Math.max(1,
                (maxEpochs - firstEpoch + 1) * batches));
        String stop = "reached the maximum of " + maxEpochs + " epochs";
        boolean cosine = settings.get(SCHEDULE).equals("cosine");
        for (int epoch = firstEpoch; epoch <= maxEpochs; epoch++) {
            long t0 = System.nanoTime();
            if (cosine) {
                learningRate = settings.get(LEARNING_RATE) * (1 + Math.cos(Math.PI * (epoch - 1) / maxEpochs)) / 2;
                net.setLearningRate(learningRate);
            }
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
                lossSum += net.fit(windows(split.training(), shuffled, from, to, length), to - from, length)
                        * (to - from);
                progress.split(1);
            }
            double trainLoss = lossSum / shuffled.size();
            double validLoss = valid.isEmpty() ? Double.NaN
                    : loss(net, split.validation(), valid, length, vocabulary, 4 * batchSize);
            epochs.add(new TrainingLog.Epoch(epoch, trainLoss, validLoss, (System.nanoTime() - t0) / 1e9));
            progress.subTask(String.format(Locale.ROOT, "epoch %d/%d: training loss %.4f, validation %.4f "
                    + "(%.1f s/epoch)", epoch, maxEpochs, trainLoss, validLoss, (System.nanoTime() - t0) / 1e9));
            if (valid.isEmpty() || validLoss < bestLoss) {
                bestLoss = valid.isEmpty() ? trainLoss : validLoss;
                bestEpoch = epoch;
                best = net.parameters();
            } else if (!cosine && settings.get(DECAY) < 1) {
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
            net.setParameters(best);
        }
        TrainingLog log = new TrainingLog(epochs, bestEpoch, stop, notes);
        StateSequence first = sequences.get(0);
        return model(net, vocabulary, settings, first.frameInterval(), first.timeUnit(), log);
    }

    /** The shuffling stream of an epoch: a function of the seed and the epoch only. */
    private static SplittableRandom epochStream(long seed, int epoch) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * epoch));
    }

    private static void checkpoint(Path dir, SequenceNetwork net, float[] best, List<TrainingLog.Epoch> epochs,
            int bestEpoch, double bestLoss, double learningRate, Settings settings, int vocabulary) {
        try {
            Files.createDirectories(dir);
            Path partial = Files.createTempFile(dir, "." + CHECKPOINT_NETWORK, ".partial");
            try {
                net.save(partial, true);
                Files.move(partial, dir.resolve(CHECKPOINT_NETWORK), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
            if (best != null) {
                AtomicFiles.write(dir.resolve("best.bin"), out -> {
                    java.io.DataOutputStream d = new java.io.DataOutputStream(new java.io.BufferedOutputStream(out));
                    d.writeInt(best.length);
                    for (float v : best) {
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
            // written last: the checkpoint is the set of parts this manifest names, with their digests
            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("format", "slowdyn-checkpoint v1");
            manifest.put("epoch", epochs.size());
            ObjectNode parts = manifest.putObject("sha256");
            for (String part : List.of(CHECKPOINT_NETWORK, "best.bin", "state.json")) {
                if (Files.exists(dir.resolve(part))) {
                    parts.put(part, org.slowdyn.core.FileDigest.sha256(dir.resolve(part)));
                }
            }
            AtomicFiles.writeString(dir.resolve(CHECKPOINT_MANIFEST), JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(manifest));
        } catch (IOException e) {
            throw new InputException(dir + ": cannot write the checkpoint: " + e.getMessage(), e);
        }
    }

    static final String CHECKPOINT_MANIFEST = "checkpoint.json";

    /**
     * Checks a checkpoint as one unit before any part is read: the manifest written last names every part with its
     * SHA-256, so a part from another epoch, a damaged part or a part left over from an interrupted write is refused,
     * naming the file.
     */
    static void verifyCheckpoint(Path dir) {
        Path manifestFile = dir.resolve(CHECKPOINT_MANIFEST);
        JsonNode manifest;
        try {
            if (!Files.isRegularFile(manifestFile) || Files.size(manifestFile) > 1 << 20) {
                throw new InputException(manifestFile + ": missing or not a checkpoint manifest; the checkpoint is "
                        + "incomplete (interrupted before its first epoch ended?)");
            }
            manifest = JSON.readTree(manifestFile.toFile());
        } catch (IOException e) {
            throw new InputException(manifestFile + ": cannot read: " + e.getMessage(), e);
        }
        JsonNode parts = manifest.path("sha256");
        if (!parts.isObject() || !parts.has(CHECKPOINT_NETWORK) || !parts.has("state.json")) {
            throw new InputException(manifestFile + ": names no network and state");
        }
        for (java.util.Iterator<String> it = parts.fieldNames(); it.hasNext();) {
            String part = it.next();
            if (!List.of(CHECKPOINT_NETWORK, "best.bin", "state.json").contains(part)) {
                throw new InputException(manifestFile + ": unknown part '" + part + "'");
            }
            Path file = dir.resolve(part);
            String actual;
            try {
                actual = org.slowdyn.core.FileDigest.sha256(file);
            } catch (IOException e) {
                throw new InputException(file + ": cannot read (a part of the checkpoint): " + e.getMessage(), e);
            }
            if (!actual.equals(parts.get(part).asText())) {
                throw new InputException(file + ": differs from the part the checkpoint manifest " + manifestFile
                        + " records for epoch " + manifest.path("epoch").asInt() + " (from another epoch, or damaged)");
            }
        }
    }

    private static float[] readFloats(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        long size = Files.size(file);
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(
                Files.newInputStream(file)))) {
            int count = in.readInt();
            if (count < 0 || size != 4 + 4L * count) {
                throw new InputException(file + ": says " + count + " values, but has " + size + " bytes");
            }
            float[] b = new float[count];
            for (int i = 0; i < b.length; i++) {
                b[i] = in.readFloat();
            }
            return b;
        }
    }

    /** The checkpoint's state, checked against the data and the architecture. */
    private JsonNode resumeState(Path dir, Settings settings, int vocabulary) {
        JsonNode state;
        try {
            state = JSON.readTree(dir.resolve("state.json").toFile());
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            throw new ConfigurationException(id() + ": " + dir + " is not a checkpoint folder (no state.json)");
        } catch (IOException e) {
            throw new InputException(dir + ": cannot read the checkpoint: " + e.getMessage(), e);
        }
        if (state.get("vocabulary").asInt() != vocabulary) {
            throw new ConfigurationException(id() + ": checkpoint " + dir + " was trained on "
                    + state.get("vocabulary").asInt() + " states, the data have " + vocabulary);
        }
        Settings saved = settingsSchema().fromJson(state.get("settings"), "checkpoint " + dir);
        for (Setting<?> s : architecture()) {
            if (!saved.get(s).equals(settings.get(s))) {
                throw new InvalidSettingException(s.name(), "setting '" + s.name() + "' = " + settings.get(s)
                        + " differs from the checkpoint's " + saved.get(s) + " (" + dir + ")");
            }
        }
        return state;
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
}
