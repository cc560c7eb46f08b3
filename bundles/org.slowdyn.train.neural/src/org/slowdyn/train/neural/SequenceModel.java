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
        int threads = settings.get(SequenceTrainer.THREADS) == 0 ? Runtime.getRuntime().availableProcessors()
                : settings.get(SequenceTrainer.THREADS);
        // the grouping depends on the setting only, so the results do not depend on the number of threads
        int group = settings.get(SequenceTrainer.GENERATION_GROUP);
        long total = (long) prefixes.size() * (length - 1);
        SubMonitor progress = SubMonitor.convert(monitor, "Generating with " + trainerId, 1000);
        AtomicLong done = new AtomicLong();
        GroupSampler sampler = sampler();
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
        ObjectNode d = SequenceTrainer.JSON.createObjectNode();
        d.put("trainer", trainerId);
        d.put("vocabulary", vocabulary);
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

    /** What {@link #save} wrote besides the network. */
    protected record Description(int vocabulary, Settings settings, double frameInterval, String timeUnit,
            TrainingLog log, Path network) {
    }

    /** Reads {@code model.json} of a model saved by the trainer {@code trainerId}. */
    protected static Description description(Path directory, String trainerId, SettingsSchema schema)
            throws IOException {
        JsonNode d;
        try {
            d = SequenceTrainer.JSON.readTree(directory.resolve(DESCRIPTION).toFile());
        } catch (java.io.FileNotFoundException | NoSuchFileException e) {
            throw new ConfigurationException(directory + ": not a model folder (no " + DESCRIPTION + ")");
        }
        if (!trainerId.equals(d.path("trainer").asText())) {
            throw new ConfigurationException(directory + ": the model was made by '" + d.path("trainer").asText()
                    + "', not " + trainerId);
        }
        Settings settings = schema.fromJson(d.get("settings"), directory.resolve(DESCRIPTION).toString());
        TrainingLog log = null;
        JsonNode l = d.get("training");
        if (l != null) {
            List<String> notes = new ArrayList<>();
            l.path("notes").forEach(n -> notes.add(n.asText()));
            log = new TrainingLog(SequenceTrainer.epochsFromJson(l.get("epochs")), l.get("keptEpoch").asInt(),
                    l.get("stopReason").asText(), notes);
        }
        return new Description(d.get("vocabulary").asInt(), settings, d.get("frameInterval").asDouble(),
                d.get("timeUnit").asText(), log, directory.resolve(NETWORK));
    }
}
