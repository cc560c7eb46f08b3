package org.slowdyn.app;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.Stage;
import org.slowdyn.core.StageCatalog;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.kinetics.KineticsSummary;

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
            "       slowdyn list                              installed featurizers, partitions, filters, trainers",
            "       slowdyn help                              this text",
            "A run writes report.json, report.md, manifest.json, the model and the state sequences into DIR",
            "(default: runs/<name>-<date>-<time>). Exit codes: 0 success, 1 failure, 2 usage or configuration error.");

    private final StageDirectory stages;
    private final PrintStream out;
    private final PrintStream err;
    private final IProgressMonitor monitor;

    public CommandLine(StageDirectory stages, PrintStream out, PrintStream err, IProgressMonitor monitor) {
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
            default:
                throw new ConfigurationException("unknown command '" + args.get(0) + "'\n" + USAGE_TEXT);
            }
        } catch (ConfigurationException e) {
            err.println("slowdyn: error: " + e.getMessage());
            return USAGE;
        } catch (OperationCanceledException e) {
            err.println("slowdyn: cancelled");
            return FAILURE;
        } catch (Exception e) {
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
            outDir = Path.of("runs", pipeline.name() + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        err.println("slowdyn: running '" + pipeline.name() + "' into " + outDir);
        RunResult result = new PipelineRunner(stages).run(pipeline, outDir, monitor);
        summary(result, outDir);
        return OK;
    }

    private void summary(RunResult r, Path outDir) {
        KineticsSummary ref = r.reference(), gen = r.generated();
        out.println("Run folder: " + outDir.toAbsolutePath());
        out.printf(Locale.ROOT, "%-6s %-22s %10s %10s %10s%n", "state", "label", "Boltzmann", "reference",
                "generated");
        double[] b = r.boltzmann();
        for (int s = 0; s < ref.numberOfStates() && s < 20; s++) {
            out.printf(Locale.ROOT, "%-6d %-22s %10s %10.4f %10.4f%n", s, r.stateLabels().get(s),
                    b == null ? "-" : String.format(Locale.ROOT, "%.4f", b[s]), ref.population(s),
                    gen.population(s));
        }
        out.println("Full report: " + outDir.resolve("report.md"));
    }

    private void list() {
        listFamily(stages.featurizers());
        listFamily(stages.partitions());
        listFamily(stages.filters());
        listFamily(stages.trainers());
    }

    private void listFamily(StageCatalog<? extends Stage> catalog) {
        out.println(catalog.family().substring(0, 1).toUpperCase(Locale.ROOT) + catalog.family().substring(1)
                + "s:");
        if (catalog.all().isEmpty()) {
            out.println("  (none installed)");
        }
        for (Stage s : catalog.all()) {
            out.println("  " + s.id() + "  -  " + s.label() + ": " + s.description());
            for (Setting<?> setting : s.settingsSchema().settings()) {
                out.println("      " + setting.name() + " = "
                        + (setting.defaultValue() == null ? "(none)" : setting.defaultJson().toString())
                        + (setting.unit().isEmpty() ? "" : " [" + setting.unit() + "]") + "  " + setting.description()
                        + "; " + setting.allowed());
            }
        }
        out.println();
    }
}
