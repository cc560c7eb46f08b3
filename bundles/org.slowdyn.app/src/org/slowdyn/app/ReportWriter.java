package org.slowdyn.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.slowdyn.core.AtomicFiles;
import org.slowdyn.core.DwellTimes;
import org.slowdyn.core.FilterResult;
import org.slowdyn.kinetics.ChapmanKolmogorovTest;
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
        if (r.baseline != null) {
            KineticsSummary base = r.baseline;
            ObjectNode b = root.putObject("baseline");
            b.put("trainer", PipelineRunner.BASELINE_TRAINER);
            b.put("stepFrames", r.baselineStep);
            ArrayNode pops = b.putArray("populations");
            for (int s = 0; s < n; s++) {
                pops.addObject().put("state", s).put("value", base.population(s)).put("error",
                        base.populationError(s));
            }
            if (reportMfpt(r)) {
                ArrayNode m = b.putArray("mfpt");
                for (int a = 0; a < n; a++) {
                    for (int c = 0; c < n; c++) {
                        if (a != c) {
                            ObjectNode e = m.addObject().put("from", a).put("to", c);
                            putNumber(e, "value", r.baselineStep * base.mfpt(a, c));
                            putNumber(e, "error", r.baselineStep * base.mfptError(a, c));
                        }
                    }
                }
            }
            if (r.baselineStep == 1) {
                b.put("spuriousTransitions", spurious(ref, base));
            }
        }
        if (gen.frameInterval() == ref.frameInterval()) {
            root.put("generatedSpuriousTransitions", spurious(ref, gen));
        }
        if (r.trainingLog != null) {
            ObjectNode t = root.putObject("training");
            t.put("keptEpoch", r.trainingLog.keptEpoch());
            t.put("stopReason", r.trainingLog.stopReason());
            ArrayNode epochs = t.putArray("epochs");
            for (org.slowdyn.core.TrainingLog.Epoch e : r.trainingLog.epochs()) {
                ObjectNode o = epochs.addObject().put("epoch", e.epoch()).put("seconds", e.seconds());
                putNumber(o, "trainingLoss", e.trainingLoss());
                putNumber(o, "validationLoss", e.validationLoss());
            }
            ArrayNode notes = t.putArray("notes");
            r.trainingLog.notes().forEach(notes::add);
        }
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
        filter.put("trajectoriesDropped", f.trajectoriesDropped());
        filter.set("dwellBefore", dwellJson(f.dwellBefore(), mapper));
        filter.set("dwellAfter", dwellJson(f.dwellAfter(), mapper));
        ArrayNode commit = root.putArray("commitTimeTransitions");
        List<Integer> commitTimes = r.pipeline.kinetics().get(Pipeline.COMMIT_TIMES);
        for (int x = 0; x < commitTimes.size(); x++) {
            ObjectNode c = commit.addObject();
            c.put("commitTime", commitTimes.get(x));
            c.put("unit", "frames");
            c.put("reference", r.referenceCommitted[x]);
            long g = r.generatedCommitted[x];
            if (g >= 0) {
                c.put("generated", g);
            } else {
                c.putNull("generated");
            }
        }
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
        double scale = gen.frameInterval() / ref.frameInterval();
        root.put("generatedStepFrames", r.generatedMarkov.step);
        ArrayNode notes = root.putArray("partitionNotes");
        r.partitionNotes.forEach(notes::add);
        ArrayNode its = root.putArray("impliedTimescales");
        int count = r.pipeline.kinetics().get(Pipeline.TIMESCALES);
        for (int lag : r.pipeline.kinetics().get(Pipeline.LAGS)) {
            ObjectNode row = its.addObject();
            row.put("lag", lag);
            row.put("unit", "frames");
            ArrayNode list = row.putArray("timescales");
            for (int k = 0; k < count; k++) {
                valueNode(list.addObject(), r.referenceMarkov.timescale(lag, k), r.referenceMarkov.timescaleError(lag, k),
                        r.generatedMarkov.timescale(lag, k), r.generatedMarkov.timescaleError(lag, k));
            }
        }
        if (r.referenceMarkov.ck != null) {
            ArrayNode ckNode = root.putArray("chapmanKolmogorov");
            ChapmanKolmogorovTest rc = r.referenceMarkov.ck, gc = r.generatedMarkov.ck;
            for (int a = 0; a < n; a++) {
                for (int x = 0; x < MarkovAnalysis.CK_MULTIPLES.length; x++) {
                    ObjectNode c = ckNode.addObject();
                    c.put("state", a);
                    c.put("multiple", MarkovAnalysis.CK_MULTIPLES[x]);
                    putNumber(c, "referencePredicted", rc.predicted(x, a, a));
                    putNumber(c, "referenceEstimated", rc.estimated(x, a, a));
                    putNumber(c, "generatedPredicted", gc == null ? Double.NaN : gc.predicted(x, a, a));
                    putNumber(c, "generatedEstimated", gc == null ? Double.NaN : gc.estimated(x, a, a));
                }
            }
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
                    valueNode(m, ref.mfpt(a, b), ref.mfptError(a, b), scale * gen.mfpt(a, b),
                            scale * gen.mfptError(a, b));
                    m.put("referencePassages", ref.passages(a, b));
                    m.put("generatedPassages", gen.passages(a, b));
                    m.put("msmLag", r.pipeline.kinetics().get(Pipeline.MSM_LAG));
                    valueNode(m.putObject("msm"), r.referenceMarkov.mfpt(a, b), r.referenceMarkov.mfptError(a, b),
                            r.generatedMarkov.mfpt(a, b), r.generatedMarkov.mfptError(a, b));
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

    private static ArrayNode dwellJson(DwellTimes d, ObjectMapper mapper) {
        ArrayNode a = mapper.createArrayNode();
        for (int s = 0; s < d.numberOfStates(); s++) {
            ObjectNode o = a.addObject();
            o.put("state", s);
            o.put("runs", d.runs(s));
            putNumber(o, "meanFrames", d.meanDwell(s));
            ArrayNode h = o.putArray("runsByLengthLog2");
            int last = DwellTimes.BINS - 1;
            while (last > 0 && d.histogram(s, last) == 0) {
                last--;
            }
            for (int b = 0; b <= last; b++) {
                h.add(d.histogram(s, b));
            }
        }
        return a;
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
                + "(%.2f%%); %d frames dropped (%d whole trajectories).%n%n", r.pipeline.filter().stage().label(),
                f.transitionsBefore(), f.transitionsAfter(), f.framesRelabelled(), f.framesIn(),
                f.framesIn() == 0 ? 0.0 : 100.0 * f.framesRelabelled() / f.framesIn(), f.framesDropped(),
                f.trajectoriesDropped()));
        if (f.dwellBefore().numberOfStates() <= 20 && f.dwellAfter().numberOfStates() <= 20) {
            md.append("Stays in each state (runs of consecutive frames) before and after filtering:\n\n"
                    + "| state | runs before | mean frames before | runs after | mean frames after |\n"
                    + "|---|---|---|---|---|\n");
            for (int s = 0; s < Math.max(f.dwellBefore().numberOfStates(), f.dwellAfter().numberOfStates()); s++) {
                md.append("| ").append(s).append(" | ").append(dwell(f.dwellBefore(), s)).append(" | ")
                        .append(dwell(f.dwellAfter(), s)).append(" |\n");
            }
            md.append('\n');
        }
        md.append("Transitions counted at commit time t (a stay counts when it lasts at least t frames; transitions "
                + "between consecutive stays in different states):\n\n| t (frames) | reference | generated |\n"
                + "|---|---|---|\n");
        List<Integer> times = r.pipeline.kinetics().get(Pipeline.COMMIT_TIMES);
        for (int x = 0; x < times.size(); x++) {
            long g = r.generatedCommitted[x];
            md.append("| ").append(times.get(x)).append(" | ").append(r.referenceCommitted[x]).append(" | ")
                    .append(g < 0 ? "n/a" : Long.toString(g)).append(" |\n");
        }
        md.append('\n');

        if (!r.partitionNotes.isEmpty()) {
            md.append("## Partition\n\n");
            for (String note : r.partitionNotes) {
                md.append("- ").append(note).append('\n');
            }
            md.append('\n');
        }

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

        double scale = gen.frameInterval() / ref.frameInterval();
        md.append("## Mean first-passage times\n\n");
        if (!reportMfpt(r)) {
            md.append("Not reported: ").append(n).append(" states is more than kinetics.maxMfptStates = ")
                    .append(r.pipeline.kinetics().get(Pipeline.MAX_MFPT_STATES)).append(".\n\n");
        } else {
            int msmLag = r.pipeline.kinetics().get(Pipeline.MSM_LAG);
            md.append("In frames of the reference (multiply by " + fmt(ref.frameInterval()) + " for " + ref.timeUnit()
                    + "). Direct: a passage a -> b starts at the first frame in a after the last visit to b and ends at "
                    + "the next frame in b; MFPT = (time of completed passages + time cut off by trajectory ends) / "
                    + "completed passages; n = completed passages. MSM: linear solve on a Markov model at lag "
                    + msmLag + " frames.\n\n");
            md.append("| from -> to | direct reference | n ref | direct generated | n gen | relative error "
                    + "| MSM reference | MSM generated | MSM relative error |\n");
            md.append("|---|---|---|---|---|---|---|---|---|\n");
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    if (a == b) {
                        continue;
                    }
                    MarkovAnalysis rm = r.referenceMarkov, gm = r.generatedMarkov;
                    md.append("| ").append(a).append(" -> ").append(b).append(" | ")
                            .append(pm(ref.mfpt(a, b), ref.mfptError(a, b), 0)).append(" | ")
                            .append(ref.passages(a, b)).append(" | ")
                            .append(pm(scale * gen.mfpt(a, b), scale * gen.mfptError(a, b), 0)).append(" | ")
                            .append(gen.passages(a, b)).append(" | ")
                            .append(rel(ref.mfpt(a, b), ref.mfptError(a, b), scale * gen.mfpt(a, b),
                                    scale * gen.mfptError(a, b)))
                            .append(" | ").append(pm(rm.mfpt(a, b), rm.mfptError(a, b), 0)).append(" | ")
                            .append(pm(gm.mfpt(a, b), gm.mfptError(a, b), 0)).append(" | ")
                            .append(rel(rm.mfpt(a, b), rm.mfptError(a, b), gm.mfpt(a, b), gm.mfptError(a, b)))
                            .append(" |\n");
                }
            }
            if (r.generatedMarkov.mfptNote != null) {
                md.append("\nMSM MFPTs of the generated trajectories: ").append(r.generatedMarkov.mfptNote)
                        .append('\n');
            }
            md.append('\n');
        }

        int count = r.pipeline.kinetics().get(Pipeline.TIMESCALES);
        md.append("## Implied timescales (frames of the reference)\n\n");
        md.append("Markov models at each lag (").append(r.pipeline.kinetics().get(Pipeline.REVERSIBLE) ? "reversible"
                : "non-reversible").append(" estimate); a Markovian state decomposition gives timescales flat in the "
                        + "lag.\n\n| lag |");
        for (int k = 1; k <= count; k++) {
            md.append(" t").append(k).append(" reference | t").append(k).append(" generated |");
        }
        md.append("\n|---|");
        for (int k = 0; k < count; k++) {
            md.append("---|---|");
        }
        md.append('\n');
        for (int lag : r.pipeline.kinetics().get(Pipeline.LAGS)) {
            md.append("| ").append(lag).append(" |");
            for (int k = 0; k < count; k++) {
                md.append(' ').append(pm(r.referenceMarkov.timescale(lag, k), r.referenceMarkov.timescaleError(lag, k),
                        0)).append(" | ").append(pm(r.generatedMarkov.timescale(lag, k),
                                r.generatedMarkov.timescaleError(lag, k), 0)).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');

        md.append("## Chapman-Kolmogorov test (states as sets, MSM lag ")
                .append(r.pipeline.kinetics().get(Pipeline.MSM_LAG)).append(" frames)\n\n");
        if (r.referenceMarkov.ck == null) {
            md.append("Not run: too many states, or trajectories shorter than 10 MSM lags.\n\n");
        } else {
            md.append("Probability to be in the same state after k lags, starting from the stationary distribution "
                    + "within it: predicted T(lag)^k / estimated at lag k x lag. Markovian: the two agree.\n\n");
            md.append("| state | k | reference predicted | reference estimated | generated predicted "
                    + "| generated estimated |\n|---|---|---|---|---|---|\n");
            ChapmanKolmogorovTest rc = r.referenceMarkov.ck, gc = r.generatedMarkov.ck;
            for (int a = 0; a < n; a++) {
                for (int x = 0; x < MarkovAnalysis.CK_MULTIPLES.length; x++) {
                    md.append("| ").append(a).append(" | ").append(MarkovAnalysis.CK_MULTIPLES[x]).append(" | ")
                            .append(pm(rc.predicted(x, a, a), Double.NaN, 4)).append(" | ")
                            .append(pm(rc.estimated(x, a, a), Double.NaN, 4)).append(" | ")
                            .append(gc == null ? "n/a" : pm(gc.predicted(x, a, a), Double.NaN, 4)).append(" | ")
                            .append(gc == null ? "n/a" : pm(gc.estimated(x, a, a), Double.NaN, 4)).append(" |\n");
                }
            }
            md.append('\n');
        }

        if (n <= 12) {
            md.append("## Transition counts over one frame of each (reference / generated)\n\n| from \\ to |");
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

        comparison(r, md);
        training(r, md);
        md.append("## Time per stage (s)\n\n| stage | seconds |\n|---|---|\n");
        r.stageSeconds.forEach((k, v) -> md.append("| ").append(k).append(" | ")
                .append(String.format(Locale.ROOT, "%.2f", v)).append(" |\n"));
        return md.toString();
    }

    /** Generated transitions a -> b (a != b, one step) of pairs the reference never makes in one frame. */
    static long spurious(KineticsSummary ref, KineticsSummary gen) {
        long total = 0;
        for (int a = 0; a < ref.numberOfStates(); a++) {
            for (int b = 0; b < ref.numberOfStates(); b++) {
                if (a != b && ref.count(a, b) == 0) {
                    total += gen.count(a, b);
                }
            }
        }
        return total;
    }

    /** The model next to the Markov baseline and the reference. */
    private static void comparison(RunResult r, StringBuilder md) {
        KineticsSummary ref = r.reference, gen = r.generated, base = r.baseline;
        if (base == null) {
            return;
        }
        int n = ref.numberOfStates();
        double genScale = gen.frameInterval() / ref.frameInterval(), baseScale = r.baselineStep;
        md.append("## Model, Markov baseline and reference\n\n");
        md.append("The Markov baseline (train.markov, lag 1, reversible) is trained on the same reference states and "
                + "generates as many trajectories of the same lengths. MFPTs in frames of the reference; relative "
                + "errors in brackets.\n\n");
        md.append("| measure | reference | ").append(r.pipeline.trainer().stage().id())
                .append(" | Markov baseline |\n|---|---|---|---|\n");
        for (int s = 0; s < n; s++) {
            md.append("| population ").append(s).append(" | ").append(pm(ref.population(s), ref.populationError(s), 4))
                    .append(" | ").append(pm(gen.population(s), gen.populationError(s), 4)).append(" (")
                    .append(relative(ref.population(s), gen.population(s))).append(") | ")
                    .append(pm(base.population(s), base.populationError(s), 4)).append(" (")
                    .append(relative(ref.population(s), base.population(s))).append(") |\n");
        }
        if (reportMfpt(r)) {
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    if (a == b) {
                        continue;
                    }
                    md.append("| MFPT ").append(a).append(" -> ").append(b).append(" | ")
                            .append(pm(ref.mfpt(a, b), ref.mfptError(a, b), 0)).append(" | ")
                            .append(pm(genScale * gen.mfpt(a, b), genScale * gen.mfptError(a, b), 0)).append(" (")
                            .append(relative(ref.mfpt(a, b), genScale * gen.mfpt(a, b))).append(") | ")
                            .append(pm(baseScale * base.mfpt(a, b), baseScale * base.mfptError(a, b), 0))
                            .append(" (").append(relative(ref.mfpt(a, b), baseScale * base.mfpt(a, b)))
                            .append(") |\n");
                }
            }
        }
        md.append("| transitions that never occur in the reference (events) | 0 | ")
                .append(genScale == 1 ? Long.toString(spurious(ref, gen)) : "n/a").append(" | ")
                .append(baseScale == 1 ? Long.toString(spurious(ref, base)) : "n/a").append(" |\n\n");
    }

    private static String relative(double ref, double value) {
        return Double.isFinite(ref) && Double.isFinite(value) && ref != 0
                ? String.format(Locale.ROOT, "%+.1f%%", 100 * (value - ref) / ref) : "n/a";
    }

    /** The training log of models trained in epochs. */
    private static void training(RunResult r, StringBuilder md) {
        org.slowdyn.core.TrainingLog log = r.trainingLog;
        if (log == null) {
            return;
        }
        md.append("## Training\n\n");
        for (String note : log.notes()) {
            md.append("- ").append(note).append('\n');
        }
        md.append("- ").append(log.stopReason()).append("; parameters of epoch ").append(log.keptEpoch())
                .append(" kept\n\n| epoch | training loss (nats/frame) | validation loss | seconds |\n"
                        + "|---|---|---|---|\n");
        for (org.slowdyn.core.TrainingLog.Epoch e : log.epochs()) {
            md.append(String.format(Locale.ROOT, "| %d | %.5f | %s | %.1f |%n", e.epoch(), e.trainingLoss(),
                    Double.isNaN(e.validationLoss()) ? "n/a" : String.format(Locale.ROOT, "%.5f",
                            e.validationLoss()), e.seconds()));
        }
        md.append('\n');
    }

    private static String dwell(DwellTimes d, int s) {
        if (s >= d.numberOfStates()) {
            return "- | -";
        }
        return d.runs(s) + " | " + (Double.isFinite(d.meanDwell(s)) ? String.format(Locale.ROOT, "%.1f",
                d.meanDwell(s)) : "n/a");
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
