package org.slowdyn.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import org.slowdyn.core.AtomicFiles;
import org.slowdyn.core.FilterResult;
import org.slowdyn.kinetics.KineticsSummary;
import org.slowdyn.kinetics.RelativeError;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes {@code report.json} and {@code report.md} of a run. */
final class ReportWriter {
    private ReportWriter() {
    }

    static void write(RunResult r, Path folder) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        AtomicFiles.writeString(folder.resolve("report.json"),
                mapper.writerWithDefaultPrettyPrinter().writeValueAsString(json(r, mapper)));
        AtomicFiles.writeString(folder.resolve("report.md"), markdown(r));
    }

    static boolean reportMfpt(RunResult r) {
        return r.reference.numberOfStates() <= r.pipeline.kinetics().get(Pipeline.MAX_MFPT_STATES);
    }

    static ObjectNode json(RunResult r, ObjectMapper mapper) {
        KineticsSummary ref = r.reference, gen = r.generated;
        int n = ref.numberOfStates();
        ObjectNode root = mapper.createObjectNode();
        root.put("format", "slowdyn-report v1");
        root.put("name", r.pipeline.name());
        root.put("input", r.inputDescription);
        root.put("frameInterval", ref.frameInterval());
        root.put("timeUnit", ref.timeUnit());
        root.put("referenceTrajectories", ref.trajectories());
        root.put("referenceFrames", ref.frames());
        root.put("generatedTrajectories", gen.trajectories());
        root.put("generatedFrames", gen.frames());
        ObjectNode stagesNode = root.putObject("stages");
        stagesNode.put("featurizer", r.pipeline.featurizer().stage().id());
        stagesNode.put("partition", r.pipeline.partition().stage().id());
        stagesNode.put("filter", r.pipeline.filter().stage().id());
        stagesNode.put("trainer", r.pipeline.trainer().stage().id());
        FilterResult f = r.filterResult;
        ObjectNode filter = root.putObject("filter");
        filter.put("transitionsBefore", f.transitionsBefore());
        filter.put("transitionsAfter", f.transitionsAfter());
        filter.put("framesRelabelled", f.framesRelabelled());
        filter.put("framesDropped", f.framesDropped());
        filter.put("framesIn", f.framesIn());
        ArrayNode states = root.putArray("states");
        for (int s = 0; s < n; s++) {
            ObjectNode st = states.addObject();
            st.put("index", s);
            st.put("label", r.stateLabels.get(s));
            if (r.boltzmann != null) {
                st.put("boltzmannPopulation", r.boltzmann[s]);
            }
            valueNode(st.putObject("population"), ref.population(s), ref.populationError(s), gen.population(s),
                    gen.populationError(s));
        }
        ArrayNode mfpt = root.putArray("mfpt");
        if (reportMfpt(r)) {
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    if (a == b) {
                        continue;
                    }
                    ObjectNode m = mfpt.addObject();
                    m.put("from", a);
                    m.put("to", b);
                    m.put("unit", "frames");
                    valueNode(m, ref.mfpt(a, b), ref.mfptError(a, b), gen.mfpt(a, b), gen.mfptError(a, b));
                    m.put("referencePassages", ref.passages(a, b));
                    m.put("generatedPassages", gen.passages(a, b));
                }
            }
        }
        ArrayNode counts = root.putArray("countsLag1");
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (ref.count(a, b) > 0 || gen.count(a, b) > 0) {
                    ObjectNode c = counts.addObject();
                    c.put("from", a);
                    c.put("to", b);
                    c.put("reference", ref.count(a, b));
                    c.put("generated", gen.count(a, b));
                }
            }
        }
        ObjectNode seeds = root.putObject("seeds");
        r.seeds.forEach(seeds::put);
        ObjectNode timing = root.putObject("seconds");
        r.stageSeconds.forEach(timing::put);
        return root;
    }

    private static void valueNode(ObjectNode node, double ref, double refErr, double gen, double genErr) {
        RelativeError e = RelativeError.of(ref, refErr, gen, genErr);
        putNumber(node, "reference", ref);
        putNumber(node, "referenceError", refErr);
        putNumber(node, "generated", gen);
        putNumber(node, "generatedError", genErr);
        putNumber(node, "relativeError", e.value());
        putNumber(node, "relativeErrorError", e.error());
    }

    /** JSON has no NaN: undefined values are written as null. */
    private static void putNumber(ObjectNode node, String name, double v) {
        if (Double.isFinite(v)) {
            node.put(name, v);
        } else {
            node.putNull(name);
        }
    }

    static String markdown(RunResult r) {
        KineticsSummary ref = r.reference, gen = r.generated;
        int n = ref.numberOfStates();
        StringBuilder md = new StringBuilder();
        md.append("# SlowDyn run: ").append(r.pipeline.name()).append("\n\n");
        md.append("- Input: ").append(r.inputDescription).append('\n');
        md.append("- Stages: featurizer `").append(r.pipeline.featurizer().stage().id()).append("`, stride ")
                .append(r.pipeline.stride()).append(", partition `").append(r.pipeline.partition().stage().id())
                .append("`, recrossing filter `").append(r.pipeline.filter().stage().id()).append("`, trainer `")
                .append(r.pipeline.trainer().stage().id()).append("`\n");
        md.append(String.format(Locale.ROOT, "- Reference: %d trajectories, %d frames; generated: %d trajectories, "
                + "%d frames; frame interval %s %s%n", ref.trajectories(), ref.frames(), gen.trajectories(),
                gen.frames(), fmt(ref.frameInterval()), ref.timeUnit()));
        md.append("- Master seed ").append(r.pipeline.seed()).append(" (derived seeds in manifest.json)\n\n");
        md.append("Uncertainties are bootstrap standard errors over trajectories (over blocks when there are fewer "
                + "than 10). Relative error = (generated - reference) / reference.\n\n");

        FilterResult f = r.filterResult;
        md.append("## Recrossing filter\n\n");
        md.append(String.format(Locale.ROOT, "%s: state changes %d before, %d after; %d of %d frames relabelled "
                + "(%.2f%%); %d frames dropped.%n%n", r.pipeline.filter().stage().label(), f.transitionsBefore(),
                f.transitionsAfter(), f.framesRelabelled(), f.framesIn(),
                f.framesIn() == 0 ? 0.0 : 100.0 * f.framesRelabelled() / f.framesIn(), f.framesDropped()));

        md.append("## Populations\n\n");
        md.append("| state | label |");
        if (r.boltzmann != null) {
            md.append(" Boltzmann (grid integral, unfiltered partition) |");
        }
        md.append(" reference | generated | relative error |\n|---|---|");
        if (r.boltzmann != null) {
            md.append("---|");
        }
        md.append("---|---|---|\n");
        for (int s = 0; s < n; s++) {
            md.append("| ").append(s).append(" | ").append(r.stateLabels.get(s)).append(" |");
            if (r.boltzmann != null) {
                md.append(' ').append(String.format(Locale.ROOT, "%.4f", r.boltzmann[s])).append(" |");
            }
            md.append(' ').append(pm(ref.population(s), ref.populationError(s), 4)).append(" | ")
                    .append(pm(gen.population(s), gen.populationError(s), 4)).append(" | ")
                    .append(rel(ref.population(s), ref.populationError(s), gen.population(s), gen.populationError(s)))
                    .append(" |\n");
        }
        md.append('\n');

        md.append("## Mean first-passage times (direct, from the trajectories)\n\n");
        if (!reportMfpt(r)) {
            md.append("Not reported: ").append(n).append(" states is more than kinetics.maxMfptStates = ")
                    .append(r.pipeline.kinetics().get(Pipeline.MAX_MFPT_STATES)).append(".\n\n");
        } else {
            md.append("A passage a -> b starts at the first frame in a after the last visit to b and ends at the next "
                    + "frame in b. MFPT = (time of completed passages + time cut off by trajectory ends) / completed "
                    + "passages, in frames (multiply by " + fmt(ref.frameInterval()) + " for " + ref.timeUnit()
                    + "). n = completed passages.\n\n");
            md.append("| from -> to | reference (frames) | n ref | generated (frames) | n gen | relative error |\n");
            md.append("|---|---|---|---|---|---|\n");
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    if (a == b) {
                        continue;
                    }
                    md.append("| ").append(a).append(" -> ").append(b).append(" | ")
                            .append(pm(ref.mfpt(a, b), ref.mfptError(a, b), 0)).append(" | ")
                            .append(ref.passages(a, b)).append(" | ")
                            .append(pm(gen.mfpt(a, b), gen.mfptError(a, b), 0)).append(" | ")
                            .append(gen.passages(a, b)).append(" | ")
                            .append(rel(ref.mfpt(a, b), ref.mfptError(a, b), gen.mfpt(a, b), gen.mfptError(a, b)))
                            .append(" |\n");
                }
            }
            md.append('\n');
        }

        if (n <= 12) {
            md.append("## Transition counts at lag 1 frame (reference / generated)\n\n| from \\ to |");
            for (int b = 0; b < n; b++) {
                md.append(' ').append(b).append(" |");
            }
            md.append("\n|---|");
            for (int b = 0; b < n; b++) {
                md.append("---|");
            }
            md.append('\n');
            for (int a = 0; a < n; a++) {
                md.append("| ").append(a).append(" |");
                for (int b = 0; b < n; b++) {
                    md.append(' ').append(ref.count(a, b)).append(" / ").append(gen.count(a, b)).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }

        md.append("## Time per stage (s)\n\n| stage | seconds |\n|---|---|\n");
        r.stageSeconds.forEach((k, v) -> md.append("| ").append(k).append(" | ")
                .append(String.format(Locale.ROOT, "%.2f", v)).append(" |\n"));
        return md.toString();
    }

    private static String pm(double v, double err, int digits) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        String f = "%." + digits + "f";
        return String.format(Locale.ROOT, f, v) + (Double.isFinite(err) ? " ± " + String.format(Locale.ROOT, f, err)
                : "");
    }

    private static String rel(double ref, double refErr, double gen, double genErr) {
        RelativeError e = RelativeError.of(ref, refErr, gen, genErr);
        if (!Double.isFinite(e.value())) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%+.1f%%", 100 * e.value())
                + (Double.isFinite(e.error()) ? String.format(Locale.ROOT, " ± %.1f%%", 100 * e.error()) : "");
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
