package org.slowdyn.app;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.Stage;
import org.slowdyn.core.StageFamily;
import org.slowdyn.core.StageRegistry;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.io.StateSequenceFiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code slowdyn} command on picocli: {@code run}, {@code generate}, {@code study}, {@code list}, {@code help},
 * {@code --version}. Exit codes: 0 success, 1 failure, 2 usage or configuration error. Plain Java; the OSGi
 * application only supplies the stages.
 */
public final class CommandLine {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    private final StageRegistry stages;
    private final PrintStream out;
    private final PrintStream err;
    private final IProgressMonitor monitor;

    public CommandLine(StageRegistry stages, PrintStream out, PrintStream err, IProgressMonitor monitor) {
        this.stages = stages;
        this.out = out;
        this.err = err;
        this.monitor = monitor;
    }

    @Command(name = "slowdyn", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Learns the slow kinetics of molecular dynamics with language models: trajectories -> "
                    + "featurizer -> state partition -> recrossing filter -> model -> generated trajectories -> "
                    + "kinetics compared with the reference.",
            footer = { "", "Also, as commands of the ./slowdyn script: install SITE [FEATURE...], uninstall "
                    + "FEATURE..., installed (extensions from p2 sites).",
                    "Exit codes: 0 success, 1 failure, 2 usage or configuration error." },
            subcommands = { HelpCommand.class })
    final class Root implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "a command is needed: run, generate, study, list or "
                    + "help");
        }
    }

    /** {@code -h, --help} on each command: its usage on stdout, exit code 0, whatever else the line lacks. */
    static final class HelpOption {
        @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this command's usage and exit.")
        boolean requested;
    }

    /** The version of the app bundle, and of every SlowDyn bundle and the runtime it runs on. */
    final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Map<String, String> env = stages.environment();
            List<String> lines = new ArrayList<>();
            lines.add("slowdyn " + env.getOrDefault("org.slowdyn.app", ownVersion()));
            env.forEach((k, v) -> {
                if (!k.equals("org.slowdyn.app")) {
                    lines.add("  " + k + " " + v);
                }
            });
            lines.add("  java " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
            return lines.toArray(String[]::new);
        }
    }

    @Command(name = "run", description = "Runs a pipeline: input, featurizer, stride, partition, filter, model, "
            + "generation and the comparison with the reference, into a run folder (report.html, report.md, "
            + "report.json, manifest.json, the model and the state sequences).")
    final class Run implements Callable<Integer> {
        @Mixin
        HelpOption help = new HelpOption();

        @Parameters(arity = "0..1", paramLabel = "PIPELINE.json",
                description = "the pipeline file; none: the built-in four-well default")
        Path pipelineFile;

        @Option(names = "--out", paramLabel = "DIR",
                description = "the run folder, which must not exist (default runs/<name>-<date>-<time>)")
        Path outDir;

        @Override
        public Integer call() throws Exception {
            Pipeline pipeline = pipelineFile == null ? Pipeline.builtInDefault(stages)
                    : Pipeline.read(pipelineFile, stages);
            Path folder = outDir == null ? RunFolder.claim(Path.of("runs", pipeline.name() + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))), true)
                    : RunFolder.claim(outDir, false);
            err.println("slowdyn: running '" + pipeline.name() + "' into " + folder);
            RunResult result = new PipelineRunner(stages).runClaimed(pipeline, folder, monitor);
            summary(result, folder);
            return OK;
        }
    }

    @Command(name = "generate", description = "More trajectories from a saved model, without retraining.")
    final class Generate implements Callable<Integer> {
        @Mixin
        HelpOption help = new HelpOption();

        @Option(names = "--model", required = true, paramLabel = "DIR", description = "a run's model/ folder")
        Path model;

        @Option(names = "--prefixes", required = true, paramLabel = "STATES",
                description = "states whose first frames seed the trajectories (each trajectory in turn, repeated as "
                        + "needed), e.g. the run's reference-states.txt.gz; .txt.gz, .npz or .npy")
        Path prefixes;

        @Option(names = "--out", required = true, paramLabel = "FILE",
                description = "its name gives the format: .txt.gz (gzip text), .npz (one int32 array per "
                        + "trajectory, as numpy.savez) or .npy (one int32 array, trajectories as rows)")
        Path outFile;

        @Option(names = "--length", paramLabel = "N", description = "frames per trajectory (default: the first "
                + "prefix trajectory's length)")
        Integer length;

        @Option(names = "--count", paramLabel = "N", description = "trajectories (default: as many as the prefix "
                + "file has)")
        Integer count;

        @Option(names = "--prefix-frames", paramLabel = "N", defaultValue = "1",
                description = "frames of each prefix trajectory that seed a trajectory (default ${DEFAULT-VALUE})")
        int prefixFrames;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "random seed (default "
                + "${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--temperature", paramLabel = "T", defaultValue = "1",
                description = "sampling temperature; 1 samples the model's own probabilities (default "
                        + "${DEFAULT-VALUE})")
        double temperature;

        @Override
        public Integer call() throws Exception {
            if (!StateSequenceFiles.knownFormat(outFile)) {
                // the format follows the name: a name that promises no known format is refused before any work
                throw new ConfigurationException("generate: --out " + outFile + ": the format follows the file name, "
                        + "which must end in .txt.gz (gzip text), .npz (one int32 array per trajectory, as "
                        + "numpy.savez) or .npy (one int32 array: trajectories as rows)");
            }
            positive("--prefix-frames", prefixFrames);
            if (count != null) {
                positive("--count", count);
            }
            if (length != null) {
                positive("--length", length);
            }
            Path description = model.resolve("model.json");
            if (!Files.isRegularFile(description)) {
                throw new ConfigurationException(model + ": not a model folder (no model.json)");
            }
            String trainerId;
            try {
                trainerId = new ObjectMapper().readTree(description.toFile()).path("trainer").asText("");
            } catch (java.io.IOException e) {
                throw new org.slowdyn.core.InputException(description + ": cannot read: " + e.getMessage(), e);
            }
            KineticModel m = stages.get(StageFamily.TRAINER, trainerId).load(model);
            List<StateSequence> seeds = StateSequenceFiles.read(prefixes);
            int n = count == null ? seeds.size() : count;
            int frames = length == null ? seeds.get(0).length() : length;
            if (prefixFrames > frames) {
                throw new ConfigurationException("generate: --prefix-frames " + prefixFrames + " is more than "
                        + "--length " + frames);
            }
            List<int[]> starts = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                StateSequence s = seeds.get(t % seeds.size());
                if (s.length() < prefixFrames || s.numberOfStates() > m.numberOfStates()) {
                    throw new ConfigurationException("generate: trajectory " + (t % seeds.size()) + " of " + prefixes
                            + " has " + s.length() + " frames and " + s.numberOfStates() + " states; the prefix "
                            + "needs " + prefixFrames + " frames and the model has " + m.numberOfStates() + " states");
                }
                starts.add(Arrays.copyOf(s.toArray(), prefixFrames));
            }
            List<StateSequence> generated = m.generate(starts, frames, seed, temperature, monitor);
            try {
                StateSequenceFiles.write(outFile, generated);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("generate: " + e.getMessage());
            }
            out.printf(Locale.ROOT, "Generated %d trajectories of %d frames (%s %s per frame) with %s into %s%n", n,
                    frames, m.frameInterval(), m.timeUnit(), trainerId, outFile.toAbsolutePath());
            return OK;
        }
    }

    @Command(name = "study", description = "Scans state models, saving intervals, trainers and seeds over the "
            + "pipeline's steps; writes results.html, results.md and results.json. Finished cells are kept in "
            + "DIR/cells and a rerun skips them.")
    final class Study implements Callable<Integer> {
        @Mixin
        HelpOption help = new HelpOption();

        @Parameters(paramLabel = "STUDY.json", description = "the study file, e.g. examples/paper-study.json")
        Path file;

        @Option(names = "--quick", description = "merge the study's 'quick' object over it: a small run of the same "
                + "study")
        boolean quick;

        @Option(names = "--out", paramLabel = "DIR", description = "the study folder (default runs/<name>, or "
                + "runs/<name>-quick)")
        Path outDir;

        @Option(names = "--parallel", paramLabel = "N", description = "cells at a time (default: the study's "
                + "'parallel', else every core)")
        Integer parallel;

        @Option(names = "--report-only", description = "write the results page from the cells already finished in "
                + "DIR without running any (the others are listed as not run), e.g. while another run of the study "
                + "is under way")
        boolean reportOnly;

        @Option(names = "--only", paramLabel = "FIELD=V1,V2", description = "run only the cells that meet this "
                + "condition (repeatable: all of them); FIELD is scan, input, states, stride, trainer or seed, e.g. "
                + "--only trainer=LSTM --only stride=10,20. The other cells are kept or left for another run, and "
                + "the page lists those not finished as not run")
        List<String> only;

        @Option(names = "--cheapest-first", description = "start the cells in the order of their predicted seconds "
                + "(their estimates, scaled by what finished cells took) instead of the study's, so that a run "
                + "stopped early has finished as many as it could")
        boolean cheapestFirst;

        @Option(names = "--time-limit", paramLabel = "DURATION", description = "end this run within DURATION (e.g. "
                + "45m, 2h, 1h30m, 90s): a cell starts only when its estimate, scaled by what finished cells took, "
                + "ends in time (the next that fits starts instead); cells still running at the limit are stopped. "
                + "The page is written, and the cells not run are left for another run, e.g. a batch job's wall time")
        String timeLimit;

        @Override
        public Integer call() throws Exception {
            double limit = timeLimit == null ? Double.POSITIVE_INFINITY : duration("--time-limit", timeLimit);
            StudySpec spec = StudySpec.read(file, quick, stages);
            if (parallel != null) {
                spec = spec.withParallel(positive("--parallel", parallel));
            }
            // selected from the spec that runs: withParallel reads the cells again
            StudySpec.Selection selection = spec.select(only);
            if (reportOnly && (selection != StudySpec.Selection.ALL || cheapestFirst || timeLimit != null)) {
                throw new ConfigurationException("study: --report-only runs no cells, so --only, --cheapest-first "
                        + "and --time-limit do not apply; the page always lists every cell of the study");
            }
            Path folder = outDir != null ? outDir : Path.of("runs", spec.name + (quick ? "-quick" : ""));
            if (Files.exists(folder) && !Files.isDirectory(folder)) {
                throw new ConfigurationException("study: --out " + folder + " is a file; a study needs a folder (a "
                        + "new one, or this study's folder from an earlier run, whose finished cells are kept)");
            }
            Files.createDirectories(folder);
            StudyRunner runner = new StudyRunner(stages, spec, folder, err);
            StudyRunner.Outcome outcome = reportOnly ? runner.finished() : runner.run(monitor, selection,
                    cheapestFirst, limit);
            new StudyReport(spec, outcome).report().write(folder, "results");
            out.printf(Locale.ROOT, "Study '%s': %d cells (%d finished, %d failed, %d not run), %.1f min%n", spec.name,
                    spec.cells.size(), outcome.results().size(), outcome.failures().size(), spec.cells.size()
                            - outcome.results().size() - outcome.failures().size(), outcome.seconds() / 60);
            out.println("Results: " + folder.resolve("results.html") + " (also results.md, results.json)");
            if (!outcome.failures().isEmpty()) {
                err.println("slowdyn: " + outcome.failures().size() + " cell(s) failed: "
                        + String.join(", ", outcome.failures().keySet()) + " (listed in results.html; run the study "
                        + "again to retry them, finished cells are kept)");
                return FAILURE;
            }
            return OK;
        }
    }

    @Command(name = "list", description = "The installed featurizers, partitions, filters and trainers; with an ID, "
            + "one stage with its settings, defaults and units.")
    final class ListStages implements Callable<Integer> {
        @Mixin
        HelpOption help = new HelpOption();

        @Parameters(arity = "0..1", paramLabel = "ID", description = "a stage id, e.g. partition.kmeans")
        String id;

        @Option(names = "--json", description = "every stage (or the one named) as JSON, for programs")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (json) {
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(listJson(id)));
            } else if (id != null) {
                describe(entry(id));
            } else {
                list();
            }
            return OK;
        }
    }

    /** The app bundle's version from its manifest, for a registry that does not know it. */
    static String ownVersion() {
        try (java.io.InputStream in = CommandLine.class.getResourceAsStream("/META-INF/MANIFEST.MF")) {
            if (in != null) {
                String v = new java.util.jar.Manifest(in).getMainAttributes().getValue("Bundle-Version");
                if (v != null) {
                    return v;
                }
            }
        } catch (java.io.IOException e) {
            // reported as unknown below
        }
        return "(version unknown)";
    }

    /** Runs the command; every failure ends with a message on stderr and a non-zero exit code. */
    public int execute(List<String> args) {
        // the version provider reads this command line's registry: picocli gets it from a factory
        picocli.CommandLine.IFactory factory = new picocli.CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == Version.class ? type.cast(new Version())
                        : picocli.CommandLine.defaultFactory().create(type);
            }
        };
        picocli.CommandLine cli = new picocli.CommandLine(new Root(), factory);
        cli.addSubcommand(new picocli.CommandLine(new Run(), factory));
        cli.addSubcommand(new picocli.CommandLine(new Generate(), factory));
        cli.addSubcommand(new picocli.CommandLine(new Study(), factory));
        cli.addSubcommand(new picocli.CommandLine(new ListStages(), factory));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((ex, a) -> {
            PrintWriter w = ex.getCommandLine().getErr();
            w.println("slowdyn: error: " + ex.getMessage());
            if (ex instanceof UnmatchedArgumentException u) {
                UnmatchedArgumentException.printSuggestions(u, w);
            }
            w.println("See 'slowdyn help" + (ex.getCommandLine().getParent() == null ? ""
                    : " " + ex.getCommandLine().getCommandName()) + "' for the usage.");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((ex, command, parsed) -> failure(ex));
        if (args.isEmpty()) {
            cli.usage(out);
            return USAGE;
        }
        try {
            return cli.execute(args.toArray(String[]::new));
        } catch (Throwable t) {
            return failure(t); // whatever escapes picocli, the exit code is never 0 on a failure
        }
    }

    private int failure(Throwable e) {
        if (e instanceof ConfigurationException) {
            err.println("slowdyn: error: " + e.getMessage());
            return USAGE;
        }
        if (e instanceof OperationCanceledException) {
            err.println("slowdyn: cancelled");
            return FAILURE;
        }
        if (e instanceof OutOfMemoryError) {
            String where = monitor instanceof ConsoleProgressMonitor c ? c.currentWork() : "";
            err.println("slowdyn: failed: out of memory" + (where.isEmpty() ? "" : " during " + where)
                    + " (Java heap limit " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB); give Java more "
                    + "memory with SLOWDYN_JAVA_OPTS, e.g. SLOWDYN_JAVA_OPTS=-Xmx16g, or reduce the input");
            return FAILURE;
        }
        err.println("slowdyn: failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        if (Boolean.getBoolean("slowdyn.debug")) {
            e.printStackTrace(err);
        }
        return FAILURE;
    }

    private static int positive(String option, int value) {
        if (value < 1) {
            throw new ConfigurationException(option + " must be a positive whole number, got " + value);
        }
        return value;
    }

    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile(
            "(?:(\\d{1,9})h)?(?:(\\d{1,9})m)?(?:(\\d{1,9})s)?");

    /** Seconds of a duration written as hours, minutes and seconds: 2h, 45m, 1h30m, 90s (at least one part). */
    static double duration(String option, String text) {
        java.util.regex.Matcher m = DURATION.matcher(text.trim());
        double seconds = 0;
        if (m.matches() && !text.isBlank()) {
            long[] unit = { 3600, 60, 1 };
            for (int g = 1; g <= 3; g++) {
                if (m.group(g) != null) {
                    seconds += Long.parseLong(m.group(g)) * (double) unit[g - 1];
                }
            }
        }
        if (!(seconds > 0)) {
            throw new ConfigurationException(option + " " + text + ": expected a positive duration in hours, "
                    + "minutes and seconds, e.g. 45m, 2h, 1h30m or 90s");
        }
        return seconds;
    }

    private void summary(RunResult r, Path outDir) {
        org.slowdyn.kinetics.KineticsMeasures ref = r.reference(), gen = r.generated();
        out.println("Run folder: " + outDir.toAbsolutePath());
        out.printf(Locale.ROOT, "%-6s %-22s %10s %10s %10s%n", "state", "label", "Boltzmann", "reference",
                "generated");
        double[] b = r.expectedPopulations();
        for (int s = 0; s < ref.numberOfStates() && s < 20; s++) {
            out.printf(Locale.ROOT, "%-6d %-22s %10s %10.4f %10.4f%n", s, r.stateLabels().get(s),
                    b == null ? "-" : String.format(Locale.ROOT, "%.4f", b[s]), ref.population(s),
                    gen.population(s));
        }
        out.println("Full report: " + outDir.resolve("report.html") + " (also report.md, report.json)");
    }

    private StageRegistry.Entry entry(String id) {
        for (StageFamily<?> family : StageFamily.ALL) {
            for (StageRegistry.Entry e : stages.entries(family)) {
                if (e.stage().id().equals(id)) {
                    return e;
                }
            }
        }
        List<String> all = new ArrayList<>();
        StageFamily.ALL.forEach(f -> all.addAll(stages.ids(f)));
        throw new ConfigurationException("list: no stage '" + id + "' is installed (installed: "
                + String.join(", ", all) + ")");
    }

    private void list() {
        for (StageFamily<?> family : StageFamily.ALL) {
            out.println(family.name().substring(0, 1).toUpperCase(Locale.ROOT) + family.name().substring(1) + "s:");
            List<StageRegistry.Entry> entries = stages.entries(family);
            if (entries.isEmpty()) {
                out.println("  (none installed)");
            }
            for (StageRegistry.Entry e : entries) {
                out.println("  " + e.stage().id() + "  -  " + e.stage().label());
                out.println("      from " + e.provider());
            }
            for (Map.Entry<String, List<StageRegistry.Entry>> c : stages.clashes(family).entrySet()) {
                List<String> providers = new ArrayList<>();
                c.getValue().forEach(e -> providers.add(e.provider().toString()));
                out.println("  CLASH: the id '" + c.getKey() + "' is provided by " + String.join(" and ", providers)
                        + "; a pipeline that names it fails until all but one are uninstalled");
            }
            out.println();
        }
        problems();
        out.println("'slowdyn list ID' shows a stage's settings; 'slowdyn list --json' all of it for programs.");
    }

    private void problems() {
        List<StageRegistry.Problem> problems = stages.problems();
        if (!problems.isEmpty()) {
            out.println("Failed to load (their stages are not available):");
            for (StageRegistry.Problem p : problems) {
                out.println("  " + p);
            }
            out.println();
        }
    }

    private void describe(StageRegistry.Entry e) {
        Stage s = e.stage();
        out.println(s.id() + "  -  " + s.label());
        out.println("  " + s.description());
        out.println("  from " + e.provider());
        out.println("  settings:");
        for (Setting<?> setting : s.settingsSchema().settings()) {
            out.println("    " + setting.name() + " = "
                    + (setting.defaultValue() == null ? "(none)" : setting.defaultJson().toString())
                    + (setting.unit().isEmpty() ? "" : " [" + setting.unit() + "]"));
            out.println("        " + setting.description() + "; " + setting.allowed()
                    + (setting.family() == null ? ""
                            : " (installed: " + String.join(", ", stages.ids(setting.family())) + ")"));
        }
    }

    private ObjectNode listJson(String only) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("format", "slowdyn-stages v1");
        ArrayNode list = root.putArray("stages");
        StageRegistry.Entry wanted = only == null ? null : entry(only);
        for (StageFamily<?> family : StageFamily.ALL) {
            for (StageRegistry.Entry e : stages.entries(family)) {
                if (wanted != null && e != wanted) {
                    continue;
                }
                Stage s = e.stage();
                ObjectNode o = list.addObject();
                o.put("family", family.name());
                o.put("id", s.id());
                o.put("label", s.label());
                o.put("description", s.description());
                o.put("bundle", e.provider().name());
                o.put("version", e.provider().version());
                ArrayNode settings = o.putArray("settings");
                for (Setting<?> setting : s.settingsSchema().settings()) {
                    ObjectNode x = settings.addObject();
                    x.put("name", setting.name());
                    x.set("default", setting.defaultValue() == null ? m.nullNode() : setting.defaultJson());
                    x.put("unit", setting.unit());
                    x.put("description", setting.description());
                    x.put("allowed", setting.allowed());
                    if (setting.family() != null) {
                        x.put("stageFamily", setting.family().name());
                    }
                }
            }
        }
        if (wanted == null) {
            ArrayNode problems = root.putArray("problems");
            stages.problems().forEach(p -> problems.add(p.toString()));
            ObjectNode clashes = root.putObject("clashes");
            for (StageFamily<?> family : StageFamily.ALL) {
                stages.clashes(family).forEach((id, entries) -> {
                    ArrayNode a = clashes.putArray(id);
                    entries.forEach(e -> a.add(e.provider().toString()));
                });
            }
        }
        return root;
    }
}
