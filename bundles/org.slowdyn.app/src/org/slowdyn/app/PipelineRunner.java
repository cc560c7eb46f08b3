package org.slowdyn.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.AtomicFiles;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.FileDigest;
import org.slowdyn.core.FilterContext;
import org.slowdyn.core.FilterResult;
import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.StageFamily;
import org.slowdyn.core.StageProvider;
import org.slowdyn.core.StageRegistry;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.data.TrajectoryInput;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.io.StateSequenceFiles;
import org.slowdyn.kinetics.CommitTimeCounts;
import org.slowdyn.kinetics.KineticsSummary;
import org.slowdyn.simulate.BoltzmannGrid;
import org.slowdyn.simulate.FourWellPotential;
import org.slowdyn.simulate.LangevinSimulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runs a {@link Pipeline}: input, featurizer, stride, state partition, recrossing filter, model trainer, generation
 * of one trajectory per reference trajectory (same length, seeded with its first frames), and the comparison of
 * reference and generated kinetics. Writes the run folder: {@code report.json}, {@code report.md},
 * {@code manifest.json}, {@code partition.json}, {@code model/}, {@code reference-states.txt.gz} and
 * {@code generated-states.txt.gz}. The folder is assembled under a temporary name and renamed when complete.
 */
public final class PipelineRunner {
    private final StageRegistry stages;

    public PipelineRunner(StageRegistry stages) {
        this.stages = stages;
    }

    public StageRegistry stages() {
        return stages;
    }

    /**
     * @param runFolder the folder to create; it must not exist yet (it is claimed before any work)
     */
    public RunResult run(Pipeline p, Path runFolder, IProgressMonitor monitor) throws IOException {
        return runClaimed(p, claim(runFolder, false), monitor);
    }

    /**
     * Claims a run folder atomically by creating it empty, so that two runs can never pick the same one. With
     * {@code unique}, a taken name gets a suffix {@code -2}, {@code -3}, ...; otherwise a taken name is an error.
     *
     * @return the folder claimed
     * @throws ConfigurationException when the folder exists and {@code unique} is false
     */
    public static Path claim(Path runFolder, boolean unique) throws IOException {
        Path parent = runFolder.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        for (int n = 1;; n++) {
            Path candidate = n == 1 ? runFolder : runFolder.resolveSibling(runFolder.getFileName() + "-" + n);
            try {
                return Files.createDirectory(candidate);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (!unique) {
                    throw new ConfigurationException(runFolder
                            + ": the run folder exists already; choose another with --out");
                }
            }
        }
    }

    /**
     * Runs into a folder claimed by {@link #claim}: the results are assembled under a temporary name beside it and
     * renamed onto it when complete. On failure the claimed folder is removed again (a partial folder with training
     * checkpoints stays, for {@code resumeFrom}).
     */
    public RunResult runClaimed(Pipeline p, Path runFolder, IProgressMonitor monitor) throws IOException {
        try {
            return execute(p, runFolder, monitor);
        } catch (Throwable t) {
            try {
                Files.deleteIfExists(runFolder); // empty unless the final rename happened
            } catch (IOException e) {
                t.addSuppressed(e);
            }
            throw t;
        }
    }

    private RunResult execute(Pipeline p, Path runFolder, IProgressMonitor monitor) throws IOException {
        Instant started = Instant.now();
        SubMonitor progress = SubMonitor.convert(monitor, "Running " + p.name(), 100);
        Map<String, Double> seconds = new LinkedHashMap<>();
        Map<String, Long> seeds = derivedSeeds(p.seed());

        long t0 = System.nanoTime();
        TrajectoryInput input;
        String inputDescription;
        Map<String, String> checksums = new LinkedHashMap<>();
        progress.subTask("input");
        if (p.simulation() != null) {
            List<FeatureSeries> coordinates = LangevinSimulator.fourWell().simulate(p.simulation(),
                    seeds.get("simulation"), progress.split(55));
            input = TrajectoryInput.ofSeries(coordinates);
            inputDescription = "built-in Langevin simulation of Tsai's four-state potential: "
                    + p.simulation().toJson();
        } else {
            for (Path f : p.files()) {
                checksums.put(f.toString(), FileDigest.sha256(f));
            }
            if (p.topology() != null) {
                checksums.put(p.topology().toString(), FileDigest.sha256(p.topology()));
            }
            input = TrajectoryInput.ofFiles(p.files(), p.topology());
            inputDescription = p.files().size() + " file(s): " + p.files();
            progress.split(5);
        }
        seconds.put("input", elapsed(t0));

        t0 = System.nanoTime();
        progress.subTask("featurizer " + p.featurizer().stage().id());
        List<FeatureSeries> features = p.featurizer().stage().featurize(input, p.featurizer().settings(),
                progress.split(5));
        if (p.stride() > 1) {
            List<FeatureSeries> strided = new ArrayList<>(features.size());
            for (FeatureSeries f : features) {
                strided.add(f.stride(p.stride(), 0));
            }
            features = strided;
        }
        seconds.put("featurize", elapsed(t0));

        t0 = System.nanoTime();
        progress.subTask("partition " + p.partition().stage().id());
        FittedPartition partition = p.partition().stage().fit(features, p.partition().settings(), progress.split(5));
        List<StateSequence> states = new ArrayList<>(features.size());
        for (FeatureSeries f : features) {
            states.add(partition.assign(f));
        }
        double[] boltzmann = null;
        if (p.simulation() != null) {
            List<String> labels = features.get(0).labels();
            if (labels.stream().allMatch(l -> l.equals("x") || l.equals("y"))) {
                boltzmann = new BoltzmannGrid(new FourWellPotential(), p.simulation().get(LangevinSimulator.BETA),
                        4.0, 801).populations(partition, labels);
            }
        }
        seconds.put("partition", elapsed(t0));

        t0 = System.nanoTime();
        progress.subTask("recrossing filter " + p.filter().stage().id());
        FilterResult filtered = p.filter().stage().filter(new FilterContext(states, features, partition),
                p.filter().settings(), progress.split(5));
        List<StateSequence> reference = filtered.sequences();
        List<String> stateLabels = filtered.stateLabels().orElse(partition.stateLabels());
        if (filtered.stateLabels().isPresent()) {
            boltzmann = null; // the filter defined its own states (cores): the grid populations are of other states
        }
        seconds.put("filter", elapsed(t0));

        // the run folder is assembled under a temporary name; trainers keep checkpoints in it while they train
        Path parent = runFolder.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path partial = Files.createTempDirectory(parent, "." + runFolder.getFileName() + ".partial-");

        t0 = System.nanoTime();
        progress.subTask("training " + p.trainer().stage().id());
        KineticModel model = p.trainer().stage().train(reference, p.trainer().settings(), seeds.get("training"),
                partial.resolve("training"), progress.split(10));
        seconds.put("train", elapsed(t0));

        t0 = System.nanoTime();
        progress.subTask("generating");
        int step = modelStep(model, reference.get(0));
        int prefixFrames = p.generate().get(Pipeline.PREFIX_FRAMES);
        List<int[]> prefixes = new ArrayList<>();
        List<StateSequence> usable = new ArrayList<>();
        for (StateSequence s : reference) {
            if (s.length() >= (long) (prefixFrames - 1) * step + 1) {
                int[] prefix = new int[prefixFrames];
                for (int i = 0; i < prefixFrames; i++) {
                    prefix[i] = s.state(i * step);
                }
                prefixes.add(prefix);
                usable.add(s);
            }
        }
        if (prefixes.isEmpty()) {
            throw new ConfigurationException("generate.prefixFrames = " + prefixFrames + " model steps of " + step
                    + " frames is longer than every reference trajectory");
        }
        List<StateSequence> generated = generate(model, usable, prefixes, step, prefixFrames,
                seeds.get("generation"), p.generate().get(Pipeline.TEMPERATURE), progress.split(5));
        seconds.put("generate", elapsed(t0));

        KineticModel baselineModel = null;
        List<StateSequence> baselineGenerated = null;
        SubMonitor baselineProgress = progress.split(5);
        if (p.generate().get(Pipeline.BASELINE) && !p.trainer().stage().id().equals(BASELINE_TRAINER)
                && stages.ids(StageFamily.TRAINER).contains(BASELINE_TRAINER)) {
            t0 = System.nanoTime();
            progress.subTask("Markov baseline");
            org.slowdyn.core.ModelTrainer baseline = stages.get(StageFamily.TRAINER, BASELINE_TRAINER);
            baselineModel = baseline.train(reference, baseline.settingsSchema().defaults(), seeds.get("training"),
                    baselineProgress.split(1));
            int baselineStep = modelStep(baselineModel, reference.get(0));
            List<int[]> baselinePrefixes = new ArrayList<>();
            for (int[] prefix : prefixes) {
                baselinePrefixes.add(new int[] { prefix[0] });
            }
            baselineGenerated = generate(baselineModel, usable, baselinePrefixes, baselineStep, 1,
                    seeds.get("generation") + 1, p.generate().get(Pipeline.TEMPERATURE), baselineProgress.split(1));
            seconds.put("baseline", elapsed(t0));
        }

        t0 = System.nanoTime();
        progress.subTask("kinetics");
        Settings k = p.kinetics();
        int bootstrap = k.get(Pipeline.BOOTSTRAP);
        KineticsSummary ref = KineticsSummary.of(usable, bootstrap, seeds.get("bootstrap"));
        KineticsSummary gen = KineticsSummary.of(generated, bootstrap, seeds.get("bootstrap") + 1);
        KineticsSummary base = baselineGenerated == null ? null
                : KineticsSummary.of(baselineGenerated, bootstrap, seeds.get("bootstrap") + 4);
        SubMonitor markov = progress.split(10).setWorkRemaining(2);
        MarkovAnalysis refMarkov = MarkovAnalysis.of(usable, 1, k, seeds.get("bootstrap") + 2, markov.split(1));
        MarkovAnalysis genMarkov = MarkovAnalysis.of(generated, step, k, seeds.get("bootstrap") + 3, markov.split(1));
        List<Integer> commitTimes = k.get(Pipeline.COMMIT_TIMES);
        long[] refCommitted = committed(usable, commitTimes, 1);
        long[] genCommitted = committed(generated, commitTimes, step);
        seconds.put("kinetics", elapsed(t0));

        RunResult result = new RunResult(p, seeds, stateLabels, partition.notes(), boltzmann, filtered,
                ref, gen, refCommitted, genCommitted, refMarkov, genMarkov, seconds, inputDescription);
        result.baseline = base;
        result.baselineStep = baselineModel == null ? 1 : modelStep(baselineModel, reference.get(0));
        result.trainingLog = model.trainingLog().orElse(null);

        t0 = System.nanoTime();
        ObjectMapper mapper = new ObjectMapper();
        StateSequenceFiles.write(partial.resolve("reference-states.txt.gz"), usable);
        StateSequenceFiles.write(partial.resolve("generated-states.txt.gz"), generated);
        model.save(partial.resolve("model"));
        if (baselineGenerated != null) {
            StateSequenceFiles.write(partial.resolve("baseline-states.txt.gz"), baselineGenerated);
        }
        AtomicFiles.writeString(partial.resolve("partition.json"),
                mapper.writerWithDefaultPrettyPrinter().writeValueAsString(partition.toJson()));
        seconds.put("write", elapsed(t0));
        ReportWriter.write(result, partial);
        ObjectNode manifest = manifest(p, seeds, checksums, started);
        AtomicFiles.writeString(partial.resolve("manifest.json"),
                mapper.writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
        try {
            Files.setPosixFilePermissions(partial,
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        // replaces the empty claimed folder in one rename (POSIX rename onto an empty directory)
        Files.move(partial, runFolder, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        progress.done();
        return result;
    }

    /** The trainer whose model is the baseline every other trainer is compared with. */
    static final String BASELINE_TRAINER = "train.markov";

    /**
     * One generated trajectory per usable reference trajectory, spanning its time, seeded with its prefix; equal
     * lengths are generated together.
     */
    private static List<StateSequence> generate(KineticModel model, List<StateSequence> usable, List<int[]> prefixes,
            int step, int prefixFrames, long seed, double temperature, IProgressMonitor monitor) {
        SubMonitor generation = SubMonitor.convert(monitor, usable.size());
        Map<Integer, List<Integer>> byLength = new LinkedHashMap<>();
        for (int i = 0; i < usable.size(); i++) {
            int length = Math.max(prefixFrames, (usable.get(i).length() + step - 1) / step);
            byLength.computeIfAbsent(length, k -> new ArrayList<>()).add(i);
        }
        StateSequence[] out = new StateSequence[usable.size()];
        SplittableRandom generationSeeds = new SplittableRandom(seed);
        for (Map.Entry<Integer, List<Integer>> group : byLength.entrySet()) {
            List<int[]> groupPrefixes = new ArrayList<>();
            for (int i : group.getValue()) {
                groupPrefixes.add(prefixes.get(i));
            }
            List<StateSequence> g = model.generate(groupPrefixes, group.getKey(), generationSeeds.nextLong(),
                    temperature, generation.split(group.getValue().size()));
            for (int k = 0; k < g.size(); k++) {
                out[group.getValue().get(k)] = g.get(k);
            }
        }
        return new ArrayList<>(java.util.Arrays.asList(out));
    }

    /**
     * Committed transitions at each commit time (frames of the reference) of sequences whose frames are {@code step}
     * reference frames apart; -1 where a commit time is not a multiple of the step.
     */
    static long[] committed(List<StateSequence> sequences, List<Integer> commitTimes, int step) {
        long[] totals = new long[commitTimes.size()];
        for (int x = 0; x < totals.length; x++) {
            int t = commitTimes.get(x);
            totals[x] = t % step != 0 ? -1 : CommitTimeCounts.totals(sequences, new int[] { t / step })[0];
        }
        return totals;
    }

    /** Frames of the reference per generated step (the model's frame interval over the data's). */
    static int modelStep(KineticModel model, StateSequence reference) {
        double ratio = model.frameInterval() / reference.frameInterval();
        int step = (int) Math.round(ratio);
        if (step < 1 || Math.abs(ratio - step) > 1e-9 * ratio) {
            throw new ConfigurationException("the model's frame interval " + model.frameInterval() + " "
                    + model.timeUnit() + " is not a whole multiple of the data's " + reference.frameInterval());
        }
        return step;
    }

    /** The seeds of every random step, derived in a fixed order from the master seed. */
    static Map<String, Long> derivedSeeds(long master) {
        SplittableRandom r = new SplittableRandom(master);
        Map<String, Long> seeds = new LinkedHashMap<>();
        seeds.put("master", master);
        for (String step : List.of("simulation", "training", "generation", "bootstrap")) {
            seeds.put(step, r.nextLong());
        }
        return seeds;
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

    private static double elapsed(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
