package org.slowdyn.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.ExpectedPopulations;
import org.slowdyn.core.FileDigest;
import org.slowdyn.core.FilterContext;
import org.slowdyn.core.FilterResult;
import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.Featurizer;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.ModelTrainer;
import org.slowdyn.core.RecrossingFilter;
import org.slowdyn.core.StatePartition;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.data.TrajectoryInput;
import org.slowdyn.core.settings.NestedStage;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.simulate.LangevinSimulator;

/**
 * The steps of a pipeline, each usable on its own: input, featurize, stride, partition, filter, train, generate.
 * {@link PipelineRunner} (one run), the {@code generate} command and {@link StudyRunner} (many cells that share
 * their first steps) are compositions of them. The comparison of the kinetics is
 * {@link org.slowdyn.kinetics.KineticsComparison}; the run folder is {@link RunFolder}.
 */
public final class PipelineSteps {
    private PipelineSteps() {
    }

    /**
     * Trajectories as a pipeline names them, where they came from, and what the input itself knows of the answer.
     *
     * @param checksums SHA-256 of every input file, by path
     */
    public record Input(TrajectoryInput trajectories, String description, Map<String, String> checksums,
            ExpectedPopulations expected) {
    }

    /** Reads (or, for the built-in system, simulates) the input of a pipeline, with the checksums of its files. */
    public static Input input(Pipeline p, long seed, IProgressMonitor monitor) throws IOException {
        return input(p, seed, true, monitor);
    }

    /** @param checksums whether to compute the SHA-256 of every input file (for a manifest) */
    public static Input input(Pipeline p, long seed, boolean checksums, IProgressMonitor monitor)
            throws IOException {
        if (p.simulation() != null) {
            LangevinSimulator simulator = LangevinSimulator.fourWell();
            List<FeatureSeries> coordinates = simulator.simulate(p.simulation(), seed, monitor);
            return new Input(TrajectoryInput.ofSeries(coordinates), "built-in Langevin simulation of Tsai's "
                    + "four-state potential: " + p.simulation().toJson(), Map.of(),
                    simulator.expectedPopulations(p.simulation()));
        }
        Map<String, String> digests = new LinkedHashMap<>();
        SubMonitor progress = SubMonitor.convert(monitor, "Checking input files", p.files().size() + 1);
        for (Path f : checksums ? p.files() : List.<Path>of()) {
            digests.put(f.toString(), FileDigest.sha256(f));
            progress.worked(1);
        }
        if (checksums && p.topology() != null) {
            digests.put(p.topology().toString(), FileDigest.sha256(p.topology()));
        }
        return new Input(p.dtrajs() != null ? null : TrajectoryInput.ofFiles(p.files(), p.topology()),
                p.files().size() + (p.dtrajs() != null ? " dtrajs file(s), frame interval " + p.dtrajs().get(
                        Pipeline.DTRAJ_INTERVAL) + " " + p.dtrajs().get(Pipeline.DTRAJ_UNIT) + ": " : " file(s): ")
                        + p.files(), digests, ExpectedPopulations.NONE);
    }

    /**
     * The states of a dtrajs input, as the assignment of a partition that has exactly these states (labelled 0, 1,
     * ...; it cannot assign features).
     */
    public static Partitioned dtrajs(Pipeline p) {
        Settings d = p.dtrajs();
        List<StateSequence> states = org.slowdyn.io.StateSequenceFiles.readDtrajs(p.files(),
                d.get(Pipeline.DTRAJ_INTERVAL), d.get(Pipeline.DTRAJ_UNIT), d.get(Pipeline.DTRAJ_STATES));
        int n = states.get(0).numberOfStates();
        FittedPartition given = new FittedPartition() {
            @Override
            public String partitionId() {
                return "input.dtrajs";
            }

            @Override
            public int numberOfStates() {
                return n;
            }

            @Override
            public List<String> stateLabels() {
                List<String> labels = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    labels.add(Integer.toString(i));
                }
                return labels;
            }

            @Override
            public StateSequence assign(FeatureSeries series) {
                throw new ConfigurationException("the states of input.dtrajs are given: there is no partition to "
                        + "assign features with");
            }

            @Override
            public com.fasterxml.jackson.databind.node.ObjectNode toJson() {
                com.fasterxml.jackson.databind.node.ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory
                        .instance.objectNode();
                o.put("partition", "input.dtrajs");
                o.put("numberOfStates", n);
                return o;
            }
        };
        return new Partitioned(given, List.of(), states);
    }

    public static List<FeatureSeries> featurize(NestedStage<Featurizer> featurizer, TrajectoryInput input,
            IProgressMonitor monitor) {
        return featurizer.stage().featurize(input, featurizer.settings(), monitor);
    }

    /** Every {@code stride}-th frame of each trajectory, from its first frame. */
    public static List<FeatureSeries> stride(List<FeatureSeries> features, int stride) {
        if (stride == 1) {
            return features;
        }
        List<FeatureSeries> strided = new ArrayList<>(features.size());
        for (FeatureSeries f : features) {
            strided.add(f.stride(stride, 0));
        }
        return strided;
    }

    /** A partition fitted on trajectories, and their states. */
    public record Partitioned(FittedPartition partition, List<FeatureSeries> features, List<StateSequence> states) {
    }

    /** Fits the partition on the features and assigns them. */
    public static Partitioned partition(NestedStage<StatePartition> partition, List<FeatureSeries> features,
            IProgressMonitor monitor) {
        FittedPartition fitted = partition.stage().fit(features, partition.settings(), monitor);
        return new Partitioned(fitted, features, assign(fitted, features));
    }

    /** Assigns trajectories (held-out ones, say) to an already fitted partition. */
    public static Partitioned assign(Partitioned fitted, List<FeatureSeries> features) {
        return new Partitioned(fitted.partition(), features, assign(fitted.partition(), features));
    }

    private static List<StateSequence> assign(FittedPartition p, List<FeatureSeries> features) {
        List<StateSequence> states = new ArrayList<>(features.size());
        for (FeatureSeries f : features) {
            states.add(p.assign(f));
        }
        return states;
    }

    public static FilterResult filter(NestedStage<RecrossingFilter> filter, Partitioned partitioned,
            IProgressMonitor monitor) {
        return filter.stage().filter(new FilterContext(partitioned.states(), partitioned.features(),
                partitioned.partition()), filter.settings(), monitor);
    }

    /** The labels of the states after filtering: the filter's own (cores) or the partition's. */
    public static List<String> stateLabels(FilterResult filtered, FittedPartition partition) {
        return filtered.stateLabels().orElse(partition.stateLabels());
    }

    public static KineticModel train(NestedStage<ModelTrainer> trainer, List<StateSequence> states, long seed,
            Path checkpoints, IProgressMonitor monitor) throws IOException {
        return checkpoints == null ? trainer.stage().train(states, trainer.settings(), seed, monitor)
                : trainer.stage().train(states, trainer.settings(), seed, checkpoints, monitor);
    }

    /**
     * Generated trajectories, one per template trajectory long enough to give the prefix, spanning the template's
     * time and seeded with its first frames (in model steps).
     *
     * @param templates the trajectories whose lengths and prefixes the generated ones take
     * @param used      the templates that were long enough, in order
     * @param step      reference frames per generated frame
     */
    public record Generation(List<StateSequence> generated, List<StateSequence> used, int step) {
    }

    public static Generation generate(KineticModel model, List<StateSequence> templates, int prefixFrames,
            long seed, double temperature, IProgressMonitor monitor) {
        return generate(model, templates, prefixFrames, 1, seed, temperature, monitor);
    }

    /**
     * As {@link #generate(KineticModel, List, int, long, double, IProgressMonitor)}, with {@code copies} generated
     * trajectories per template (all of a template's copies start from its prefix; {@code used} lists the templates
     * once).
     */
    public static Generation generate(KineticModel model, List<StateSequence> templates, int prefixFrames,
            int copies, long seed, double temperature, IProgressMonitor monitor) {
        int step = modelStep(model, templates.get(0));
        List<int[]> prefixes = new ArrayList<>();
        List<StateSequence> used = new ArrayList<>();
        for (StateSequence s : templates) {
            if (s.length() >= (long) (prefixFrames - 1) * step + 1) {
                int[] prefix = new int[prefixFrames];
                for (int i = 0; i < prefixFrames; i++) {
                    prefix[i] = s.state(i * step);
                }
                prefixes.add(prefix);
                used.add(s);
            }
        }
        if (prefixes.isEmpty()) {
            throw new ConfigurationException("generate.prefixFrames = " + prefixFrames + " model steps of " + step
                    + " frames is longer than every reference trajectory");
        }
        SubMonitor generation = SubMonitor.convert(monitor, "Generating", used.size() * copies);
        Map<Integer, List<Integer>> byLength = new LinkedHashMap<>();
        for (int c = 0; c < copies; c++) {
            for (int i = 0; i < used.size(); i++) {
                int length = Math.max(prefixFrames, (used.get(i).length() + step - 1) / step);
                byLength.computeIfAbsent(length, k -> new ArrayList<>()).add(c * used.size() + i);
            }
        }
        StateSequence[] out = new StateSequence[used.size() * copies];
        SplittableRandom groupSeeds = new SplittableRandom(seed);
        for (Map.Entry<Integer, List<Integer>> group : byLength.entrySet()) {
            List<int[]> groupPrefixes = new ArrayList<>();
            for (int i : group.getValue()) {
                groupPrefixes.add(prefixes.get(i % used.size()));
            }
            List<StateSequence> g = model.generate(groupPrefixes, group.getKey(), groupSeeds.nextLong(), temperature,
                    generation.split(group.getValue().size()));
            for (int k = 0; k < g.size(); k++) {
                out[group.getValue().get(k)] = g.get(k);
            }
        }
        return new Generation(new ArrayList<>(Arrays.asList(out)), used, step);
    }

    /**
     * Generation as a pipeline's {@code generate} block asks for it: {@link #generate(KineticModel, List, int, int,
     * long, double, IProgressMonitor)} by default, {@link #generateSeeded} when {@code generate.trajectories} is set.
     *
     * @param prefixFrames the seed length to use in the default protocol (the baseline takes 1 there)
     */
    public static Generation generate(KineticModel model, List<StateSequence> references, Settings generate,
            int prefixFrames, long seed, IProgressMonitor monitor) {
        double temperature = generate.get(Pipeline.TEMPERATURE);
        int trajectories = generate.get(Pipeline.TRAJECTORIES);
        return trajectories > 0
                ? generateSeeded(model, references, trajectories, generate.get(Pipeline.FRAMES),
                        generate.get(Pipeline.PREFIX_FRAMES), seed, temperature, monitor)
                : generate(model, references, prefixFrames, generate.get(Pipeline.COPIES), seed, temperature,
                        monitor);
    }

    /**
     * Zeng et al.'s protocol: {@code trajectories} generated trajectories of {@code frames} frames each, every one
     * seeded with a window of {@code seedFrames} real frames (in model steps). The windows are shared out over the
     * reference trajectories at least one window long, as evenly as their number allows (the first ones get one
     * more), and spread evenly over each trajectory from its start to its end: they do not overlap unless a
     * trajectory is too short to hold its windows side by side. The generated trajectories follow the references'
     * order, and a trajectory's windows their order in time. The seed windows are real data and are not part of
     * the returned trajectories (which are the {@code frames} frames generated after them); {@code used} is every
     * reference trajectory.
     */
    public static Generation generateSeeded(KineticModel model, List<StateSequence> references, int trajectories,
            int frames, int seedFrames, long seed, double temperature, IProgressMonitor monitor) {
        int step = modelStep(model, references.get(0));
        long span = (long) (seedFrames - 1) * step + 1;
        List<StateSequence> long_ = references.stream().filter(s -> s.length() >= span).toList();
        if (long_.isEmpty()) {
            throw new ConfigurationException("generate.prefixFrames = " + seedFrames + " frames at the model's "
                    + "saving interval span " + span + " reference frames, more than every reference trajectory");
        }
        if ((long) seedFrames + frames > Integer.MAX_VALUE) {
            throw new ConfigurationException("generate.prefixFrames + generate.frames = " + ((long) seedFrames
                    + frames) + " frames is more than one generated trajectory can hold");
        }
        List<int[]> prefixes = new ArrayList<>();
        for (int i = 0; i < long_.size(); i++) {
            StateSequence s = long_.get(i);
            int windows = trajectories / long_.size() + (i < trajectories % long_.size() ? 1 : 0);
            for (int w = 0; w < windows; w++) {
                long first = windows == 1 ? 0 : Math.round((double) w * (s.length() - span) / (windows - 1));
                int[] prefix = new int[seedFrames];
                for (int k = 0; k < seedFrames; k++) {
                    prefix[k] = s.state((int) (first + (long) k * step));
                }
                prefixes.add(prefix);
            }
        }
        List<StateSequence> generated = new ArrayList<>();
        for (StateSequence g : model.generate(prefixes, seedFrames + frames, seed, temperature, monitor)) {
            generated.add(g.slice(seedFrames, seedFrames + frames));
        }
        return new Generation(generated, references, step);
    }

    /**
     * Refuses generation settings whose seed no reference trajectory holds, for a model at the references' own
     * frame interval (one that is trained on them), before any training.
     */
    public static void checkSeeds(List<StateSequence> references, Settings generate) {
        int seed = generate.get(Pipeline.PREFIX_FRAMES);
        int longest = references.stream().mapToInt(StateSequence::length).max().orElse(0);
        if (seed > longest) {
            throw new ConfigurationException("generate.prefixFrames = " + seed + " frames is longer than every "
                    + "reference trajectory (the longest has " + longest + " frames)");
        }
    }

    /** Frames of the reference per generated step (the model's frame interval over the data's). */
    public static int modelStep(KineticModel model, StateSequence reference) {
        double ratio = model.frameInterval() / reference.frameInterval();
        int step = (int) Math.round(ratio);
        if (step < 1 || Math.abs(ratio - step) > 1e-9 * ratio) {
            throw new ConfigurationException("the model's frame interval " + model.frameInterval() + " "
                    + model.timeUnit() + " is not a whole multiple of the data's " + reference.frameInterval());
        }
        return step;
    }

    /** The seeds of every random step, derived in a fixed order from the master seed. */
    public static Map<String, Long> derivedSeeds(long master) {
        SplittableRandom r = new SplittableRandom(master);
        Map<String, Long> seeds = new LinkedHashMap<>();
        seeds.put("master", master);
        for (String step : List.of("simulation", "training", "generation", "bootstrap")) {
            seeds.put(step, r.nextLong());
        }
        return seeds;
    }

    /** The comparison settings of a pipeline's {@code kinetics} block. */
    public static org.slowdyn.kinetics.ComparisonOptions comparisonOptions(Settings k) {
        return new org.slowdyn.kinetics.ComparisonOptions(k.get(Pipeline.BOOTSTRAP), k.get(Pipeline.MAX_MFPT_STATES),
                k.get(Pipeline.LAGS).stream().mapToInt(Integer::intValue).toArray(), k.get(Pipeline.TIMESCALES),
                k.get(Pipeline.MSM_LAG), k.get(Pipeline.REVERSIBLE), k.get(Pipeline.MSM_BOOTSTRAP),
                k.get(Pipeline.COMMIT_TIMES).stream().mapToInt(Integer::intValue).toArray(),
                k.get(Pipeline.CK_MULTIPLES).stream().mapToInt(Integer::intValue).toArray());
    }
}
