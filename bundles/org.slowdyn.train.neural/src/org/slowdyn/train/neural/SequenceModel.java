package org.slowdyn.train.neural;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.AtomicFiles;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.GenerationRequest;
import org.slowdyn.core.InputException;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.TrainingLog;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A trained neural language model over states: generation through its {@link GroupSampler} (one generated frame is
 * one frame of the training data), seeded per trajectory, with progress and cancellation; saved as the network and
 * {@code model.json} (trainer, vocabulary, frame interval, settings, training log).
 */
public abstract class SequenceModel implements KineticModel {
    static final String DESCRIPTION = "model.json";
    static final String NETWORK = "network.zip";

    private final String trainerId;
    private final int vocabulary;
    private final Settings settings;
    private final double frameInterval;
    private final String timeUnit;
    private final TrainingLog log;

    protected SequenceModel(String trainerId, int vocabulary, Settings settings, double frameInterval,
            String timeUnit, TrainingLog log) {
        this.trainerId = trainerId;
        this.vocabulary = vocabulary;
        this.settings = settings;
        this.frameInterval = frameInterval;
        this.timeUnit = timeUnit;
        this.log = log;
    }

    /** The sampler over the trained network. */
    protected abstract GroupSampler sampler();

    /** The network's parameters in its fixed order, as {@link ParameterFile} stores them. */
    protected abstract float[] parameterValues();

    /** Writes the network (without optimiser state) to {@code file}. */
    protected abstract void saveNetwork(Path file) throws IOException;

    @Override
    public String trainerId() {
        return trainerId;
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public int numberOfStates() {
        return vocabulary;
    }

    @Override
    public double frameInterval() {
        return frameInterval;
    }

    @Override
    public String timeUnit() {
        return timeUnit;
    }

    @Override
    public Optional<TrainingLog> trainingLog() {
        return Optional.ofNullable(log);
    }

    @Override
    public List<StateSequence> generate(List<int[]> prefixes, int length, long seed, double temperature,
            IProgressMonitor monitor) {
        GenerationRequest.check(prefixes, length, vocabulary, temperature);
        SplittableRandom master = new SplittableRandom(seed);
        SplittableRandom[] streams = new SplittableRandom[prefixes.size()];
        for (int t = 0; t < streams.length; t++) {
            streams[t] = master.split();
        }
        int threads = SequenceTrainer.threads(settings);
        // the grouping depends on the setting and the model only, so the results do not depend on the number of threads
        GroupSampler sampler = sampler();
        int group = settings.get(SequenceTrainer.GENERATION_GROUP) == 0 ? sampler.preferredGroup()
                : settings.get(SequenceTrainer.GENERATION_GROUP);
        long total = (long) prefixes.size() * (length - 1);
        SubMonitor progress = SubMonitor.convert(monitor, "Generating with " + trainerId, 1000);
        AtomicLong done = new AtomicLong();
        CompletableFuture<int[][]> work = CompletableFuture.supplyAsync(() -> sampler.generate(prefixes, length,
                streams, temperature, group, threads, progress::isCanceled, done));
        int reported = 0;
        int[][] result;
        while (true) {
            try {
                result = work.get(200, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                int now = (int) (1000 * done.get() / Math.max(1, total));
                progress.worked(now - reported);
                reported = now;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperationCanceledException();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        if (result == null) {
            throw new OperationCanceledException();
        }
        List<StateSequence> out = new ArrayList<>(result.length);
        for (int t = 0; t < result.length; t++) {
            out.add(StateSequence.wrap(result[t], vocabulary, frameInterval, timeUnit, trainerId + " trajectory " + t));
        }
        return out;
    }

    @Override
    public void save(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path partial = Files.createTempFile(directory, "." + NETWORK, ".partial");
        try {
            saveNetwork(partial);
            Files.move(partial, directory.resolve(NETWORK), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        float[] parameters = parameterValues();
        String sha256 = ParameterFile.write(directory.resolve(ParameterFile.NAME), parameters);
        ObjectNode d = SequenceTrainer.JSON.createObjectNode();
        d.put("trainer", trainerId);
        d.put("vocabulary", vocabulary);
        d.put("parameters", parameters.length);
        d.put("parametersSha256", sha256);
        d.put("frameInterval", frameInterval);
        d.put("timeUnit", timeUnit);
        d.set("settings", settings.toJson());
        if (log != null) {
            ObjectNode l = d.putObject("training");
            l.put("keptEpoch", log.keptEpoch());
            l.put("stopReason", log.stopReason());
            l.set("epochs", SequenceTrainer.epochsJson(log.epochs()));
            l.set("notes", SequenceTrainer.JSON.valueToTree(log.notes()));
        }
        AtomicFiles.writeString(directory.resolve(DESCRIPTION), SequenceTrainer.JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(d));
    }

    /**
     * What {@link #save} wrote besides the parameters. {@code network} is the DL4J or SameDiff file, written for use
     * outside SlowDyn and never read by it: models are loaded from {@link ParameterFile}.
     */
    protected record Description(int vocabulary, Settings settings, double frameInterval, String timeUnit,
            TrainingLog log, Path network, Path parameters, int parameterCount, String parametersSha256) {
    }

    /**
     * Reads and checks {@code model.json} of a model saved by the trainer {@code trainerId}: every field present, of
     * its type and in range; errors name the file and the field.
     */
    protected static Description description(Path directory, String trainerId, SettingsSchema schema)
            throws IOException {
        Path file = directory.resolve(DESCRIPTION);
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException(directory + ": not a model folder (no " + DESCRIPTION + ")");
        }
        if (Files.size(file) > MAX_DESCRIPTION_BYTES) {
            throw new InputException(file + ": " + Files.size(file) + " bytes; a model description has at most "
                    + MAX_DESCRIPTION_BYTES);
        }
        JsonNode d;
        try {
            d = SequenceTrainer.JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InputException(file + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e); // e.g. invalid characters
        }
        if (d == null || !d.isObject()) {
            throw new InputException(file + ": not a JSON object");
        }
        if (!trainerId.equals(d.path("trainer").asText())) {
            throw new ConfigurationException(directory + ": the model was made by '" + d.path("trainer").asText()
                    + "', not " + trainerId);
        }
        Settings settings = schema.fromJson(d.get("settings"), file.toString());
        int vocabulary = intField(d, "vocabulary", 1, 10_000_000, file);
        int parameters = intField(d, "parameters", 1, Integer.MAX_VALUE, file);
        JsonNode fi = d.get("frameInterval");
        if (fi == null || !fi.isNumber() || !(fi.asDouble() > 0) || !Double.isFinite(fi.asDouble())) {
            throw new InputException(file + ": 'frameInterval' must be a positive number, found " + fi);
        }
        if (!d.path("timeUnit").isTextual() || !d.path("parametersSha256").isTextual()) {
            throw new InputException(file + ": 'timeUnit' and 'parametersSha256' must be strings");
        }
        TrainingLog log = null;
        JsonNode l = d.get("training");
        if (l != null) {
            try {
                List<String> notes = new ArrayList<>();
                l.path("notes").forEach(n -> notes.add(n.asText()));
                log = new TrainingLog(SequenceTrainer.epochsFromJson(l.get("epochs")), l.get("keptEpoch").asInt(),
                        l.get("stopReason").asText(), notes);
            } catch (RuntimeException e) {
                throw new InputException(file + ": the 'training' log is damaged: " + e, e);
            }
        }
        return new Description(vocabulary, settings, fi.asDouble(), d.get("timeUnit").asText(), log,
                directory.resolve(NETWORK), directory.resolve(ParameterFile.NAME), parameters,
                d.get("parametersSha256").asText());
    }

    /** A model description is a few kilobytes; the training log of a million epochs stays far below this. */
    static final long MAX_DESCRIPTION_BYTES = 64L << 20;

    private static int intField(JsonNode d, String name, int min, int max, Path file) {
        JsonNode v = d.get(name);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            throw new InputException(file + ": '" + name + "' must be a whole number from " + min + " to " + max
                    + ", found " + v);
        }
        return v.asInt();
    }

    /**
     * The parameters a description records, read and checked (size, digest, finite) before any network is built, so
     * that a damaged or hostile file costs no more than reading it.
     */
    protected static float[] readParameters(Description d) {
        return ParameterFile.read(d.parameters(), d.parameterCount(), d.parametersSha256());
    }

    /** Checks that the network model.json describes has as many parameters as the file holds. */
    protected static void checkParameterCount(Description d, int networkCount) {
        if (d.parameterCount() != networkCount) {
            throw new InputException(d.parameters().getParent().resolve(DESCRIPTION) + ": records "
                    + d.parameterCount() + " parameters, but the network it describes (vocabulary " + d.vocabulary()
                    + ", its settings) has " + networkCount);
        }
    }
}
