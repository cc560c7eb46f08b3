package org.slowdyn.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.Stage;
import org.slowdyn.core.StageFamily;
import org.slowdyn.core.StageRegistry;
import org.slowdyn.core.settings.Setting;

/**
 * The {@code slowdyn} command: {@code run [pipeline.json] [--out DIR]}, {@code list}, {@code help}. Exit codes: 0
 * success, 1 failure, 2 usage or configuration error. Plain Java; the OSGi application only supplies the stages.
 */
public final class CommandLine {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    static final String USAGE_TEXT = String.join("\n",
            "usage: slowdyn run [pipeline.json] [--out DIR]   run a study (no file: the built-in four-well default)",
            "       slowdyn generate --model DIR --prefixes STATES --out FILE [--length N] [--count N]",
            "                        [--prefix-frames N] [--seed N] [--temperature T]",
            "                                                 more trajectories from a saved model, without retraining:",
            "                                                 DIR is a run's model/ folder, STATES a state file",
            "                                                 (e.g. the run's reference-states.txt.gz) whose first",
            "                                                 frames seed the trajectories (each file trajectory in",
            "                                                 turn, repeated as needed; .txt.gz, .npz or .npy);",
            "                                                 FILE's name gives its format: .txt.gz (gzip text), .npz",
            "                                                 (one int32 array per trajectory) or .npy (one array)",
            "       slowdyn study STUDY.json [--quick] [--out DIR] [--parallel N]",
            "                                                 scan state models, saving intervals, trainers and seeds",
            "                                                 over the pipeline's steps; writes results.html, .md and",
            "                                                 .json into DIR (default runs/<name>, or runs/<name>-quick);",
            "                                                 finished cells are kept in DIR/cells and a rerun skips them",
            "       slowdyn list                              installed featurizers, partitions, filters, trainers",
            "       slowdyn help                              this text",
            "       slowdyn install SITE [FEATURE...] | uninstall FEATURE... | installed",
            "                                                 extensions from p2 sites (commands of the ./slowdyn script,",
            "                                                 which runs the p2 director on the installation)",
            "A run writes report.html, report.md, report.json, manifest.json, the model and the state sequences into DIR",
            "(default: runs/<name>-<date>-<time>). Exit codes: 0 success, 1 failure, 2 usage or configuration error.");

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

    public int execute(List<String> args) {
        try {
            if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help")
                    || args.get(0).equals("-h")) {
                out.println(USAGE_TEXT);
                return args.isEmpty() ? USAGE : OK;
            }
            switch (args.get(0)) {
            case "list":
                if (args.size() > 1) {
                    throw new ConfigurationException("'list' takes no arguments, got " + args.subList(1, args.size()));
                }
                list();
                return OK;
            case "run":
                return run(args.subList(1, args.size()));
            case "generate":
                return generate(args.subList(1, args.size()));
            case "study":
                return study(args.subList(1, args.size()));
            default:
                throw new ConfigurationException("unknown command '" + args.get(0) + "'\n" + USAGE_TEXT);
            }
        } catch (ConfigurationException e) {
            err.println("slowdyn: error: " + e.getMessage());
            return USAGE;
        } catch (OperationCanceledException e) {
            err.println("slowdyn: cancelled");
            return FAILURE;
        } catch (OutOfMemoryError e) {
            String where = monitor instanceof ConsoleProgressMonitor c ? c.currentWork() : "";
            err.println("slowdyn: failed: out of memory" + (where.isEmpty() ? "" : " during " + where)
                    + " (Java heap limit " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB); give Java more "
                    + "memory with SLOWDYN_JAVA_OPTS, e.g. SLOWDYN_JAVA_OPTS=-Xmx16g, or reduce the input");
            return FAILURE;
        } catch (Throwable e) {
            // every failure, an Error included, ends with a message and a non-zero exit code
            err.println("slowdyn: failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (Boolean.getBoolean("slowdyn.debug")) {
                e.printStackTrace(err);
            }
            return FAILURE;
        }
    }

    private int run(List<String> args) throws Exception {
        Path pipelineFile = null;
        Path outDir = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--out")) {
                if (i + 1 >= args.size()) {
                    throw new ConfigurationException("--out needs a folder");
                }
                outDir = Path.of(args.get(++i));
            } else if (a.startsWith("-")) {
                throw new ConfigurationException("unknown option '" + a + "'\n" + USAGE_TEXT);
            } else if (pipelineFile == null) {
                pipelineFile = Path.of(a);
            } else {
                throw new ConfigurationException("more than one pipeline file: " + pipelineFile + ", " + a);
            }
        }
        Pipeline pipeline = pipelineFile == null ? Pipeline.builtInDefault(stages) : Pipeline.read(pipelineFile, stages);
        if (outDir == null) {
            outDir = PipelineRunner.claim(Path.of("runs", pipeline.name() + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))), true);
        } else {
            outDir = PipelineRunner.claim(outDir, false);
        }
        err.println("slowdyn: running '" + pipeline.name() + "' into " + outDir);
        RunResult result = new PipelineRunner(stages).runClaimed(pipeline, outDir, monitor);
        summary(result, outDir);
        return OK;
    }

    private int study(List<String> args) throws Exception {
        Path file = null;
        Path outDir = null;
        boolean quick = false;
        Integer parallel = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--quick")) {
                quick = true;
            } else if (a.equals("--out") || a.equals("--parallel")) {
                if (i + 1 >= args.size()) {
                    throw new ConfigurationException("study: " + a + " needs a value");
                }
                String v = args.get(++i);
                if (a.equals("--out")) {
                    outDir = Path.of(v);
                } else {
                    try {
                        parallel = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        parallel = 0;
                    }
                    if (parallel < 1) {
                        throw new ConfigurationException("study: --parallel must be a positive whole number, got '"
                                + v + "'");
                    }
                }
            } else if (a.startsWith("-")) {
                throw new ConfigurationException("study: unknown option '" + a + "'\n" + USAGE_TEXT);
            } else if (file == null) {
                file = Path.of(a);
            } else {
                throw new ConfigurationException("study: more than one study file: " + file + ", " + a);
            }
        }
        if (file == null) {
            throw new ConfigurationException("study: needs a study file, e.g. examples/paper-study.json\n"
                    + USAGE_TEXT);
        }
        StudySpec spec = StudySpec.read(file, quick, stages);
        if (parallel != null) {
            spec = spec.withParallel(parallel);
        }
        if (outDir == null) {
            outDir = Path.of("runs", spec.name + (quick ? "-quick" : ""));
        }
        java.nio.file.Files.createDirectories(outDir);
        StudyRunner.Outcome outcome = new StudyRunner(stages, spec, outDir, err).run(monitor);
        new StudyReport(spec, outcome).report().write(outDir, "results");
        out.printf(Locale.ROOT, "Study '%s': %d cells, %d failed, %.1f min%n", spec.name, spec.cells.size(),
                outcome.failures().size(), outcome.seconds() / 60);
        out.println("Results: " + outDir.resolve("results.html") + " (also results.md, results.json)");
        if (!outcome.failures().isEmpty()) {
            err.println("slowdyn: " + outcome.failures().size() + " cell(s) failed: "
                    + String.join(", ", outcome.failures().keySet()) + " (listed in results.html; run the study "
                    + "again to retry them, finished cells are kept)");
            return FAILURE;
        }
        return OK;
    }

    private int generate(List<String> args) throws Exception {
        java.util.Map<String, String> options = new java.util.HashMap<>();
        List<String> known = List.of("--model", "--prefixes", "--out", "--length", "--count", "--prefix-frames",
                "--seed", "--temperature");
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!known.contains(a)) {
                throw new ConfigurationException("generate: unknown option '" + a + "'\n" + USAGE_TEXT);
            }
            if (i + 1 >= args.size()) {
                throw new ConfigurationException("generate: " + a + " needs a value");
            }
            options.put(a, args.get(++i));
        }
        for (String required : List.of("--model", "--prefixes", "--out")) {
            if (!options.containsKey(required)) {
                throw new ConfigurationException("generate: " + required + " is required\n" + USAGE_TEXT);
            }
        }
        if (!org.slowdyn.io.StateSequenceFiles.knownFormat(Path.of(options.get("--out")))) {
            // the format follows the name: a name that promises no known format is refused before any work
            throw new ConfigurationException("generate: --out " + options.get("--out") + ": the format follows the "
                    + "file name, which must end in .txt.gz (gzip text), .npz (one int32 array per trajectory, as "
                    + "numpy.savez) or .npy (one int32 array: trajectories as rows)");
        }
        Path modelDir = Path.of(options.get("--model"));
        Path description = modelDir.resolve("model.json");
        if (!java.nio.file.Files.isRegularFile(description)) {
            throw new ConfigurationException(modelDir + ": not a model folder (no model.json)");
        }
        String trainerId;
        try {
            trainerId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(description.toFile())
                    .path("trainer").asText("");
        } catch (java.io.IOException e) {
            throw new org.slowdyn.core.InputException(description + ": cannot read: " + e.getMessage(), e);
        }
        KineticModel model = stages.get(StageFamily.TRAINER, trainerId).load(modelDir);
        List<StateSequence> seeds = org.slowdyn.io.StateSequenceFiles.read(Path.of(options.get("--prefixes")));
        int prefixFrames = positive(options, "--prefix-frames", 1);
        int count = positive(options, "--count", seeds.size());
        int length = positive(options, "--length", seeds.get(0).length());
        long seed = Long.parseLong(options.getOrDefault("--seed", "1"));
        double temperature = Double.parseDouble(options.getOrDefault("--temperature", "1"));
        if (prefixFrames > length) {
            throw new ConfigurationException("generate: --prefix-frames " + prefixFrames + " is more than --length "
                    + length);
        }
        List<int[]> prefixes = new java.util.ArrayList<>();
        for (int t = 0; t < count; t++) {
            StateSequence s = seeds.get(t % seeds.size());
            if (s.length() < prefixFrames || s.numberOfStates() != model.numberOfStates()) {
                throw new ConfigurationException("generate: trajectory " + (t % seeds.size()) + " of "
                        + options.get("--prefixes") + " has " + s.length() + " frames and " + s.numberOfStates()
                        + " states; the prefix needs " + prefixFrames + " frames and the model has "
                        + model.numberOfStates() + " states");
            }
            prefixes.add(java.util.Arrays.copyOf(s.toArray(), prefixFrames));
        }
        List<StateSequence> generated = model.generate(prefixes, length, seed, temperature, monitor);
        Path outFile = Path.of(options.get("--out"));
        try {
            org.slowdyn.io.StateSequenceFiles.write(outFile, generated);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("generate: " + e.getMessage());
        }
        out.printf(Locale.ROOT, "Generated %d trajectories of %d frames (%s %s per frame) with %s into %s%n", count,
                length, model.frameInterval(), model.timeUnit(), trainerId, outFile.toAbsolutePath());
        return OK;
    }

    private static int positive(java.util.Map<String, String> options, String name, int fallback) {
        String v = options.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigurationException("generate: " + name + " must be a positive whole number, got '" + v + "'");
    }

    private void summary(RunResult r, Path outDir) {
        org.slowdyn.kinetics.KineticsMeasures ref = r.reference(), gen = r.generated();
        out.println("Run folder: " + outDir.toAbsolutePath());
        out.printf(Locale.ROOT, "%-6s %-22s %10s %10s %10s%n", "state", "label", "Boltzmann", "reference",
                "generated");
        double[] b = r.boltzmann();
        for (int s = 0; s < ref.numberOfStates() && s < 20; s++) {
            out.printf(Locale.ROOT, "%-6d %-22s %10s %10.4f %10.4f%n", s, r.stateLabels().get(s),
                    b == null ? "-" : String.format(Locale.ROOT, "%.4f", b[s]), ref.population(s),
                    gen.population(s));
        }
        out.println("Full report: " + outDir.resolve("report.html") + " (also report.md, report.json)");
    }

    private void list() {
        for (StageFamily<?> family : StageFamily.ALL) {
            listFamily(family);
        }
        List<StageRegistry.Problem> problems = stages.problems();
        if (!problems.isEmpty()) {
            out.println("Failed to load (their stages are not available):");
            for (StageRegistry.Problem p : problems) {
                out.println("  " + p);
            }
            out.println();
        }
    }

    private void listFamily(StageFamily<?> family) {
        out.println(family.name().substring(0, 1).toUpperCase(Locale.ROOT) + family.name().substring(1) + "s:");
        List<StageRegistry.Entry> entries = stages.entries(family);
        if (entries.isEmpty()) {
            out.println("  (none installed)");
        }
        Map<String, List<StageRegistry.Entry>> clashes = stages.clashes(family);
        for (StageRegistry.Entry e : entries) {
            Stage s = e.stage();
            out.println("  " + s.id() + "  -  " + s.label() + ": " + s.description());
            out.println("      from " + e.provider());
            for (Setting<?> setting : s.settingsSchema().settings()) {
                out.println("      " + setting.name() + " = "
                        + (setting.defaultValue() == null ? "(none)" : setting.defaultJson().toString())
                        + (setting.unit().isEmpty() ? "" : " [" + setting.unit() + "]") + "  " + setting.description()
                        + "; " + setting.allowed()
                        + (setting.family() == null ? ""
                                : " (installed: " + String.join(", ", stages.ids(setting.family())) + ")"));
            }
        }
        for (Map.Entry<String, List<StageRegistry.Entry>> c : clashes.entrySet()) {
            List<String> providers = new ArrayList<>();
            c.getValue().forEach(e -> providers.add(e.provider().toString()));
            out.println("  CLASH: the id '" + c.getKey() + "' is provided by " + String.join(" and ", providers)
                    + "; a pipeline that names it fails until all but one are uninstalled");
        }
        out.println();
    }
}
