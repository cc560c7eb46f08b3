package org.slowdyn.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.Featurizer;
import org.slowdyn.core.ModelTrainer;
import org.slowdyn.core.RecrossingFilter;
import org.slowdyn.core.Stage;
import org.slowdyn.core.StageFamily;
import org.slowdyn.core.StageRegistry;
import org.slowdyn.core.StatePartition;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.NestedStage;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;
import org.slowdyn.simulate.LangevinSimulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A study as read from a pipeline file: where the trajectories come from, the stride, the four stages by id with
 * their settings, and how to generate and compare. Immutable and validated: every id is installed and every setting
 * in range. {@link #toJson()} writes every value, defaults included, so a run manifest reproduces the study.
 */
public final class Pipeline {
    public static final Setting<String> NAME = Setting.text("name", "study", "name of the study, used for the run folder");
    public static final Setting<Long> SEED = Setting.longInteger("seed", 1L, Long.MIN_VALUE, Long.MAX_VALUE, "",
            "master seed: every random choice of the run derives from it");
    public static final Setting<Integer> STRIDE = Setting.integer("stride", 1, 1, 1_000_000, "frames",
            "temporal resolution: keep every stride-th frame (the frame interval grows by the stride); each phase "
                    + "offset is not used: trajectories start at their first frame");
    static final SettingsSchema TOP = SettingsSchema.of(Pipeline::checkName, NAME, SEED, STRIDE);

    /** A run folder is named after the study: the name must stay a plain file name inside the runs folder. */
    private static void checkName(Settings s) {
        String name = s.get(NAME);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new InvalidSettingException(NAME.name(), "setting 'name' = \"" + name
                    + "\" is not allowed: expected 1 to 100 letters, digits, '.', '_' or '-', starting with a letter "
                    + "or digit (it names the run folder)");
        }
    }

    public static final Setting<Integer> PREFIX_FRAMES = Setting.integer("prefixFrames", 1, 1, Integer.MAX_VALUE,
            "frames", "frames of each reference trajectory that seed the generated trajectory of the same length");
    public static final Setting<Double> TEMPERATURE = Setting.real("temperature", 1.0, 1e-3, 1e3, "",
            "sampling temperature; 1 samples the model's own probabilities");
    public static final Setting<Boolean> BASELINE = Setting.bool("baseline", true,
            "when the trainer is not the baseline trainer, also train the baseline (generate.baselineTrainer) on the "
                    + "same data, generate as many frames with it and compare model, baseline and reference in the "
                    + "report");
    public static final Setting<String> BASELINE_TRAINER = Setting.text("baselineTrainer", "train.markov",
            "the trainer of the baseline (with its default settings) when generate.baseline is true");
    public static final Setting<Integer> COPIES = Setting.integer("copies", 1, 1, 100_000, "trajectories",
            "generated trajectories per reference trajectory (each as long, seeded with its prefix, with its own "
                    + "random stream); more copies make the generated side's statistics tighter");
    public static final Setting<Integer> TRAJECTORIES = Setting.integer("trajectories", 0, 0, 1_000_000,
            "trajectories", "0: one generated trajectory per reference trajectory (times copies), as long as it and "
                    + "seeded with its first prefixFrames frames; N > 0: N trajectories of generate.frames frames each "
                    + "(Zeng et al.'s protocol: 100 of 1e5 frames, each seeded with 5,000 real frames), each seeded "
                    + "with a window of prefixFrames frames of the reference, the windows shared out evenly over the "
                    + "reference trajectories and spread evenly over each; the seed windows are not compared");
    public static final Setting<Integer> FRAMES = Setting.integer("frames", 0, 0, Integer.MAX_VALUE, "frames",
            "frames generated after the seed per trajectory when generate.trajectories > 0 (at the model's saving "
                    + "interval)");
    static final SettingsSchema GENERATE = SettingsSchema.of(Pipeline::checkGenerate, PREFIX_FRAMES, TEMPERATURE,
            COPIES, TRAJECTORIES, FRAMES, BASELINE, BASELINE_TRAINER);

    /** The seeded protocol takes its own counts: it needs a length and has no copies. */
    private static void checkGenerate(Settings s) {
        if (s.get(TRAJECTORIES) > 0 && s.get(FRAMES) == 0) {
            throw new InvalidSettingException(FRAMES.name(), "generate.trajectories = " + s.get(TRAJECTORIES)
                    + " needs generate.frames, the frames to generate after each seed window");
        }
        if (s.get(TRAJECTORIES) == 0 && s.get(FRAMES) > 0) {
            throw new InvalidSettingException(FRAMES.name(), "generate.frames = " + s.get(FRAMES) + " needs "
                    + "generate.trajectories > 0 (without it every generated trajectory is as long as its reference "
                    + "trajectory)");
        }
        if (s.get(TRAJECTORIES) > 0 && s.get(COPIES) != 1) {
            throw new InvalidSettingException(COPIES.name(), "generate.copies = " + s.get(COPIES) + " cannot be "
                    + "combined with generate.trajectories (which gives the number of generated trajectories itself)");
        }
    }

    public static final Setting<Integer> BOOTSTRAP = Setting.integer("bootstrap", 200, 0, 100_000, "resamples",
            "bootstrap resamples (over trajectories, or blocks if there are fewer than 10) for standard errors");
    public static final Setting<Integer> MAX_MFPT_STATES = Setting.integer("maxMfptStates", 12, 0, 1000, "states",
            "direct MFPTs between every pair of states are reported when there are at most this many states");
    public static final Setting<List<Integer>> LAGS = Setting.integerList("lags",
            List.of(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000), 1, 1, 100_000_000, "frames",
            "lag times for implied timescales (in frames of the reference; generated trajectories use the lags that "
                    + "are multiples of their step)");
    public static final Setting<Integer> TIMESCALES = Setting.integer("timescales", 3, 1, 100, "",
            "implied timescales reported per lag (the slowest first)");
    public static final Setting<Integer> MSM_LAG = Setting.integer("msmLag", 1, 1, 100_000_000, "frames",
            "lag of the Markov models whose MFPTs are reported next to the direct ones");
    public static final Setting<Boolean> REVERSIBLE = Setting.bool("reversible", true,
            "estimate the analysis Markov models (timescales, MSM MFPTs) with detailed balance");
    public static final Setting<Integer> MSM_BOOTSTRAP = Setting.integer("msmBootstrap", 50, 0, 100_000, "resamples",
            "bootstrap resamples for the errors of implied timescales and MSM MFPTs");
    public static final Setting<List<Integer>> COMMIT_TIMES = Setting.integerList("commitTimes",
            List.of(1, 2, 5, 10, 20, 50, 100), 1, 1, 100_000_000, "frames",
            "commit times for counting transitions between stays of at least that many frames (frames of the "
                    + "reference)");
    public static final Setting<List<Integer>> CK_MULTIPLES = Setting.integerList("ckMultiples", List.of(), 0, 1,
            1_000_000, "", "multiples k of msmLag at which the Chapman-Kolmogorov test compares T(msmLag)^k with a "
                    + "model at k msmLag; empty: chosen up to three times the reference's slowest implied timescale "
                    + "(at most half the longest trajectory), so that a non-Markovian model fails it");
    static final SettingsSchema KINETICS = SettingsSchema.of(BOOTSTRAP, MAX_MFPT_STATES, LAGS, TIMESCALES, MSM_LAG,
            REVERSIBLE, MSM_BOOTSTRAP, COMMIT_TIMES, CK_MULTIPLES);

    static final Setting<List<String>> FILES = Setting.textList("files", null, 1,
            "trajectory or table files, each one trajectory; relative paths are relative to the pipeline file");
    static final Setting<String> TOPOLOGY = Setting.text("topology", null, "topology file (PDB, GRO), if needed");
    static final Setting<List<String>> DTRAJS = Setting.textList("dtrajs", null, 1,
            "discrete trajectories (the dtrajs of PyEMMA and deeptime): .npy files (one trajectory, or one per row) "
                    + "and .npz files (one per array), states 0, 1, ...; relative paths are relative to the pipeline "
                    + "file");
    static final Setting<Double> DTRAJ_INTERVAL = Setting.real("frameInterval", 0.0, 0.0, 1e300, "time unit",
            "time between consecutive frames of the dtrajs (required: NumPy files do not carry it)");
    static final Setting<String> DTRAJ_UNIT = Setting.text("timeUnit", "ps", "unit of the frame interval");
    static final Setting<Integer> DTRAJ_STATES = Setting.integer("numberOfStates", 0, 0, 1_000_000, "states",
            "the number of states; 0: the largest state found + 1");
    static final SettingsSchema DTRAJ = SettingsSchema.of(Pipeline::checkInterval, DTRAJS, DTRAJ_INTERVAL, DTRAJ_UNIT,
            DTRAJ_STATES);

    private static void checkInterval(Settings s) {
        if (!(s.get(DTRAJ_INTERVAL) > 0)) {
            throw new InvalidSettingException(DTRAJ_INTERVAL.name(), "input.frameInterval is required with dtrajs: "
                    + "the time between their frames, in timeUnit (NumPy files do not carry it)");
        }
    }

    public static final Setting<String> STATES_FORMAT = Setting.choice("states", "txt.gz", List.of("txt.gz", "npz"),
            "format of the run folder's state sequences: gzip text, or NumPy .npz (one int32 array per trajectory)");
    public static final Setting<Boolean> FEATURES = Setting.bool("features", false,
            "also write the features the partition was fitted on: features.npz (one float32 array of frames x "
                    + "features per trajectory) and features.json (labels, frame interval, unit, sources)");
    static final SettingsSchema OUTPUT = SettingsSchema.of(STATES_FORMAT, FEATURES);

    private static final Set<String> TOP_FIELDS = Set.of("name", "seed", "stride", "input", "featurizer", "output",
            "partition", "filter", "trainer", "generate", "kinetics");

    private final Settings top;
    private final Settings simulation;
    /** The dtrajs input's settings, or null for trajectories to featurize. */
    private final Settings dtrajs;
    private final List<Path> files;
    private final Path topology;
    private final NestedStage<Featurizer> featurizer;
    private final NestedStage<StatePartition> partition;
    private final NestedStage<RecrossingFilter> filter;
    private final NestedStage<ModelTrainer> trainer;
    private final Settings output;
    private final Settings generate;
    private final Settings kinetics;

    private Pipeline(Settings top, Settings simulation, Settings dtrajs, List<Path> files, Path topology,
            NestedStage<Featurizer> featurizer, NestedStage<StatePartition> partition,
            NestedStage<RecrossingFilter> filter, NestedStage<ModelTrainer> trainer, Settings output, Settings generate,
            Settings kinetics) {
        this.top = top;
        this.simulation = simulation;
        this.dtrajs = dtrajs;
        this.files = files;
        this.topology = topology;
        this.featurizer = featurizer;
        this.partition = partition;
        this.filter = filter;
        this.trainer = trainer;
        this.output = output;
        this.generate = generate;
        this.kinetics = kinetics;
        if (dtrajs != null && output.get(FEATURES)) {
            throw new ConfigurationException("output.features: a dtrajs input has no features to write");
        }
    }

    /**
     * This pipeline with trajectory files as its input, not checked here: for engines that read the files elsewhere
     * (a Spark job whose executors read them from a distributed file system) and describe the run with this pipeline.
     */
    public Pipeline withInputFiles(List<Path> files, Path topology) {
        return new Pipeline(top, null, null, List.copyOf(files), topology, featurizer, partition, filter, trainer,
                output, generate, kinetics);
    }

    /** The built-in default study (resource {@code default-pipeline.json} of this bundle). */
    public static Pipeline builtInDefault(StageRegistry stages) {
        try (InputStream in = Pipeline.class.getResourceAsStream("default-pipeline.json")) {
            if (in == null) {
                throw new IllegalStateException("default-pipeline.json is missing from the application bundle");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in default pipeline", null,
                    stages);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in default pipeline", e);
        }
    }

    public static Pipeline read(Path file, StageRegistry stages) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException(file + ": no such pipeline file");
        } catch (IOException e) {
            throw new ConfigurationException(file + ": cannot read: " + e.getMessage());
        }
        return parse(text, file.toString(), file.toAbsolutePath().getParent(), stages);
    }

    /**
     * @param baseDir folder that relative input paths are resolved against; null for the working folder
     */
    public static Pipeline parse(String text, String source, Path baseDir, StageRegistry stages) {
        JsonNode json = readJson(text, source);
        if (json == null || !json.isObject()) {
            throw new ConfigurationException(source + ": a pipeline must be a JSON object");
        }
        ObjectNode topFields = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!TOP_FIELDS.contains(e.getKey())) {
                throw new ConfigurationException(source + ": unknown field '" + e.getKey() + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(TOP_FIELDS)) + ")");
            }
            if (TOP.settings().stream().anyMatch(s -> s.name().equals(e.getKey()))) {
                topFields.set(e.getKey(), e.getValue());
            }
        }
        Settings top = TOP.fromJson(topFields, source);

        JsonNode input = json.path("input");
        Settings simulation = null;
        List<Path> files = List.of();
        Path topology = null;
        Settings dtrajs = null;
        if (input.isMissingNode() || input.has("simulate")) {
            simulation = LangevinSimulator.SCHEMA.fromJson(input.path("simulate"), source + ": input.simulate");
            requireOnly(input, Set.of("simulate"), source + ": input");
        } else if (input.has("files")) {
            requireOnly(input, Set.of("files", "topology"), source + ": input");
            ObjectNode fileFields = JsonNodeFactory.instance.objectNode();
            fileFields.set("files", input.get("files"));
            Settings fs = SettingsSchema.of(FILES).fromJson(fileFields, source + ": input");
            List<Path> resolved = new ArrayList<>();
            for (String f : fs.get(FILES)) {
                resolved.add(requireRegularFile(resolve(baseDir, f), source + ": input.files"));
            }
            files = List.copyOf(resolved);
            if (input.hasNonNull("topology")) {
                topology = requireRegularFile(resolve(baseDir, input.get("topology").asText()), source
                        + ": input.topology");
            }
        } else if (input.has("dtrajs")) {
            dtrajs = DTRAJ.fromJson(input, source + ": input");
            List<Path> resolved = new ArrayList<>();
            for (String f : dtrajs.get(DTRAJS)) {
                resolved.add(requireRegularFile(resolve(baseDir, f), source + ": input.dtrajs"));
            }
            files = List.copyOf(resolved);
            if (json.has("featurizer") || json.has("partition")) {
                throw new ConfigurationException(source + ": input.dtrajs gives the states already: leave out "
                        + "'featurizer' and 'partition'");
            }
        } else {
            throw new ConfigurationException(source + ": 'input' must have 'simulate' (settings of the built-in "
                    + "Langevin simulation), 'files' (a list of trajectory files) or 'dtrajs' (discrete "
                    + "trajectories as .npy/.npz, with their frameInterval)");
        }
        return new Pipeline(top, simulation, dtrajs, files, topology,
                dtrajs != null ? null : stage(json, "featurizer", StageFamily.FEATURIZER, source, stages),
                dtrajs != null ? null : stage(json, "partition", StageFamily.PARTITION, source, stages),
                stage(json, "filter", StageFamily.FILTER, source, stages),
                stage(json, "trainer", StageFamily.TRAINER, source, stages),
                OUTPUT.fromJson(json.path("output").isMissingNode() ? null : json.get("output"), source + ": output"),
                GENERATE.fromJson(json.path("generate").isMissingNode() ? null : json.get("generate"),
                        source + ": generate"),
                KINETICS.fromJson(json.path("kinetics").isMissingNode() ? null : json.get("kinetics"),
                        source + ": kinetics"));
    }

    /**
     * Strict JSON: a repeated key or content after the object is an error, and every error, those of the parser's
     * limits on nesting and sizes included, names the line and column.
     */
    static JsonNode readJson(String text, String source) {
        ObjectMapper mapper = new ObjectMapper()
                .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        com.fasterxml.jackson.core.JsonParser parser;
        try {
            parser = mapper.createParser(text);
        } catch (IOException e) {
            throw new IllegalStateException("a parser over a string cannot fail to open", e);
        }
        try (parser) {
            return mapper.readTree(parser);
        } catch (JsonProcessingException e) {
            // limit errors (nesting depth, string length) carry no location of their own: take the parser's
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation() != null ? e.getLocation()
                    : parser.currentLocation();
            throw new ConfigurationException(source + ": not valid JSON at line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + ": " + conciseJsonMessage(e));
        } catch (IOException e) {
            throw new ConfigurationException(source + ": cannot read: " + e.getMessage());
        }
    }

    /** Jackson's message without the source description it appends. */
    private static String conciseJsonMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        int cut = m.indexOf(" (start marker");
        return (cut > 0 ? m.substring(0, cut) : m).replace('\n', ' ');
    }

    /** Inputs are read whole (and checksummed): a folder, device or FIFO is refused before anything reads it. */
    private static Path requireRegularFile(Path file, String context) {
        if (!Files.exists(file)) {
            throw new ConfigurationException(context + ": no such file: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException(context + ": " + file + " is not a regular file (a folder, device or "
                    + "pipe); give trajectory and table files");
        }
        return file;
    }

    private static Path resolve(Path baseDir, String file) {
        Path p = Path.of(file);
        return baseDir == null || p.isAbsolute() ? p : baseDir.resolve(p).normalize();
    }

    private static void requireOnly(JsonNode node, Set<String> allowed, String context) {
        if (node.isMissingNode()) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new ConfigurationException(context + ": unknown field '" + name + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    /** A top-level stage: the same form, lookup and validation as a nested stage of a composite. */
    private static <T extends Stage> NestedStage<T> stage(JsonNode json, String field, StageFamily<T> family,
            String source, StageRegistry stages) {
        JsonNode node = json.get(field);
        if (node == null || !node.isObject() || !node.hasNonNull("id")) {
            throw new ConfigurationException(source + ": '" + field + "' must be an object with the 'id' of a "
                    + family + " (available: " + String.join(", ", stages.ids(family)) + ")");
        }
        try {
            return NestedStage.fromJson(family, node, field).resolve(stages, field);
        } catch (InvalidSettingException e) {
            throw new ConfigurationException(source + ": " + e.getMessage());
        }
    }

    /** Every stage the pipeline uses, nested ones included, with the path of the setting that names it. */
    public Map<String, NestedStage<?>> allStages() {
        Map<String, NestedStage<?>> all = new java.util.LinkedHashMap<>();
        collect("featurizer", featurizer, all);
        collect("partition", partition, all);
        collect("filter", filter, all);
        collect("trainer", trainer, all);
        return all;
    }

    private static void collect(String path, NestedStage<?> stage, Map<String, NestedStage<?>> into) {
        if (stage == null) {
            return; // no featurizer and partition for a dtrajs input
        }
        into.put(path, stage);
        for (Setting<?> s : stage.settings().schema().settings()) {
            Object v = stage.settings().get(s);
            if (v instanceof NestedStage<?> n) {
                collect(path + "." + s.name(), n, into);
            } else if (s.kind() == Setting.Kind.STAGE_LIST && v != null) {
                List<?> list = (List<?>) v;
                for (int i = 0; i < list.size(); i++) {
                    collect(path + "." + s.name() + "[" + i + "]", (NestedStage<?>) list.get(i), into);
                }
            }
        }
    }

    public String name() {
        return top.get(NAME);
    }

    public long seed() {
        return top.get(SEED);
    }

    public int stride() {
        return top.get(STRIDE);
    }

    /** Settings of the built-in simulation, or null when the input is files. */
    /**
     * The dtrajs input (files in {@link #files()}): its frame interval, unit and number of states; null when the
     * input is trajectories to featurize (then {@link #featurizer()} and {@link #partition()} are set, else null).
     */
    public Settings dtrajs() {
        return dtrajs;
    }

    public Settings simulation() {
        return simulation;
    }

    public List<Path> files() {
        return files;
    }

    public Path topology() {
        return topology;
    }

    public NestedStage<Featurizer> featurizer() {
        return featurizer;
    }

    public NestedStage<StatePartition> partition() {
        return partition;
    }

    public NestedStage<RecrossingFilter> filter() {
        return filter;
    }

    public NestedStage<ModelTrainer> trainer() {
        return trainer;
    }

    public Settings generate() {
        return generate;
    }

    /** What the run folder holds besides the report: the states' format, the features. */
    public Settings output() {
        return output;
    }

    public Settings kinetics() {
        return kinetics;
    }

    /** The complete pipeline, every default filled in. */
    public ObjectNode toJson() {
        ObjectNode json = top.toJson();
        ObjectNode input = json.putObject("input");
        if (simulation != null) {
            input.set("simulate", simulation.toJson());
        } else if (dtrajs != null) {
            input.setAll(dtrajs.toJson());
            ArrayNode f = input.putArray("dtrajs");
            files.forEach(p -> f.add(p.toString()));
        } else {
            ArrayNode f = input.putArray("files");
            files.forEach(p -> f.add(p.toString()));
            if (topology != null) {
                input.put("topology", topology.toString());
            }
        }
        if (dtrajs == null) {
            json.set("featurizer", stageJson(featurizer));
            json.set("partition", stageJson(partition));
        }
        json.set("filter", stageJson(filter));
        json.set("trainer", stageJson(trainer));
        json.set("output", output.toJson());
        json.set("generate", generate.toJson());
        json.set("kinetics", kinetics.toJson());
        return json;
    }

    private static ObjectNode stageJson(NestedStage<?> choice) {
        return choice.toJson();
    }
}
