package org.slowdyn.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.AtomicFiles;
import org.slowdyn.core.FilterResult;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.ModelTrainer;
import org.slowdyn.core.StageFamily;
import org.slowdyn.core.StageProvider;
import org.slowdyn.core.StageRegistry;
import org.slowdyn.core.TrainerCost;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.io.StateSequenceFiles;
import org.slowdyn.kinetics.KineticsComparison;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runs a {@link Pipeline} as a composition of {@link PipelineSteps}: input, featurize, stride, partition, filter,
 * train, generate one trajectory per reference trajectory (same length, seeded with its first frames), the same for
 * the baseline, and the {@link KineticsComparison}. Writes the run folder: {@code report.json}, {@code report.md},
 * {@code report.html}, {@code manifest.json}, {@code partition.json}, {@code model/}, the state sequences
 * {@code reference-states}, {@code generated-states} and {@code baseline-states} ({@code .txt.gz}, or {@code .npz} with
 * {@code output.states}), and with {@code output.features} {@code features.npz} and {@code features.json}.
 */
public final class PipelineRunner {
    private final StageRegistry stages;

    public PipelineRunner(StageRegistry stages) {
        this.stages = stages;
    }

    public StageRegistry stages() {
        return stages;
    }

    /** @param runFolder the folder to create; it must not exist yet (it is claimed before any work) */
    public RunResult run(Pipeline p, Path runFolder, IProgressMonitor monitor) throws IOException {
        return runClaimed(p, RunFolder.claim(runFolder, false), monitor);
    }

    /** @see RunFolder#claim */
    public static Path claim(Path runFolder, boolean unique) throws IOException {
        return RunFolder.claim(runFolder, unique);
    }

    /**
     * Runs into a folder claimed by {@link RunFolder#claim}. On failure the claimed folder is removed again (a
     * partial folder with training checkpoints stays, for {@code resumeFrom}).
     */
    public RunResult runClaimed(Pipeline p, Path runFolder, IProgressMonitor monitor) throws IOException {
        return inClaimed(runFolder, () -> execute(p, runFolder, monitor));
    }

    private interface Work {
        RunResult run() throws IOException;
    }

    /** Runs {@code work} into a claimed folder, removing the folder again when the work fails. */
    private static RunResult inClaimed(Path runFolder, Work work) throws IOException {
        try {
            return work.run();
        } catch (Throwable t) {
            try {
                Files.deleteIfExists(runFolder); // empty unless the final rename happened
            } catch (IOException e) {
                t.addSuppressed(e);
            }
            throw t;
        }
    }

    /**
     * Progress weights of the steps, from the work each does: estimated seconds on one core of this kind of machine
     * (simulation about 5e6 Langevin steps/s, file input about 30 MB/s, training and generation as the trainer's
     * {@link ModelTrainer#cost} says, the comparison about 1e6 frames/s per 100 bootstrap resamples).
     */
    static int[] weights(Pipeline p) {
        double[] in = input(p);
        double input = in[0], frames = in[1];
        TrainerCost cost = p.trainer().stage().cost(p.trainer().settings());
        double train = frames * cost.secondsPerTrainingFrame();
        double generate = generatedFrames(p, frames) * cost.secondsPerGeneratedFrame();
        double compare = frames / 1e6 * (1 + p.kinetics().get(Pipeline.BOOTSTRAP) / 100.0);
        double[] seconds = { input, frames / 2e7, frames / 5e6, frames / 1e7, train, generate, frames / 5e6,
                compare, frames / 2e7 };
        int[] w = new int[seconds.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = (int) Math.max(1, Math.min(1e6, Math.round(10 * seconds[i])));
        }
        return w;
    }

    /**
     * The input's estimated seconds to simulate or read (about 5e6 Langevin steps/s, about 30 MB/s) and its frames at
     * the pipeline's saving interval (files: about 100 bytes per frame, 4 for discrete trajectories).
     */
    static double[] input(Pipeline p) {
        double frames, seconds;
        if (p.simulation() != null) {
            frames = (double) p.simulation().get(org.slowdyn.simulate.LangevinSimulator.TRAJECTORIES)
                    * p.simulation().get(org.slowdyn.simulate.LangevinSimulator.FRAMES);
            seconds = frames * p.simulation().get(org.slowdyn.simulate.LangevinSimulator.STEPS_PER_FRAME) / 5e6;
        } else {
            double bytes = 0;
            for (Path f : p.files()) {
                try {
                    bytes += Files.size(f);
                } catch (IOException e) {
                    // the input step reports it
                }
            }
            seconds = bytes / 3e7;
            frames = bytes / 100;
        }
        frames /= p.stride();
        if (p.dtrajs() != null) {
            frames *= 25; // 4 bytes per frame, not about 100 as in trajectory files
        }
        return new double[] { seconds, frames };
    }

    /** Frames the model generates: generate.trajectories x generate.frames, or copies x the reference's frames. */
    static double generatedFrames(Pipeline p, double referenceFrames) {
        int trajectories = p.generate().get(Pipeline.TRAJECTORIES);
        return trajectories > 0 ? (double) trajectories * p.generate().get(Pipeline.FRAMES)
                : referenceFrames * p.generate().get(Pipeline.COPIES);
    }

    private RunResult execute(Pipeline p, Path runFolder, IProgressMonitor monitor) throws IOException {
        Instant started = Instant.now();
        int[] w = weights(p);
        final int W_INPUT = w[0], W_FEATURIZE = w[1], W_PARTITION = w[2], W_FILTER = w[3];
        SubMonitor progress = SubMonitor.convert(monitor, "Running " + p.name(), java.util.Arrays.stream(w).sum());
        Map<String, Double> seconds = new LinkedHashMap<>();
        Map<String, Long> seeds = PipelineSteps.derivedSeeds(p.seed());

        long t0 = System.nanoTime();
        progress.subTask("input");
        PipelineSteps.Input input = PipelineSteps.input(p, seeds.get("simulation"), progress.split(W_INPUT));
        seconds.put("input", elapsed(t0));

        PipelineSteps.Partitioned partitioned;
        double[] expected = null;
        if (p.dtrajs() != null) {
            t0 = System.nanoTime();
            progress.subTask("dtrajs");
            PipelineSteps.Partitioned given = PipelineSteps.dtrajs(p);
            List<StateSequence> strided = new ArrayList<>();
            given.states().forEach(s -> strided.add(s.stride(p.stride(), 0)));
            partitioned = new PipelineSteps.Partitioned(given.partition(), List.of(), strided);
            progress.split(W_FEATURIZE + W_PARTITION);
            seconds.put("dtrajs", elapsed(t0));
        } else {
            t0 = System.nanoTime();
            progress.subTask("featurizer " + p.featurizer().stage().id());
            List<FeatureSeries> features = PipelineSteps.stride(PipelineSteps.featurize(p.featurizer(),
                    input.trajectories(), progress.split(W_FEATURIZE)), p.stride());
            seconds.put("featurize", elapsed(t0));

            t0 = System.nanoTime();
            progress.subTask("partition " + p.partition().stage().id());
            partitioned = PipelineSteps.partition(p.partition(), features, progress.split(W_PARTITION));
            expected = input.expected().of(partitioned.partition(), features.get(0).labels());
            seconds.put("partition", elapsed(t0));
        }

        t0 = System.nanoTime();
        progress.subTask("recrossing filter " + p.filter().stage().id());
        FilterResult filtered = PipelineSteps.filter(p.filter(), partitioned, progress.split(W_FILTER));
        List<StateSequence> reference = filtered.sequences();
        if (filtered.stateLabels().isPresent()) {
            expected = null; // the filter defined its own states (cores): the input's populations are of other states
        }
        seconds.put("filter", elapsed(t0));
        return finish(p, runFolder, new Prepared(input.description(), input.checksums(), partitioned, filtered,
                expected, seconds), started, progress, w);
    }

    /**
     * What a run has before training: the input's description and checksums, the fitted partition (with the features
     * it was fitted on, or none), the filtered state sequences, the populations the input knows exactly (or null),
     * and the seconds each step took.
     */
    public record Prepared(String description, Map<String, String> checksums, PipelineSteps.Partitioned partitioned,
            FilterResult filtered, double[] expected, Map<String, Double> seconds) {
    }

    /**
     * The rest of a run from state sequences prepared elsewhere (for example featurized, assigned and filtered on a
     * cluster): training, generation, the comparison and the run folder, as {@link #run}. The pipeline's input,
     * featurizer, partition and filter only describe what was done.
     */
    public RunResult runPrepared(Pipeline p, Path runFolder, Prepared prepared, IProgressMonitor monitor)
            throws IOException {
        Path claimed = RunFolder.claim(runFolder, false);
        return inClaimed(claimed, () -> {
            int[] w = weights(p);
            SubMonitor progress = SubMonitor.convert(monitor, "Running " + p.name(), w[4] + w[5] + w[6] + w[7] + w[8]);
            return finish(p, claimed, prepared, Instant.now(), progress, w);
        });
    }

    private RunResult finish(Pipeline p, Path runFolder, Prepared prepared, Instant started, SubMonitor progress,
            int[] w) throws IOException {
        final int W_TRAIN = w[4], W_GENERATE = w[5], W_BASELINE = w[6], W_COMPARE = w[7], W_WRITE = w[8];
        Map<String, Double> seconds = new LinkedHashMap<>(prepared.seconds());
        Map<String, Long> seeds = PipelineSteps.derivedSeeds(p.seed());
        ModelTrainer baselineTrainer = baselineTrainer(p);
        PipelineSteps.Partitioned partitioned = prepared.partitioned();
        FilterResult filtered = prepared.filtered();
        List<StateSequence> reference = filtered.sequences();
        long t0;

        // trainers keep checkpoints in the folder being assembled while they train
        RunFolder folder = RunFolder.assemble(runFolder);
        t0 = System.nanoTime();
        // the model learns this data's frame interval: a seed that no reference trajectory holds fails now, not
        // after training
        PipelineSteps.checkSeeds(reference, p.generate());
        progress.subTask("training " + p.trainer().stage().id());
        KineticModel model = PipelineSteps.train(p.trainer(), reference, seeds.get("training"),
                folder.path().resolve("training"), progress.split(W_TRAIN));
        seconds.put("train", elapsed(t0));

        t0 = System.nanoTime();
        progress.subTask("generating");
        PipelineSteps.Generation generation = PipelineSteps.generate(model, reference, p.generate(),
                p.generate().get(Pipeline.PREFIX_FRAMES), seeds.get("generation"), progress.split(W_GENERATE));
        seconds.put("generate", elapsed(t0));
        List<StateSequence> usable = generation.used();
        List<KineticsComparison.Generated> generators = new ArrayList<>();
        generators.add(new KineticsComparison.Generated(p.trainer().stage().id(), generation.generated(),
                generation.step()));

        PipelineSteps.Generation baseline = null;
        SubMonitor baselineProgress = progress.split(W_BASELINE).setWorkRemaining(2);
        if (baselineTrainer != null) {
            t0 = System.nanoTime();
            progress.subTask("baseline " + baselineTrainer.id());
            KineticModel baselineModel = baselineTrainer.train(reference, baselineTrainer.settingsSchema().defaults(),
                    seeds.get("training"), baselineProgress.split(1));
            baseline = PipelineSteps.generate(baselineModel, usable, p.generate(), 1, seeds.get("generation") + 1,
                    baselineProgress.split(1));
            generators.add(new KineticsComparison.Generated(baselineTrainer.id(), baseline.generated(),
                    baseline.step()));
            seconds.put("baseline", elapsed(t0));
        }

        t0 = System.nanoTime();
        progress.subTask("kinetics");
        KineticsComparison comparison = KineticsComparison.compare(usable, generators,
                PipelineSteps.comparisonOptions(p.kinetics()), seeds.get("bootstrap"), progress.split(W_COMPARE));
        seconds.put("kinetics", elapsed(t0));

        t0 = System.nanoTime();
        ObjectMapper mapper = new ObjectMapper();
        Path out = folder.path();
        String ext = "." + p.output().get(Pipeline.STATES_FORMAT);
        StateSequenceFiles.write(out.resolve("reference-states" + ext), usable);
        StateSequenceFiles.write(out.resolve("generated-states" + ext), generation.generated());
        model.save(out.resolve("model"));
        if (baseline != null) {
            StateSequenceFiles.write(out.resolve("baseline-states" + ext), baseline.generated());
        }
        if (p.output().get(Pipeline.FEATURES)) {
            writeFeatures(out, partitioned.features());
        }
        AtomicFiles.writeString(out.resolve("partition.json"),
                mapper.writerWithDefaultPrettyPrinter().writeValueAsString(partitioned.partition().toJson()));
        seconds.put("write", elapsed(t0));
        RunResult result = new RunResult(p, seeds, prepared.description(),
                PipelineSteps.stateLabels(filtered, partitioned.partition()), partitioned.partition().notes(),
                prepared.expected(), filtered, comparison, model.trainingLog().orElse(null), seconds);
        RunReport.of(result).write(out, "report");
        AtomicFiles.writeString(out.resolve("manifest.json"), mapper.writerWithDefaultPrettyPrinter()
                .writeValueAsString(manifest(p, seeds, prepared.checksums(), started)));
        progress.split(W_WRITE);
        folder.complete();
        progress.done();
        return result;
    }

    /**
     * The features the partition was fitted on, as NumPy arrays (float32, frames x features, one per trajectory, in
     * the order of the input) and their description.
     */
    static void writeFeatures(Path folder, List<FeatureSeries> features) throws IOException {
        List<String> names = new ArrayList<>();
        List<double[]> arrays = new ArrayList<>();
        ObjectNode d = new ObjectMapper().createObjectNode();
        d.put("format", "slowdyn-features v1");
        d.put("file", "features.npz");
        d.put("dtype", "float32");
        d.put("shape", "frames x features, one array per trajectory (arr_0, arr_1, ...)");
        com.fasterxml.jackson.databind.node.ArrayNode labels = d.putArray("labels");
        features.get(0).labels().forEach(labels::add);
        d.put("frameInterval", features.get(0).frameInterval());
        d.put("timeUnit", features.get(0).timeUnit());
        com.fasterxml.jackson.databind.node.ArrayNode sources = d.putArray("sources");
        for (FeatureSeries f : features) {
            names.add("arr_" + names.size());
            arrays.add(f.toArray());
            sources.add(f.source());
        }
        org.slowdyn.io.Npz.writeFloats(folder.resolve("features.npz"), names, arrays, features.get(0).features());
        AtomicFiles.writeString(folder.resolve("features.json"), new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(d));
    }

    /** The baseline's trainer, or null when the run has none (or the model is the baseline). */
    private ModelTrainer baselineTrainer(Pipeline p) {
        String id = p.generate().get(Pipeline.BASELINE_TRAINER);
        if (!p.generate().get(Pipeline.BASELINE) || p.trainer().stage().id().equals(id)) {
            return null;
        }
        return stages.get(StageFamily.TRAINER, id);
    }

    private ObjectNode manifest(Pipeline p, Map<String, Long> seeds, Map<String, String> checksums, Instant started) {
        ObjectNode m = new ObjectMapper().createObjectNode();
        m.put("format", "slowdyn-run-manifest v1");
        m.put("started", started.toString());
        m.put("finished", Instant.now().toString());
        ObjectNode versions = m.putObject("versions");
        stages.environment().forEach(versions::put);
        versions.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        ObjectNode s = m.putObject("seeds");
        seeds.forEach(s::put);
        ObjectNode c = m.putObject("inputChecksumsSha256");
        checksums.forEach(c::put);
        m.set("pipeline", p.toJson());
        ObjectNode providers = m.putObject("stageProviders");
        p.allStages().forEach((path, stage) -> {
            StageProvider provider = stages.provider(stage.stage());
            ObjectNode n = providers.putObject(path);
            n.put("id", stage.id());
            n.put("bundle", provider == null ? "unregistered" : provider.name());
            n.put("version", provider == null ? "" : provider.version());
        });
        return m;
    }

    static double elapsed(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
