package org.slowdyn.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.slowdyn.app.report.Chart;
import org.slowdyn.app.report.Content;
import org.slowdyn.app.report.ContentSection;
import org.slowdyn.app.report.Format;
import org.slowdyn.app.report.Report;
import org.slowdyn.app.report.ReportSection;
import org.slowdyn.app.report.Table;
import org.slowdyn.core.DwellTimes;
import org.slowdyn.core.FilterResult;
import org.slowdyn.core.TrainingLog;
import org.slowdyn.kinetics.ChapmanKolmogorovTest;
import org.slowdyn.kinetics.ComparisonOptions;
import org.slowdyn.kinetics.DwellDistribution;
import org.slowdyn.kinetics.KineticsComparison;
import org.slowdyn.kinetics.KineticsMeasures;
import org.slowdyn.kinetics.MarkovMeasures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The report of one run as a list of sections: {@code report.json}, {@code report.md} and {@code report.html}. Each
 * section renders one measure of the {@link KineticsComparison} three ways; none computes anything.
 */
public final class RunReport {
    private RunReport() {
    }

    /** The sections of a run's report, in the order they appear. */
    public static List<ReportSection> sections(RunResult r) {
        return List.of(new Overview(r), new Filter(r), new PartitionNotes(r), new Populations(r), new Mfpt(r),
                new Comparison(r), new Timescales(r), new ChapmanKolmogorov(r), new Dwell(r), new CommitTimes(r),
                new Counts(r), new Training(r), new Timing(r));
    }

    public static Report of(RunResult r) {
        return new Report("SlowDyn run: " + r.pipeline().name(), "slowdyn-report v2", sections(r));
    }

    /** Reference, the model and (when there is one) the baseline. */
    static List<KineticsMeasures> all(RunResult r) {
        List<KineticsMeasures> all = new ArrayList<>();
        all.add(r.reference());
        all.addAll(r.comparison().generators());
        return all;
    }

    /** A stage's id; "input.dtrajs" where the input gave the states. */
    static String id(org.slowdyn.core.settings.NestedStage<?> stage) {
        return stage == null ? "input.dtrajs" : stage.stage().id();
    }

    abstract static class RunSection extends ContentSection {
        final RunResult r;
        final KineticsComparison c;
        final int n;

        RunSection(RunResult r) {
            this.r = r;
            this.c = r.comparison();
            this.n = c.numberOfStates();
        }
    }

    static final class Overview extends RunSection {
        Overview(RunResult r) {
            super(r);
        }

        @Override
        public void json(ObjectNode root) {
            KineticsMeasures ref = r.reference(), gen = r.generated();
            root.put("name", r.pipeline().name());
            root.put("input", r.inputDescription());
            root.put("frameInterval", ref.sequences().get(0).frameInterval());
            root.put("timeUnit", ref.sequences().get(0).timeUnit());
            root.put("referenceTrajectories", ref.trajectories());
            root.put("referenceFrames", ref.frames());
            root.put("generatedTrajectories", gen.trajectories());
            root.put("generatedFrames", gen.frames());
            root.put("generatedStepFrames", gen.step());
            ObjectNode stages = root.putObject("stages");
            stages.put("featurizer", id(r.pipeline().featurizer()));
            stages.put("partition", id(r.pipeline().partition()));
            stages.put("filter", r.pipeline().filter().stage().id());
            stages.put("trainer", r.pipeline().trainer().stage().id());
            if (r.baseline() != null) {
                stages.put("baseline", r.baseline().name());
            }
            ObjectNode seeds = root.putObject("seeds");
            r.seeds().forEach(seeds::put);
        }

        @Override
        protected void content(Content c) {
            KineticsMeasures ref = r.reference(), gen = r.generated();
            Pipeline p = r.pipeline();
            c.bullets(List.of("Input: " + r.inputDescription(),
                    "Stages: featurizer `" + id(p.featurizer()) + "`, stride " + p.stride() + ", partition `"
                            + id(p.partition()) + "`, recrossing filter `" + p.filter().stage().id()
                            + "`, trainer `" + p.trainer().stage().id() + "`"
                            + (r.baseline() == null ? "" : ", baseline `" + r.baseline().name() + "`"),
                    String.format(Locale.ROOT, "Reference: %d trajectories, %d frames; generated: %d trajectories, "
                            + "%d frames of %d reference frames each; frame interval %s %s", ref.trajectories(),
                            ref.frames(), gen.trajectories(), gen.frames(), gen.step(),
                            Format.plain(ref.sequences().get(0).frameInterval()), ref.sequences().get(0).timeUnit()),
                    "Master seed " + p.seed() + " (derived seeds in manifest.json)"));
            c.paragraph("Uncertainties are bootstrap standard errors over trajectories (over blocks when there are "
                    + "fewer than 10). Relative error = (generated - reference) / reference. Times are in frames of "
                    + "the reference unless a unit is given.");
        }
    }

    static final class Filter extends RunSection {
        Filter(RunResult r) {
            super(r);
        }

        @Override
        public void json(ObjectNode root) {
            FilterResult f = r.filterResult();
            ObjectNode filter = root.putObject("filter");
            filter.put("transitionsBefore", f.transitionsBefore());
            filter.put("transitionsAfter", f.transitionsAfter());
            filter.put("framesRelabelled", f.framesRelabelled());
            filter.put("framesDropped", f.framesDropped());
            filter.put("framesIn", f.framesIn());
            filter.put("trajectoriesDropped", f.trajectoriesDropped());
            filter.set("dwellBefore", dwellJson(f.dwellBefore(), filter.arrayNode()));
            filter.set("dwellAfter", dwellJson(f.dwellAfter(), filter.arrayNode()));
        }

        private static ArrayNode dwellJson(DwellTimes d, ArrayNode a) {
            for (int s = 0; s < d.numberOfStates(); s++) {
                ObjectNode o = a.addObject();
                o.put("state", s);
                o.put("runs", d.runs(s));
                Format.put(o, "meanFrames", d.meanDwell(s));
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

        @Override
        protected void content(Content c) {
            FilterResult f = r.filterResult();
            c.heading("Recrossing filter");
            c.paragraph(String.format(Locale.ROOT, "%s: state changes %d before, %d after; %d of %d frames "
                    + "relabelled (%.2f%%); %d frames dropped (%d whole trajectories).",
                    r.pipeline().filter().stage().label(), f.transitionsBefore(), f.transitionsAfter(),
                    f.framesRelabelled(), f.framesIn(), f.framesIn() == 0 ? 0.0 : 100.0 * f.framesRelabelled()
                            / f.framesIn(), f.framesDropped(), f.trajectoriesDropped()));
            int states = Math.max(f.dwellBefore().numberOfStates(), f.dwellAfter().numberOfStates());
            if (states <= 20) {
                c.paragraph("Stays in each state (runs of consecutive frames) before and after filtering:");
                Table t = new Table("state", "runs before", "mean frames before", "runs after", "mean frames after");
                for (int s = 0; s < states; s++) {
                    t.row(s, runs(f.dwellBefore(), s), mean(f.dwellBefore(), s), runs(f.dwellAfter(), s),
                            mean(f.dwellAfter(), s));
                }
                c.table(t);
            }
        }

        private static String runs(DwellTimes d, int s) {
            return s < d.numberOfStates() ? Long.toString(d.runs(s)) : "-";
        }

        private static String mean(DwellTimes d, int s) {
            return s < d.numberOfStates() ? Format.number(d.meanDwell(s), 1) : "-";
        }
    }

    static final class PartitionNotes extends RunSection {
        PartitionNotes(RunResult r) {
            super(r);
        }

        @Override
        public void json(ObjectNode root) {
            ArrayNode notes = root.putArray("partitionNotes");
            r.partitionNotes().forEach(notes::add);
        }

        @Override
        protected void content(Content c) {
            if (!r.partitionNotes().isEmpty()) {
                c.heading("Partition").bullets(r.partitionNotes());
            }
        }
    }

    static final class Populations extends RunSection {
        Populations(RunResult r) {
            super(r);
        }

        @Override
        public void json(ObjectNode root) {
            ArrayNode states = root.putArray("states");
            double[] expected = r.expectedPopulations();
            for (int s = 0; s < n; s++) {
                ObjectNode st = states.addObject();
                st.put("index", s);
                st.put("label", r.stateLabels().get(s));
                if (expected != null) {
                    st.put("boltzmannPopulation", expected[s]);
                }
                ObjectNode pop = st.putObject("population");
                KineticsMeasures ref = r.reference(), gen = r.generated();
                Format.putComparison(pop, ref.population(s), ref.populationError(s), gen.population(s),
                        gen.populationError(s));
                if (r.baseline() != null) {
                    Format.put(pop, "baseline", r.baseline().population(s));
                    Format.put(pop, "baselineError", r.baseline().populationError(s));
                }
            }
        }

        @Override
        protected void content(Content c) {
            double[] expected = r.expectedPopulations();
            List<String> header = new ArrayList<>(List.of("state", "label"));
            if (expected != null) {
                header.add("Boltzmann (grid integral, unfiltered partition)");
            }
            all(r).forEach(m -> header.add(m.name()));
            header.add("relative error of " + r.generated().name());
            Table t = new Table(header);
            for (int s = 0; s < n; s++) {
                List<String> row = new ArrayList<>(List.of(Integer.toString(s), r.stateLabels().get(s)));
                if (expected != null) {
                    row.add(Format.number(expected[s], 4));
                }
                for (KineticsMeasures m : all(r)) {
                    row.add(Format.pm(m.population(s), m.populationError(s), 4));
                }
                KineticsMeasures ref = r.reference(), gen = r.generated();
                row.add(Format.relative(ref.population(s), ref.populationError(s), gen.population(s),
                        gen.populationError(s)));
                t.row(row);
            }
            c.heading("Populations").table(t);
            if (n <= 40) {
                c.chart(() -> {
                    List<String> states = new ArrayList<>();
                    for (int s = 0; s < n; s++) {
                        states.add(Integer.toString(s));
                    }
                    List<Chart.Bars> bars = new ArrayList<>();
                    if (expected != null) {
                        bars.add(new Chart.Bars("Boltzmann", states, expected, null));
                    }
                    for (KineticsMeasures m : all(r)) {
                        double[] v = new double[n], e = new double[n];
                        for (int s = 0; s < n; s++) {
                            v[s] = m.population(s);
                            e[s] = m.populationError(s);
                        }
                        bars.add(new Chart.Bars(m.name(), states, v, e));
                    }
                    return Chart.bars("Populations", "state", "population", bars);
                }, "Population of each state, with bootstrap standard errors");
            }
        }
    }

    static final class Mfpt extends RunSection {
        Mfpt(RunResult r) {
            super(r);
        }

        @Override
        public void json(ObjectNode root) {
            ArrayNode mfpt = root.putArray("mfpt");
            if (!c.pairwiseMfpts()) {
                return;
            }
            KineticsMeasures ref = r.reference(), gen = r.generated();
            MarkovMeasures rm = ref.markov(), gm = gen.markov();
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    if (a != b) {
                        ObjectNode m = mfpt.addObject();
                        m.put("from", a);
                        m.put("to", b);
                        m.put("unit", "frames");
                        Format.putComparison(m, ref.mfpt(a, b), ref.mfptError(a, b), gen.mfpt(a, b),
                                gen.mfptError(a, b));
                        m.put("referencePassages", ref.passages(a, b));
                        m.put("generatedPassages", gen.passages(a, b));
                        if (r.baseline() != null) {
                            Format.put(m, "baseline", r.baseline().mfpt(a, b));
                            Format.put(m, "baselineError", r.baseline().mfptError(a, b));
                        }
                        m.put("msmLag", c.options().msmLag());
                        Format.putComparison(m.putObject("msm"), rm.mfpt(a, b), rm.mfptError(a, b), gm.mfpt(a, b),
                                gm.mfptError(a, b));
                    }
                }
            }
        }

        @Override
        protected void content(Content out) {
            out.heading("Mean first-passage times");
            if (!c.pairwiseMfpts()) {
                out.paragraph("Not reported: " + n + " states is more than kinetics.maxMfptStates = "
                        + c.options().maxMfptStates() + ".");
                return;
            }
            KineticsMeasures ref = r.reference(), gen = r.generated();
            double dt = ref.sequences().get(0).frameInterval();
            out.paragraph("In frames of the reference (multiply by " + Format.plain(dt) + " for "
                    + ref.sequences().get(0).timeUnit() + "). Two definitions answer two questions. Direct MFPT "
                    + "(how long, in these trajectories, from entering a until first reaching b): a passage a -> b "
                    + "starts at the first frame in a after the last visit to b and ends at the next frame in b; "
                    + "MFPT = (time of completed passages + time cut off by trajectory ends) / completed passages; "
                    + "n = completed passages. MSM MFPT (the same question asked of a Markov model at lag "
                    + c.options().msmLag() + " frames, from a's stationary distribution, by a linear solve): quote it "
                    + "when passages are few or trajectories short; it assumes the states are Markovian at that lag, "
                    + "which the Chapman-Kolmogorov test below checks.");
            MarkovMeasures rm = ref.markov(), gm = gen.markov();
            Table t = new Table("from -> to", "direct reference", "n ref", "direct " + gen.name(), "n gen",
                    "relative error", "MSM reference", "MSM " + gen.name(), "MSM relative error");
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    if (a != b) {
                        t.row(a + " -> " + b, Format.pm(ref.mfpt(a, b), ref.mfptError(a, b), 0),
                                ref.passages(a, b), Format.pm(gen.mfpt(a, b), gen.mfptError(a, b), 0),
                                gen.passages(a, b), Format.relative(ref.mfpt(a, b), ref.mfptError(a, b),
                                        gen.mfpt(a, b), gen.mfptError(a, b)),
                                Format.pm(rm.mfpt(a, b), rm.mfptError(a, b), 0),
                                Format.pm(gm.mfpt(a, b), gm.mfptError(a, b), 0),
                                Format.relative(rm.mfpt(a, b), rm.mfptError(a, b), gm.mfpt(a, b), gm.mfptError(a, b)));
                    }
                }
            }
            out.table(t);
            if (gm.note() != null) {
                out.paragraph("MSM MFPTs of the generated trajectories: " + gm.note());
            }
            out.chart(() -> {
                List<String> pairs = new ArrayList<>();
                for (int a = 0; a < n; a++) {
                    for (int b = 0; b < n; b++) {
                        if (a != b) {
                            pairs.add(a + "→" + b);
                        }
                    }
                }
                List<Chart.Bars> bars = new ArrayList<>();
                for (KineticsMeasures m : all(r)) {
                    double[] v = new double[pairs.size()], e = new double[pairs.size()];
                    int i = 0;
                    for (int a = 0; a < n; a++) {
                        for (int b = 0; b < n; b++) {
                            if (a != b) {
                                v[i] = m.mfpt(a, b);
                                e[i++] = m.mfptError(a, b);
                            }
                        }
                    }
                    bars.add(new Chart.Bars(m.name(), pairs, v, e));
                }
                return Chart.bars("Direct MFPTs", "from → to", "MFPT (frames of the reference)", bars);
            }, "Direct MFPT between every pair of states: reference, model and baseline, with bootstrap standard "
                    + "errors");
        }
    }

    static final class Comparison extends RunSection {
        Comparison(RunResult r) {
            super(r);
        }

        @Override
        public void json(ObjectNode root) {
            KineticsMeasures base = r.baseline();
            long spurious = c.spuriousTransitions(r.generated());
            if (spurious >= 0) {
                root.put("generatedSpuriousTransitions", spurious);
            }
            if (base == null) {
                return;
            }
            ObjectNode b = root.putObject("baseline");
            b.put("trainer", base.name());
            b.put("stepFrames", base.step());
            ArrayNode pops = b.putArray("populations");
            for (int s = 0; s < n; s++) {
                pops.addObject().put("state", s).put("value", base.population(s)).put("error",
                        base.populationError(s));
            }
            if (c.pairwiseMfpts()) {
                ArrayNode m = b.putArray("mfpt");
                for (int a = 0; a < n; a++) {
                    for (int t = 0; t < n; t++) {
                        if (a != t) {
                            ObjectNode e = m.addObject().put("from", a).put("to", t);
                            Format.put(e, "value", base.mfpt(a, t));
                            Format.put(e, "error", base.mfptError(a, t));
                        }
                    }
                }
            }
            long baseSpurious = c.spuriousTransitions(base);
            if (baseSpurious >= 0) {
                b.put("spuriousTransitions", baseSpurious);
            }
        }

        @Override
        protected void content(Content out) {
            KineticsMeasures ref = r.reference(), gen = r.generated(), base = r.baseline();
            if (base == null) {
                return;
            }
            out.heading("Model, baseline and reference");
            out.paragraph("The baseline (" + base.name() + ", its default settings) is trained on the same reference "
                    + "states and generates as many trajectories of the same lengths. MFPTs in frames of the "
                    + "reference; relative errors in brackets.");
            Table t = new Table("measure", "reference", gen.name(), "baseline " + base.name());
            for (int s = 0; s < n; s++) {
                t.row("population " + s, Format.pm(ref.population(s), ref.populationError(s), 4),
                        Format.pm(gen.population(s), gen.populationError(s), 4) + " ("
                                + Format.relative(ref.population(s), gen.population(s)) + ")",
                        Format.pm(base.population(s), base.populationError(s), 4) + " ("
                                + Format.relative(ref.population(s), base.population(s)) + ")");
            }
            if (c.pairwiseMfpts()) {
                for (int a = 0; a < n; a++) {
                    for (int b = 0; b < n; b++) {
                        if (a != b) {
                            t.row("MFPT " + a + " -> " + b, Format.pm(ref.mfpt(a, b), ref.mfptError(a, b), 0),
                                    Format.pm(gen.mfpt(a, b), gen.mfptError(a, b), 0) + " ("
                                            + Format.relative(ref.mfpt(a, b), gen.mfpt(a, b)) + ")",
                                    Format.pm(base.mfpt(a, b), base.mfptError(a, b), 0) + " ("
                                            + Format.relative(ref.mfpt(a, b), base.mfpt(a, b)) + ")");
                        }
                    }
                }
            }
            t.row("transitions that never occur in the reference (events)", "0", spurious(gen), spurious(base));
            out.table(t);
        }

        private String spurious(KineticsMeasures m) {
            long s = c.spuriousTransitions(m);
            return s < 0 ? "n/a (other frame interval)" : Long.toString(s);
        }
    }

    static final class Timescales extends RunSection {
        Timescales(RunResult r) {
            super(r);
        }

        @Override
        public void json(ObjectNode root) {
            ArrayNode its = root.putArray("impliedTimescales");
            MarkovMeasures rm = r.reference().markov(), gm = r.generated().markov();
            for (int lag : c.options().lags()) {
                ObjectNode row = its.addObject();
                row.put("lag", lag);
                row.put("unit", "frames");
                ArrayNode list = row.putArray("timescales");
                for (int k = 0; k < c.options().timescales(); k++) {
                    ObjectNode o = list.addObject();
                    Format.putComparison(o, rm.timescale(lag, k), rm.timescaleError(lag, k), gm.timescale(lag, k),
                            gm.timescaleError(lag, k));
                    if (r.baseline() != null) {
                        Format.put(o, "baseline", r.baseline().markov().timescale(lag, k));
                        Format.put(o, "baselineError", r.baseline().markov().timescaleError(lag, k));
                    }
                }
            }
        }

        @Override
        protected void content(Content out) {
            int count = c.options().timescales();
            out.heading("Implied timescales (frames of the reference)");
            out.paragraph("Markov models at each lag (" + (c.options().reversible() ? "reversible" : "non-reversible")
                    + " estimate); a Markovian state decomposition gives timescales flat in the lag.");
            List<String> header = new ArrayList<>(List.of("lag"));
            List<KineticsMeasures> sets = all(r);
            for (int k = 1; k <= count; k++) {
                for (KineticsMeasures m : sets) {
                    header.add("t" + k + " " + m.name());
                }
            }
            Table t = new Table(header);
            for (int lag : c.options().lags()) {
                List<String> row = new ArrayList<>(List.of(Integer.toString(lag)));
                for (int k = 0; k < count; k++) {
                    for (KineticsMeasures m : sets) {
                        row.add(Format.pm(m.markov().timescale(lag, k), m.markov().timescaleError(lag, k), 0));
                    }
                }
                t.row(row);
            }
            out.table(t);
            out.chart(() -> {
                List<Chart.Line> lines = new ArrayList<>();
                double[] lags = java.util.Arrays.stream(c.options().lags()).asDoubleStream().toArray();
                for (int k = 0; k < Math.min(count, 2); k++) {
                    for (KineticsMeasures m : sets) {
                        double[] y = new double[lags.length], e = new double[lags.length];
                        for (int i = 0; i < lags.length; i++) {
                            y[i] = m.markov().timescale((int) lags[i], k);
                            e[i] = m.markov().timescaleError((int) lags[i], k);
                        }
                        lines.add(new Chart.Line("t" + (k + 1) + " " + m.name(), lags, y, e, k > 0));
                    }
                }
                return Chart.lines("Implied timescales", "lag (frames)", "timescale (frames)", true, true, lines);
            }, "The two slowest implied timescales over lag (t2 dashed), with bootstrap error bands");
        }
    }

    static final class ChapmanKolmogorov extends RunSection {
        ChapmanKolmogorov(RunResult r) {
            super(r);
        }

        @Override
        public void json(ObjectNode root) {
            ChapmanKolmogorovTest rc = r.reference().markov().chapmanKolmogorov();
            if (rc == null) {
                return;
            }
            ChapmanKolmogorovTest gc = r.generated().markov().chapmanKolmogorov();
            ArrayNode ck = root.putArray("chapmanKolmogorov");
            int[] multiples = rc.multiples();
            for (int a = 0; a < n; a++) {
                for (int x = 0; x < multiples.length; x++) {
                    ObjectNode o = ck.addObject();
                    o.put("state", a);
                    o.put("multiple", multiples[x]);
                    Format.put(o, "referencePredicted", rc.predicted(x, a, a));
                    Format.put(o, "referenceEstimated", rc.estimated(x, a, a));
                    Format.put(o, "generatedPredicted", gc == null ? Double.NaN : gc.predicted(x, a, a));
                    Format.put(o, "generatedEstimated", gc == null ? Double.NaN : gc.estimated(x, a, a));
                }
            }
        }

        @Override
        protected void content(Content out) {
            ComparisonOptions o = c.options();
            out.heading("Chapman-Kolmogorov test (states as sets, MSM lag " + o.msmLag() + " frames)");
            ChapmanKolmogorovTest rc = r.reference().markov().chapmanKolmogorov();
            if (rc == null) {
                out.paragraph("Not run: too many states, or trajectories shorter than the largest multiple of the "
                        + "MSM lag.");
                return;
            }
            ChapmanKolmogorovTest gc = r.generated().markov().chapmanKolmogorov();
            out.paragraph("Probability to be in the same state after k lags, starting from the stationary "
                    + "distribution within it: predicted T(lag)^k / estimated at lag k x lag. Markovian: the two "
                    + "agree. " + (r.pipeline().kinetics().get(Pipeline.CK_MULTIPLES).isEmpty() ? "The lags reach up to three times the reference's "
                            + "slowest implied timescale (" + Format.number(r.reference().markov().timescale(
                                    o.msmLag(), 0), 0) + " frames at the MSM lag, where estimated), so that a "
                            + "model whose states are not Markovian fails it." : ""));
            Table t = new Table("state", "k", "reference predicted", "reference estimated",
                    r.generated().name() + " predicted", r.generated().name() + " estimated");
            int[] multiples = rc.multiples();
            for (int a = 0; a < n; a++) {
                for (int x = 0; x < multiples.length; x++) {
                    t.row(a, multiples[x], Format.number(rc.predicted(x, a, a), 4),
                            Format.number(rc.estimated(x, a, a), 4),
                            gc == null ? "n/a" : Format.number(gc.predicted(x, a, a), 4),
                            gc == null ? "n/a" : Format.number(gc.estimated(x, a, a), 4));
                }
            }
            out.table(t);
            if (n <= 8) {
                out.chart(() -> {
                    List<Chart.Line> lines = new ArrayList<>();
                    double[] lags = java.util.Arrays.stream(multiples).mapToDouble(k -> (double) k * o.msmLag())
                            .toArray();
                    for (int a = 0; a < n; a++) {
                        double[] p = new double[multiples.length], e = new double[multiples.length];
                        for (int x = 0; x < multiples.length; x++) {
                            p[x] = rc.predicted(x, a, a);
                            e[x] = rc.estimated(x, a, a);
                        }
                        lines.add(new Chart.Line("state " + a + " estimated", lags, e, null, false));
                        lines.add(new Chart.Line("state " + a + " predicted", lags, p, null, true));
                    }
                    return Chart.lines("Chapman-Kolmogorov test of the reference", "time (frames)",
                            "probability to stay", false, false, lines);
                }, "Reference: probability to be in the starting state after k MSM lags, estimated directly (solid) "
                        + "and predicted by the model at one lag (dashed)");
            }
        }
    }

    static final class Dwell extends RunSection {
        Dwell(RunResult r) {
            super(r);
        }

        @Override
        public void json(ObjectNode root) {
            ArrayNode a = root.putArray("dwellTimes");
            DwellDistribution ref = r.reference().dwell();
            for (int s = 0; s < n; s++) {
                ObjectNode o = a.addObject();
                o.put("state", s);
                o.put("unit", "frames");
                for (KineticsMeasures m : all(r)) {
                    ObjectNode g = o.putObject(m == r.reference() ? "reference" : m.name());
                    DwellDistribution d = m.dwell();
                    g.put("stays", d.stays(s));
                    Format.put(g, "meanFrames", d.mean(s));
                    Format.put(g, "fractionOneStep", d.fractionAtMost(s, m.step()));
                    if (m != r.reference()) {
                        double[] ks = ref.kolmogorovSmirnov(s, d);
                        Format.put(g, "ksStatistic", ks[0]);
                        Format.put(g, "ksPValue", ks[1]);
                    }
                }
            }
        }

        @Override
        protected void content(Content out) {
            if (n > 40) {
                return;
            }
            out.heading("Dwell times");
            out.paragraph("Complete stays in each state (a different state before and after; stays cut by a "
                    + "trajectory's start or end are left out), in frames of the reference. \"one step\" is the "
                    + "fraction of stays that last a single frame of that generator: many one-step stays where the "
                    + "reference has few are flickers that MFPTs and lag-1 counts can hide. KS: two-sample "
                    + "Kolmogorov-Smirnov distance to the reference's stays and its p-value (conservative for whole "
                    + "frames with ties).");
            List<String> header = new ArrayList<>(List.of("state"));
            for (KineticsMeasures m : all(r)) {
                header.add(m.name() + " stays");
                header.add(m.name() + " mean");
                header.add(m.name() + " one step");
                if (m != r.reference()) {
                    header.add(m.name() + " KS D (p)");
                }
            }
            Table t = new Table(header);
            DwellDistribution ref = r.reference().dwell();
            for (int s = 0; s < n; s++) {
                List<String> row = new ArrayList<>(List.of(Integer.toString(s)));
                for (KineticsMeasures m : all(r)) {
                    DwellDistribution d = m.dwell();
                    row.add(Integer.toString(d.stays(s)));
                    row.add(Format.number(d.mean(s), 1));
                    row.add(Format.number(d.fractionAtMost(s, m.step()), 3));
                    if (m != r.reference()) {
                        double[] ks = ref.kolmogorovSmirnov(s, d);
                        row.add(Double.isFinite(ks[0]) ? String.format(Locale.ROOT, "%.3f (%.2g)", ks[0], ks[1])
                                : "n/a");
                    }
                }
                t.row(row);
            }
            out.table(t);
            if (n <= 6) {
                out.chart(() -> {
                    List<Chart.Line> lines = new ArrayList<>();
                    for (int s = 0; s < n; s++) {
                        for (KineticsMeasures m : all(r)) {
                            lines.add(survival("state " + s + " " + m.name(), m.dwell().lengths(s),
                                    m != r.reference()));
                        }
                    }
                    return Chart.lines("Dwell-time distributions", "stay (frames)", "fraction of stays longer",
                            true, true, lines);
                }, "Survival of stays: fraction of complete stays longer than t, per state; the reference solid, "
                        + "generators dashed");
            }
        }

        private static Chart.Line survival(String name, int[] sorted, boolean dashed) {
            double[][] p = survivalPoints(sorted, 1);
            return new Chart.Line(name, p[0], p[1], null, dashed);
        }
    }

    static final class CommitTimes extends RunSection {
        CommitTimes(RunResult r) {
            super(r);
        }

        @Override
        public void json(ObjectNode root) {
            ArrayNode commit = root.putArray("commitTimeTransitions");
            int[] times = c.options().commitTimes();
            for (int x = 0; x < times.length; x++) {
                ObjectNode o = commit.addObject();
                o.put("commitTime", times[x]);
                o.put("unit", "frames");
                for (KineticsMeasures m : all(r)) {
                    String key = m == r.reference() ? "reference" : m == r.generated() ? "generated" : "baseline";
                    if (m.committed(x) >= 0) {
                        o.put(key, m.committed(x));
                    } else {
                        o.putNull(key);
                    }
                }
            }
        }

        @Override
        protected void content(Content out) {
            out.heading("Transitions at commit times");
            out.paragraph("Transitions counted at commit time t (a stay counts when it lasts at least t frames of "
                    + "the reference; transitions between consecutive counted stays in different states). A "
                    + "generator whose count falls with t unlike the reference's makes short-lived visits.");
            List<String> header = new ArrayList<>(List.of("t (frames)"));
            all(r).forEach(m -> header.add(m.name()));
            Table t = new Table(header);
            int[] times = c.options().commitTimes();
            for (int x = 0; x < times.length; x++) {
                List<String> row = new ArrayList<>(List.of(Integer.toString(times[x])));
                for (KineticsMeasures m : all(r)) {
                    row.add(m.committed(x) < 0 ? "n/a" : Long.toString(m.committed(x)));
                }
                t.row(row);
            }
            out.table(t);
            out.chart(() -> {
                double[] x = java.util.Arrays.stream(times).asDoubleStream().toArray();
                List<Chart.Line> lines = new ArrayList<>();
                for (KineticsMeasures m : all(r)) {
                    double[] y = new double[times.length];
                    for (int i = 0; i < times.length; i++) {
                        y[i] = m.committed(i) < 0 ? Double.NaN : m.committed(i);
                    }
                    lines.add(new Chart.Line(m.name(), x, y, null, m != r.reference()));
                }
                return Chart.lines("Committed transitions", "commit time (frames)", "transitions", true, true,
                        lines);
            }, "Transitions between stays of at least t frames, over t");
        }
    }

    static final class Counts extends RunSection {
        Counts(RunResult r) {
            super(r);
        }

        @Override
        public void json(ObjectNode root) {
            ArrayNode counts = root.putArray("countsLag1");
            KineticsMeasures ref = r.reference(), gen = r.generated();
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    if (ref.count(a, b) > 0 || gen.count(a, b) > 0) {
                        counts.addObject().put("from", a).put("to", b).put("reference", ref.count(a, b))
                                .put("generated", gen.count(a, b));
                    }
                }
            }
        }

        @Override
        protected void content(Content out) {
            if (n > 12) {
                return;
            }
            out.heading("Transition counts over one frame of each (reference / generated)");
            List<String> header = new ArrayList<>(List.of("from \\ to"));
            for (int b = 0; b < n; b++) {
                header.add(Integer.toString(b));
            }
            Table t = new Table(header);
            for (int a = 0; a < n; a++) {
                List<String> row = new ArrayList<>(List.of(Integer.toString(a)));
                for (int b = 0; b < n; b++) {
                    row.add(r.reference().count(a, b) + " / " + r.generated().count(a, b));
                }
                t.row(row);
            }
            out.table(t);
        }
    }

    static final class Training extends RunSection {
        Training(RunResult r) {
            super(r);
        }

        @Override
        public void json(ObjectNode root) {
            TrainingLog log = r.trainingLog();
            if (log == null) {
                return;
            }
            trainingJson(log, root.putObject("training"));
        }

        @Override
        protected void content(Content out) {
            TrainingLog log = r.trainingLog();
            if (log == null) {
                return;
            }
            List<String> notes = new ArrayList<>(log.notes());
            notes.add(log.stopReason() + "; parameters of epoch " + log.keptEpoch() + " kept");
            out.heading("Training").bullets(notes);
            Table t = new Table("epoch", "training loss (nats/frame)", "validation loss", "seconds");
            for (TrainingLog.Epoch e : log.epochs()) {
                t.row(e.epoch(), Format.number(e.trainingLoss(), 5), Format.number(e.validationLoss(), 5),
                        Format.number(e.seconds(), 1));
            }
            out.table(t);
            out.chart(() -> learningCurves(List.of(log), List.of("")), "Loss per epoch (nats per frame)");
        }
    }

    /**
     * The fraction of stays longer than t, at each distinct length (fewer than 120 points): {t, fraction}, with t the
     * length times {@code scale}.
     */
    static double[][] survivalPoints(int[] sorted, double scale) {
        List<double[]> points = new ArrayList<>();
        int step = Math.max(1, sorted.length / 60);
        for (int i = 0; i < sorted.length; i += step) {
            int j = i;
            while (j < sorted.length && sorted[j] == sorted[i]) {
                j++;
            }
            points.add(new double[] { sorted[i] * scale, (sorted.length - j) / (double) sorted.length });
        }
        return new double[][] { points.stream().mapToDouble(q -> q[0]).toArray(),
                points.stream().mapToDouble(q -> q[1]).toArray() };
    }

    /** A training log as JSON: the kept epoch, why training stopped, each epoch's losses and seconds, the notes. */
    static ObjectNode trainingJson(TrainingLog log, ObjectNode t) {
        t.put("keptEpoch", log.keptEpoch());
        t.put("stopReason", log.stopReason());
        ArrayNode epochs = t.putArray("epochs");
        for (TrainingLog.Epoch e : log.epochs()) {
            ObjectNode o = epochs.addObject().put("epoch", e.epoch()).put("seconds", e.seconds());
            Format.put(o, "trainingLoss", e.trainingLoss());
            Format.put(o, "validationLoss", e.validationLoss());
        }
        ArrayNode notes = t.putArray("notes");
        log.notes().forEach(notes::add);
        return t;
    }

    /**
     * A training log read back from {@link #trainingJson}: losses written as null (not finite) read as NaN, missing
     * fields as an empty log (no epochs, kept epoch 0, no reason, no notes).
     */
    static TrainingLog trainingLog(JsonNode t) {
        List<TrainingLog.Epoch> epochs = new ArrayList<>();
        for (JsonNode e : t.path("epochs")) {
            epochs.add(new TrainingLog.Epoch(e.path("epoch").asInt(), number(e.path("trainingLoss")), number(e.path(
                    "validationLoss")), e.path("seconds").asDouble()));
        }
        List<String> notes = new ArrayList<>();
        t.path("notes").forEach(n -> notes.add(n.asText()));
        return new TrainingLog(epochs, t.path("keptEpoch").asInt(), t.path("stopReason").asText(), notes);
    }

    /** A JSON number as a double; NaN for anything else (a missing field, null for a loss that was not finite). */
    static double number(JsonNode x) {
        return x.isNumber() ? x.asDouble() : Double.NaN;
    }

    /** Training and validation loss over epochs of one or more logs. */
    static Chart learningCurves(List<TrainingLog> logs, List<String> names) {
        return learningCurves("Learning curves", logs, names);
    }

    static Chart learningCurves(String title, List<TrainingLog> logs, List<String> names) {
        List<Chart.Line> lines = new ArrayList<>();
        for (int i = 0; i < logs.size(); i++) {
            List<TrainingLog.Epoch> epochs = logs.get(i).epochs();
            double[] x = epochs.stream().mapToDouble(TrainingLog.Epoch::epoch).toArray();
            String prefix = names.get(i).isEmpty() ? "" : names.get(i) + " ";
            // one colour per log: its training line solid, its validation line dashed
            lines.add(new Chart.Line(prefix + "training", x,
                    epochs.stream().mapToDouble(TrainingLog.Epoch::trainingLoss).toArray(), null, false, i));
            lines.add(new Chart.Line(prefix + "validation", x,
                    epochs.stream().mapToDouble(TrainingLog.Epoch::validationLoss).toArray(), null, true, i));
        }
        Chart chart = Chart.lines(title, "epoch", "loss (nats/frame)", false, false, lines);
        // the first epoch's training loss is a mean over the untrained start: where it would take more than half
        // the axis, the plateau (where a learning curve shows whether training has converged) would look flat
        // the first epoch's training losses, and every other loss
        double first = Double.NEGATIVE_INFINITY, lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (TrainingLog log : logs) {
            for (TrainingLog.Epoch e : log.epochs()) {
                double[] losses = { e.trainingLoss(), e.validationLoss() };
                for (int k = 0; k < losses.length; k++) {
                    if (Double.isFinite(losses[k])) {
                        lo = Math.min(lo, losses[k]);
                        if (k == 0 && e == log.epochs().get(0)) {
                            first = Math.max(first, losses[k]);
                        } else {
                            hi = Math.max(hi, losses[k]);
                        }
                    }
                }
            }
        }
        if (hi > lo && first - hi > hi - lo) {
            double margin = 0.05 * (hi - lo);
            chart.yRange(lo - margin, hi + margin, "First epoch's training loss above the axis: "
                    + Format.number(first, 4) + " nats/frame");
        }
        return chart;
    }

    static final class Timing extends RunSection {
        Timing(RunResult r) {
            super(r);
        }

        @Override
        public void json(ObjectNode root) {
            ObjectNode timing = root.putObject("seconds");
            r.seconds().forEach(timing::put);
        }

        @Override
        protected void content(Content out) {
            Table t = new Table("step", "seconds");
            r.seconds().forEach((k, v) -> t.row(k, Format.number(v, 2)));
            out.heading("Time per step (s)").table(t);
        }
    }
}
