package org.slowdyn.train.lstm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slowdyn.core.AtomicFiles;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.GenerationRequest;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.TrainingLog;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.Settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A trained LSTM language model. Generation runs on {@link LstmSampler} over the network's weights; one generated
 * frame is one frame of the training data. Saved as the DL4J network ({@code network.zip}) and {@code model.json}
 * (trainer, vocabulary, frame interval, settings, training log).
 */
public final class LstmModel implements KineticModel {
    static final String NETWORK = "network.zip";
    static final String DESCRIPTION = "model.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MultiLayerNetwork network;
    private final int vocabulary;
    private final Settings settings;
    private final double frameInterval;
    private final String timeUnit;
    private final TrainingLog log;
    private final LstmSampler sampler;

    LstmModel(MultiLayerNetwork network, int vocabulary, Settings settings, double frameInterval, String timeUnit,
            TrainingLog log) {
        this.network = network;
        this.vocabulary = vocabulary;
        this.settings = settings;
        this.frameInterval = frameInterval;
        this.timeUnit = timeUnit;
        this.log = log;
        this.sampler = sampler(network, settings.get(LstmTrainer.LAYERS));
    }

    /** The sampler over the weights of an embedding + LSTM layers + output network as {@link LstmTrainer} builds it. */
    static LstmSampler sampler(MultiLayerNetwork net, int layers) {
        Map<String, INDArray> p = net.paramTable();
        float[][][] input = new float[layers][][], recurrent = new float[layers][][];
        float[][] bias = new float[layers][];
        for (int l = 0; l < layers; l++) {
            input[l] = matrix(p.get((l + 1) + "_W"));
            recurrent[l] = matrix(p.get((l + 1) + "_RW"));
            bias[l] = vector(p.get((l + 1) + "_b"));
        }
        return new LstmSampler(matrix(p.get("0_W")), input, recurrent, bias, matrix(p.get((layers + 1) + "_W")),
                vector(p.get((layers + 1) + "_b")));
    }

    private static float[][] matrix(INDArray a) {
        return a.castTo(DataType.FLOAT).toFloatMatrix();
    }

    private static float[] vector(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** The DL4J network (for inspection and tests). */
    public MultiLayerNetwork network() {
        return network;
    }

    LstmSampler sampler() {
        return sampler;
    }

    @Override
    public String trainerId() {
        return LstmTrainer.ID;
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
        int threads = settings.get(LstmTrainer.THREADS) == 0 ? Runtime.getRuntime().availableProcessors()
                : settings.get(LstmTrainer.THREADS);
        // the grouping depends on the setting only, so the results do not depend on the number of threads
        int group = settings.get(LstmTrainer.GENERATION_GROUP);
        long total = 0;
        for (int[] prefix : prefixes) {
            total += length - 1;
        }
        SubMonitor progress = SubMonitor.convert(monitor, "Generating with the LSTM", 1000);
        AtomicLong done = new AtomicLong();
        final int g = group;
        CompletableFuture<int[][]> work = CompletableFuture.supplyAsync(() -> sampler.generate(prefixes, length,
                streams, temperature, g, threads, progress::isCanceled, done));
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
            out.add(StateSequence.wrap(result[t], vocabulary, frameInterval, timeUnit, "lstm trajectory " + t));
        }
        return out;
    }

    @Override
    public void save(Path directory) throws IOException {
        Files.createDirectories(directory);
        AtomicFiles.write(directory.resolve(NETWORK), out -> ModelSerializer.writeModel(network, out, false));
        ObjectNode d = JSON.createObjectNode();
        d.put("trainer", LstmTrainer.ID);
        d.put("vocabulary", vocabulary);
        d.put("frameInterval", frameInterval);
        d.put("timeUnit", timeUnit);
        d.set("settings", settings.toJson());
        if (log != null) {
            ObjectNode l = d.putObject("training");
            l.put("keptEpoch", log.keptEpoch());
            l.put("stopReason", log.stopReason());
            l.set("epochs", LstmTrainer.epochsJson(log.epochs()));
            l.set("notes", JSON.valueToTree(log.notes()));
        }
        AtomicFiles.writeString(directory.resolve(DESCRIPTION), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(d));
    }

    static LstmModel load(Path directory) throws IOException {
        JsonNode d;
        try {
            d = JSON.readTree(directory.resolve(DESCRIPTION).toFile());
        } catch (java.io.FileNotFoundException | NoSuchFileException e) {
            throw new ConfigurationException(directory + ": not an LSTM model folder (no " + DESCRIPTION + ")");
        }
        if (!LstmTrainer.ID.equals(d.path("trainer").asText())) {
            throw new ConfigurationException(directory + ": the model was made by '" + d.path("trainer").asText()
                    + "', not " + LstmTrainer.ID);
        }
        Settings settings = LstmTrainer.SCHEMA.fromJson(d.get("settings"), directory.resolve(DESCRIPTION).toString());
        Dl4jSetup.init();
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(directory.resolve(NETWORK).toFile(), false);
        TrainingLog log = null;
        JsonNode l = d.get("training");
        if (l != null) {
            List<String> notes = new ArrayList<>();
            l.path("notes").forEach(n -> notes.add(n.asText()));
            log = new TrainingLog(LstmTrainer.epochsFromJson(l.get("epochs")), l.get("keptEpoch").asInt(),
                    l.get("stopReason").asText(), notes);
        }
        return new LstmModel(net, d.get("vocabulary").asInt(), settings, d.get("frameInterval").asDouble(),
                d.get("timeUnit").asText(), log);
    }
}
