package org.slowdyn.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.slowdyn.app.report.Chart;
import org.slowdyn.app.report.Content;
import org.slowdyn.app.report.ContentSection;
import org.slowdyn.app.report.Format;
import org.slowdyn.app.report.Report;
import org.slowdyn.app.report.ReportSection;
import org.slowdyn.app.report.Table;
import org.slowdyn.core.TrainingLog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The results page of a study ({@code results.json}, {@code results.md}, {@code results.html}): the setup, one
 * section per scan with its table and plots, and the claims, each judged by the rules written on the page.
 */
public final class StudyReport {
    private final StudySpec spec;
    private final StudyRunner.Outcome outcome;
    private final double reproduced;
    private final double failed;
    private final double sigmas;

    StudyReport(StudySpec spec, StudyRunner.Outcome outcome) {
        this.spec = spec;
        this.outcome = outcome;
        JsonNode rules = spec.json.path("rules");
        this.reproduced = rules.path("reproduced").asDouble(0.25);
        this.failed = rules.path("failed").asDouble(0.5);
        this.sigmas = rules.path("sigmas").asDouble(2);
    }

    public Report report() {
        List<ReportSection> sections = new ArrayList<>();
        sections.add(new Setup());
        for (StudySpec.Scan s : spec.scans) {
            sections.add(new ScanSection(s));
        }
        sections.add(new Costs());
        sections.add(new Claims());
        sections.add(new Failures());
        return new Report("SlowDyn study: " + spec.name, "slowdyn-study-results v1", sections);
    }

    /** A cell's result, or null when it failed. */
    private ObjectNode result(StudySpec.Cell c) {
        return outcome.results().get(c.key());
    }

    private String statesLabel(String states) {
        return states + " " + spec.states.get(states).path("label").asText("");
    }

    private String timeUnit(String input) {
        for (StudySpec.Cell c : spec.cells.values()) {
            ObjectNode r = result(c);
            if (c.input().equals(input) && r != null) {
                return r.path("timeUnit").asText();
            }
        }
        return "";
    }

    private final class Setup extends ContentSection {
        @Override
        public void json(ObjectNode root) {
            root.put("name", spec.name);
            root.set("study", spec.json);
            root.put("cells", spec.cells.size());
            root.put("failedCells", outcome.failures().size());
        }

        @Override
        protected void content(Content c) {
            c.heading("Setup");
            c.paragraph("Written by `slowdyn study " + spec.source + (spec.quick ? " --quick" : "") + "`: "
                    + spec.cells.size() + " cells in " + spec.scans.size() + " scans.");
            if (spec.json.has("description")) {
                c.paragraph(spec.json.get("description").asText());
            }
            List<String> inputs = new ArrayList<>();
            spec.inputs.forEach((k, v) -> {
                StringBuilder b = new StringBuilder(k + ": " + v.path("label").asText(""));
                b.append(" Training: ").append(v.get("training")).append("; held-out reference: ")
                        .append(v.path("heldOut").has("split") ? "the last "
                                + Math.round(100 * (1 - v.path("heldOut").path("split").asDouble()))
                                + "% of every training trajectory (time split)" : v.path("heldOut").toString())
                        .append('.');
                if (v.path("training").has("simulate")) {
                    b.append(" The simulation takes the study seed ").append(spec.seed).append(" for training and ")
                            .append(spec.seed + 1000).append(" for the held-out part.");
                }
                if (v.has("basins")) {
                    b.append(" Basins ").append(v.path("basins").path("names")).append(": each state goes to the "
                            + "basin most of its training frames lie in (").append(v.path("basins").path("partition")
                                    .path("id").asText()).append(" on the same frames).");
                }
                v.path("measures").fields().forEachRemaining(m -> b.append(" Measure '").append(m.getKey())
                        .append("': mean direct first-passage time over the passages [from basins, to basins] ")
                        .append(m.getValue()).append('.'));
                v.path("truth").fields().forEachRemaining(t -> b.append(" Ground truth of '").append(t.getKey())
                        .append("': ").append(Format.pm(t.getValue().path("value").asDouble(),
                                t.getValue().path("error").asDouble(Double.NaN), 0)).append(" (")
                        .append(t.getValue().path("source").asText()).append(")."));
                inputs.add(b.toString());
            });
            c.bullets(inputs);
            Table states = new Table("state model", "featurizer", "partition", "recrossing filter");
            spec.states.forEach((k, v) -> states.row(statesLabel(k), v.path("featurizer").path("id").asText(),
                    v.path("partition").path("id").asText(), v.path("filter").path("id").asText("recrossing.none")));
            c.table(states);
            Table trainers = new Table("trainer", "stage", "settings");
            spec.trainers.forEach((k, v) -> {
                List<String> settings = new ArrayList<>(); // one setting after another, so that a long list wraps
                v.path("settings").fields().forEachRemaining(f -> settings.add(f.getKey() + ": " + f.getValue()));
                trainers.row(k, v.path("id").asText(), String.join(", ", settings));
            });
            c.table(trainers);
            c.paragraph(String.format(Locale.ROOT, "%d cells (%d failed). Errors are bootstrap standard errors over "
                    + "trajectories; relative errors are (generated - reference) / reference on the held-out "
                    + "reference with the same states. A cell's seconds include the shared steps (simulation, "
                    + "featurization, partition) it happened to compute first.", spec.cells.size(),
                    outcome.failures().size()));
            Table runs = new Table("run", "started", "wall time (min)", "cells computed", "cells kept from earlier "
                    + "runs", "cells failed", "cells at a time");
            int n = 0;
            for (JsonNode r : runs()) {
                String computed = Integer.toString(r.path("cellsComputed").asInt());
                if (r.path("cancelled").asBoolean() || r.path("stoppedByError").asBoolean()
                        || r.path("stoppedAtTimeLimit").asBoolean()) {
                    computed += " (" + (r.path("cancelled").asBoolean() ? "cancelled" : r.path("stoppedByError")
                            .asBoolean() ? "stopped by an error" : "time limit " + StudyRunner.seconds(r.path(
                                    "timeLimitSeconds").asDouble())) + "; " + r.path("cellsNotRun")
                                            .asInt() + " cells not run)";
                } else if (r.has("timeLimitSeconds")) {
                    computed += " (time limit " + StudyRunner.seconds(r.path("timeLimitSeconds").asDouble()) + ")";
                }
                if (r.has("only")) {
                    computed += " (only " + r.path("only").asText() + ")";
                }
                if (r.path("unrecorded").asBoolean()) {
                    runs.row(++n, r.path("started").asText(), "not recorded", computed + " (counted from its cells; "
                            + "it has no record: it is still going, or it stopped without writing one)", "n/a", "n/a",
                            "n/a");
                } else {
                    runs.row(++n, r.path("started").asText(), Format.number(r.path("wallSeconds").asDouble() / 60,
                            1), computed, r.path("cellsKept").asInt(), r.path("cellsFailed").asInt(),
                            r.path("parallel").asInt());
                }
            }
            c.paragraph("Runs of this study into its folder (each cell's run is in results.json, field \"run\"):");
            c.table(runs);
        }
    }

    /** The generation protocol of a scan's cells, in words. */
    static String generation(org.slowdyn.core.settings.Settings g) {
        int n = g.get(Pipeline.TRAJECTORIES), prefix = g.get(Pipeline.PREFIX_FRAMES);
        if (n > 0) {
            return String.format(Locale.ROOT, "Generation: %,d trajectories of %,d frames each at the model's saving "
                    + "interval, each seeded with a window of %,d real frames of the held-out trajectories "
                    + "(shared out evenly over them and spread evenly over each); the seed windows are not compared.",
                    n, g.get(Pipeline.FRAMES), prefix);
        }
        int copies = g.get(Pipeline.COPIES);
        return String.format(Locale.ROOT, "Generation: %s per held-out trajectory, as long as it, seeded with its "
                + "first %s.", copies == 1 ? "one trajectory" : copies + " trajectories", prefix == 1 ? "frame"
                        : String.format(Locale.ROOT, "%,d frames", prefix));
    }

    private final class ScanSection extends ContentSection {
        private final StudySpec.Scan scan;

        ScanSection(StudySpec.Scan scan) {
            this.scan = scan;
        }

        @Override
        public void json(ObjectNode root) {
            ArrayNode cells = root.withArray("scans").addObject().put("name", scan.name()).put("title", scan.title())
                    .putArray("cells");
            for (StudySpec.Cell c : scan.cells()) {
                ObjectNode r = result(c);
                String failed = outcome.failures().get(c.key());
                cells.add(r != null ? r : failed != null ? cells.objectNode().put("key", c.key()).put("failed", failed)
                        : cells.objectNode().put("key", c.key()).put("notRun", true));
            }
        }

        private List<String> measures() {
            List<String> m = new ArrayList<>();
            spec.inputs.get(scan.input()).path("measures").fieldNames().forEachRemaining(m::add);
            return m;
        }

        @Override
        protected void content(Content out) {
            out.heading(scan.title());
            if (!scan.text().isEmpty()) {
                out.paragraph(scan.text());
            }
            if (!scan.cells().isEmpty() && spec.trainers.values().stream().anyMatch(t -> !"train.markov".equals(t
                    .path("id").asText()))) {
                out.paragraph(generation(scan.cells().get(0).pipeline().generate()));
            }
            String unit = timeUnit(scan.input());
            JsonNode truth = spec.inputs.get(scan.input()).path("truth");
            List<String> header = new ArrayList<>(List.of("states", "saving interval (" + unit + ")", "trainer",
                    "seed"));
            for (String m : measures()) {
                header.add(m + " MFPT generated (" + unit + ")");
                header.add(m + " reference");
                header.add(m + " rel. error");
                if (truth.has(m)) {
                    header.add(m + " reference vs truth");
                }
            }
            header.addAll(List.of("max population error", "slowest ITS ref / gen (" + unit + ", first lag)",
                    "spurious (pairs / events)", "one-frame stays ref / gen", "seconds"));
            boolean runs = runs().size() > 1;
            if (runs) {
                header.add("run");
            }
            Table t = new Table(header);
            for (StudySpec.Cell c : scan.cells()) {
                ObjectNode r = result(c);
                List<String> row = new ArrayList<>(List.of(c.states(), savingInterval(c), c.trainer(),
                        Long.toString(c.trainingSeed())));
                for (String m : measures()) {
                    JsonNode x = r == null ? null : r.path("mfpt").path(m);
                    if (x == null || x.isMissingNode()) {
                        row.addAll(List.of("n/a", "n/a", "n/a"));
                    } else {
                        row.add(Format.pm(num(x, "generated"), num(x, "generatedError"), 0));
                        row.add(Format.pm(num(x, "reference"), num(x, "referenceError"), 0));
                        row.add(Format.relative(num(x, "reference"), num(x, "referenceError"), num(x, "generated"),
                                num(x, "generatedError")));
                    }
                    if (truth.has(m)) {
                        row.add(x == null || x.isMissingNode() ? "n/a"
                                : Format.relative(truth.get(m).path("value").asDouble(), num(x, "reference")));
                    }
                }
                if (r == null) {
                    String failed = outcome.failures().get(c.key());
                    row.addAll(List.of(failed != null ? "failed: " + failed : "not run", "", "", "", ""));
                    if (runs) {
                        row.add("");
                    }
                } else {
                    row.add(Format.number(maxPopulationError(r), 3));
                    JsonNode its = r.path("slowestTimescale").path(0);
                    row.add(Format.number(num(its, "reference"), 0) + " / " + Format.number(num(its, "generated"),
                            0));
                    row.add(r.path("spuriousPairs").asLong() + " / " + r.path("spuriousTransitions").asLong());
                    row.add(oneFrame(r));
                    row.add(Format.number(r.path("seconds").path("total").asDouble(), 0));
                    if (runs) {
                        row.add(runNumber(r.path("run").asText()));
                    }
                }
                t.row(row);
            }
            out.table(t);
            charts(out, unit);
        }

        private void charts(Content out, String unit) {
            List<String> measures = measures();
            String plot = scan.plot();
            if (plot.equals("stride") && !measures.isEmpty()) {
                for (String m : measures) {
                    out.chart(() -> strideChart(m, unit), "The '" + m + "' MFPT over the saving interval per state "
                            + "model: generated by each trainer (solid: the mean over its training seeds, with the "
                            + "larger of their scatter's standard error and the propagated bootstrap error) and the "
                            + "held-out reference (dashed, with its bootstrap error)");
                }
            } else if (plot.equals("timescales")) {
                out.chart(() -> timescaleChart(unit), "Slowest implied timescale of the held-out reference over "
                        + "lag, per state model, with bootstrap error bands");
            } else if (!measures.isEmpty()) {
                out.chart(() -> errorChart(measures), "Relative error of each MFPT measure against the held-out "
                        + "reference per cell, with propagated standard errors");
            }
            learningCurveGroups(scan).forEach((group, cells) -> out.chart(() -> {
                List<TrainingLog> logs = new ArrayList<>();
                List<String> names = new ArrayList<>();
                for (StudySpec.Cell c : cells) {
                    logs.add(RunReport.trainingLog(result(c).path("training")));
                    names.add(c.trainer() + " s" + c.trainingSeed());
                }
                return RunReport.learningCurves("Learning curves, " + group, logs, names);
            }, "Learning curves of the neural cells on " + group + " (saving interval in " + unit + "): training "
                    + "(solid) and validation (dashed) loss per epoch"));
            dwellCharts(out, unit);
        }

        /**
         * Per state model, saving interval and state, the survival of stays (the fraction of complete stays longer
         * than t): the held-out reference solid, each trainer's generated trajectories (its first training seed)
         * dashed.
         */
        private static final int MAX_DWELL_GROUPS = 6;

        private void dwellCharts(Content out, String unit) {
            Map<String, Map<String, ObjectNode>> groups = new LinkedHashMap<>();
            for (StudySpec.Cell c : scan.cells()) {
                ObjectNode r = result(c);
                if (r != null && r.path("dwell").path(0).has("referenceSurvival") && r.path("dwell").size() <= 6) {
                    groups.computeIfAbsent(c.states() + "\u0000" + c.stride(), k -> new LinkedHashMap<>())
                            .putIfAbsent(c.trainer(), r);
                }
            }
            if (groups.size() > MAX_DWELL_GROUPS) {
                out.paragraph("Dwell-time plots are drawn for scans of at most " + MAX_DWELL_GROUPS + " pairs of "
                        + "state model and saving interval; this scan has " + groups.size() + ". The table's "
                        + "one-frame column and each cell's dwell times in results.json (survival of stays per "
                        + "state, reference and generated) hold the same information.");
                return;
            }
            groups.forEach((group, cells) -> {
                String states = group.substring(0, group.indexOf('\u0000'));
                ObjectNode first = cells.values().iterator().next();
                String interval = Format.plain(first.path("frameInterval").asDouble());
                for (JsonNode state : first.path("dwell")) {
                    int s = state.path("state").asInt();
                    String label = state.path("label").asText();
                    out.chart(() -> {
                        List<Chart.Line> lines = new ArrayList<>();
                        lines.add(survivalLine("reference", first.path("dwell").path(s).path("referenceSurvival"),
                                false));
                        cells.forEach((trainer, r) -> lines.add(survivalLine(trainer, r.path("dwell").path(s)
                                .path("generatedSurvival"), true)));
                        return Chart.lines(states + ": stays in " + label + " at " + interval + " " + unit,
                                "stay (" + unit + ")", "fraction of stays longer", true, true, lines);
                    }, "Survival of stays in state " + s + " (" + label + ") of state model " + states + " at a "
                            + "saving interval of " + interval + " " + unit + ": the fraction of complete stays "
                            + "longer than t; the held-out reference solid, each trainer's generated trajectories "
                            + "(first training seed) dashed");
                }
            });
        }

        private static Chart.Line survivalLine(String name, JsonNode survival, boolean dashed) {
            double[] t = new double[survival.path("t").size()], f = new double[t.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = survival.path("t").get(i).asDouble();
                f[i] = survival.path("fraction").get(i).asDouble();
            }
            return new Chart.Line(name, t, f, null, dashed);
        }

        private Chart strideChart(String m, String unit) {
            return Chart.lines("'" + m + "' MFPT over the saving interval", "saving interval (" + unit + ")",
                    "MFPT (" + unit + ")", true, true, strideLines(scan, m));
        }

        private Chart timescaleChart(String unit) {
            List<Chart.Line> lines = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (StudySpec.Cell c : scan.cells()) {
                ObjectNode r = result(c);
                if (r == null || !seen.add(c.states() + "/" + c.stride())) {
                    continue;
                }
                JsonNode its = r.path("slowestTimescale");
                double[] x = new double[its.size()], y = new double[its.size()], e = new double[its.size()];
                for (int i = 0; i < its.size(); i++) {
                    x[i] = its.get(i).path("lag").asDouble();
                    y[i] = num(its.get(i), "reference");
                    e[i] = num(its.get(i), "referenceError");
                }
                lines.add(new Chart.Line(c.states(), x, y, e));
            }
            return Chart.lines("Slowest implied timescale of the reference", "lag (" + unit + ")", "timescale ("
                    + unit + ")", true, true, lines);
        }

        private Chart errorChart(List<String> measures) {
            List<String> cells = new ArrayList<>();
            List<StudySpec.Cell> done = scan.cells().stream().filter(c -> result(c) != null).toList();
            done.forEach(c -> cells.add(c.states() + " " + c.trainer() + (c.trainingSeed() == 1 ? ""
                    : " s" + c.trainingSeed())));
            List<Chart.Bars> bars = new ArrayList<>();
            for (String m : measures) {
                double[] v = new double[done.size()], e = new double[done.size()];
                for (int i = 0; i < done.size(); i++) {
                    JsonNode x = result(done.get(i)).path("mfpt").path(m);
                    v[i] = 100 * num(x, "relativeError");
                    e[i] = 100 * num(x, "relativeErrorError");
                }
                bars.add(new Chart.Bars(m, cells, v, e));
            }
            return Chart.bars("Relative error of the MFPTs", "cell", "relative error (%)", bars);
        }
    }

    /**
     * The lines of a scan's plot over the saving interval: per state model, each trainer's generated measure
     * {@code m} (the mean over training seeds at every saving interval, with {@link #mean}'s error), then the
     * held-out reference (dashed; it does not depend on the trainer or seed, so the first cell's is drawn).
     */
    List<Chart.Line> strideLines(StudySpec.Scan scan, String m) {
        Map<String, Map<String, Map<Double, List<double[]>>>> generated = new LinkedHashMap<>();
        Map<String, Map<Double, double[]>> reference = new LinkedHashMap<>();
        for (StudySpec.Cell c : scan.cells()) {
            ObjectNode r = result(c);
            if (r == null) {
                continue;
            }
            double x = r.path("frameInterval").asDouble();
            JsonNode v = r.path("mfpt").path(m);
            generated.computeIfAbsent(c.states(), k -> new LinkedHashMap<>()).computeIfAbsent(c.trainer(),
                    k -> new TreeMap<>()).computeIfAbsent(x, k -> new ArrayList<>()).add(new double[] { num(v,
                            "generated"), num(v, "generatedError") });
            reference.computeIfAbsent(c.states(), k -> new TreeMap<>()).putIfAbsent(x, new double[] { num(v,
                    "reference"), num(v, "referenceError") });
        }
        // with one trainer, a state model's generated line and its reference share a colour (solid and dashed), so
        // that 5 state models need 5 colours rather than 10 from a palette of 8; with several, each line its own
        boolean oneTrainer = scan.cells().stream().map(StudySpec.Cell::trainer).distinct().count() == 1;
        List<Chart.Line> lines = new ArrayList<>();
        generated.forEach((states, byTrainer) -> {
            int colour = oneTrainer ? lines.size() / 2 : -1;
            byTrainer.forEach((trainer, byStride) -> {
                List<double[]> means = byStride.values().stream().map(StudyReport::mean).toList();
                lines.add(new Chart.Line(states + " " + trainer, keys(byStride), means.stream().mapToDouble(
                        e -> e[0]).toArray(), means.stream().mapToDouble(e -> e[1]).toArray(), false, colour));
            });
            Map<Double, double[]> ref = reference.get(states);
            lines.add(new Chart.Line(states + " reference", keys(ref), ref.values().stream().mapToDouble(
                    e -> e[0]).toArray(), ref.values().stream().mapToDouble(e -> e[1]).toArray(), true, colour));
        });
        return lines;
    }

    private static double[] keys(Map<Double, ?> m) {
        return m.keySet().stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** At most this many cells' learning curves share a chart; more make a legend larger than the plot. */
    static final int MAX_LEARNING_CURVES = 6;

    /**
     * A scan's neural cells grouped for learning curves: one group per state model and saving interval, named
     * "P4 at saving interval 20", in the scan's order (one chart of every cell mixes loss levels that differ by
     * the partition and the interval, and hides each curve's plateau). A group of more than
     * {@value #MAX_LEARNING_CURVES} cells is split by trainer ("C at saving interval 1, LSTM-long").
     */
    Map<String, List<StudySpec.Cell>> learningCurveGroups(StudySpec.Scan scan) {
        Map<String, List<StudySpec.Cell>> groups = new LinkedHashMap<>();
        for (StudySpec.Cell c : scan.cells()) {
            ObjectNode r = result(c);
            if (r != null && r.has("training")) {
                groups.computeIfAbsent(c.states() + " at saving interval " + Format.plain(r.path("frameInterval")
                        .asDouble()), k -> new ArrayList<>()).add(c);
            }
        }
        Map<String, List<StudySpec.Cell>> split = new LinkedHashMap<>();
        groups.forEach((name, cells) -> cells.forEach(c -> split.computeIfAbsent(cells.size() > MAX_LEARNING_CURVES
                ? name + ", " + c.trainer() : name, k -> new ArrayList<>()).add(c)));
        return split;
    }

    static double num(JsonNode n, String field) {
        return RunReport.number(n.path(field));
    }

    private static double maxPopulationError(JsonNode r) {
        JsonNode p = r.path("basinPopulations");
        double max = Double.NaN;
        for (int k = 0; k < p.path("reference").size(); k++) {
            double d = Math.abs(p.get("reference").get(k).asDouble() - p.get("generated").get(k).asDouble());
            max = Double.isNaN(max) ? d : Math.max(max, d);
        }
        return max;
    }

    /** The largest fraction of one-frame stays over the states, reference / generated. */
    private static String oneFrame(JsonNode r) {
        double ref = Double.NaN, gen = Double.NaN;
        for (JsonNode d : r.path("dwell")) {
            ref = Double.isNaN(ref) ? num(d, "referenceOneFrame") : Math.max(ref, num(d, "referenceOneFrame"));
            gen = Double.isNaN(gen) ? num(d, "generatedOneFrame") : Math.max(gen, num(d, "generatedOneFrame"));
        }
        return Format.number(ref, 2) + " / " + Format.number(gen, 2);
    }

    // ---- claims ------------------------------------------------------------------------------------------------

    enum Verdict {
        REPRODUCED("reproduced"), FAILED("failed"), NOT_RESOLVED("not resolved");

        final String text;

        Verdict(String text) {
            this.text = text;
        }
    }

    /** One claim's verdict and the numbers behind it. */
    record Judgement(String title, Verdict verdict, String evidence) {
    }

    /** A relative error (with its error) judged by the rules. */
    Verdict judge(double rel, double err) {
        if (!Double.isFinite(rel)) {
            return Verdict.NOT_RESOLVED;
        }
        double e = Double.isFinite(err) ? err : 0;
        if (Math.abs(rel) <= reproduced || Math.abs(rel) <= sigmas * e) {
            return Verdict.REPRODUCED;
        }
        if (Math.abs(rel) > failed && Math.abs(rel) - sigmas * e > failed) {
            return Verdict.FAILED;
        }
        return Verdict.NOT_RESOLVED;
    }

    private List<StudySpec.Cell> select(JsonNode claim, JsonNode filter) {
        return named(claim, filter).stream().filter(c -> result(c) != null).toList();
    }

    /** Every cell of a claim's scan that passes a filter, finished or not. */
    private List<StudySpec.Cell> named(JsonNode claim, JsonNode filter) {
        String scanName = claim.path("scan").asText();
        // StudySpec checked every claim's scan when the file was read
        StudySpec.Scan scan = spec.scans.stream().filter(s -> s.name().equals(scanName)).findFirst().orElseThrow();
        List<StudySpec.Cell> out = new ArrayList<>();
        for (StudySpec.Cell c : scan.cells()) {
            if (matches(filter.path("states"), c.states()) && matches(filter.path("trainer"), c.trainer())
                    && matches(filter.path("stride"), Integer.toString(c.stride()))) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The cells that a claim's filters name and that did not finish (not run, or failed), one entry per state model,
     * trainer, saving interval and outcome with its seeds: "P3 Transformer at 5 seeds 1, 2, 3 (not run)". A claim
     * with any such cell is not reproduced: what it names was not all measured. The map's values are the cell counts.
     */
    private Map<Unfinished, List<Long>> unfinished(JsonNode claim, JsonNode... filters) {
        Map<Unfinished, List<Long>> groups = new LinkedHashMap<>();
        for (JsonNode filter : filters) {
            for (StudySpec.Cell c : named(claim, filter)) {
                if (result(c) == null) {
                    groups.computeIfAbsent(new Unfinished(c.states() + " " + c.trainer() + " at " + savingInterval(c),
                            outcome.failures().containsKey(c.key())), k -> new ArrayList<>()).add(c.trainingSeed());
                }
            }
        }
        return groups;
    }

    /** Unfinished cells that differ only by their training seed: "P3 Transformer at 5", failed or not run. */
    private record Unfinished(String cells, boolean failed) {
    }

    /** The evidence's note on the cells a claim names that did not finish; empty when all did. */
    private static String unfinishedNote(Map<Unfinished, List<Long>> unfinished) {
        if (unfinished.isEmpty()) {
            return "";
        }
        List<String> entries = new ArrayList<>();
        unfinished.forEach((u, seeds) -> entries.add(u.cells() + (seeds.size() == 1 ? " seed " : " seeds ")
                + seeds.stream().map(String::valueOf).collect(Collectors.joining(", "))
                + (u.failed() ? " (failed)" : " (not run)")));
        int n = count(unfinished);
        return String.format(Locale.ROOT, ". %s named by the claim did not finish and %s not judged: %s",
                StudyRunner.cells(n), n == 1 ? "is" : "are", String.join("; ", entries));
    }

    private static int count(Map<Unfinished, List<Long>> unfinished) {
        return unfinished.values().stream().mapToInt(List::size).sum();
    }

    private static boolean matches(JsonNode allowed, String value) {
        if (allowed.isMissingNode()) {
            return true;
        }
        for (JsonNode a : allowed.isArray() ? allowed : List.of(allowed)) {
            if (a.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    List<Judgement> judgements() {
        List<Judgement> out = new ArrayList<>();
        for (JsonNode claim : spec.json.path("claims")) {
            String kind = claim.path("kind").asText();
            String m = claim.path("measure").asText();
            switch (kind) {
            case "accuracy" -> out.add(accuracy(claim, m));
            case "truth" -> out.add(truth(claim, m));
            case "notBetter" -> out.add(notBetter(claim, m));
            default -> throw new IllegalStateException("claim kind '" + kind + "' passed StudySpec's check");
            }
        }
        return out;
    }

    private Judgement accuracy(JsonNode claim, String m) {
        List<StudySpec.Cell> cells = select(claim, claim);
        int good = 0, bad = 0;
        List<String> evidence = new ArrayList<>();
        for (StudySpec.Cell c : cells) {
            JsonNode x = result(c).path("mfpt").path(m);
            double rel = num(x, "relativeError"), err = num(x, "relativeErrorError");
            Verdict v = judge(rel, err);
            good += v == Verdict.REPRODUCED ? 1 : 0;
            bad += v == Verdict.FAILED ? 1 : 0;
            evidence.add(c.states() + " " + c.trainer() + " at " + Format.plain(result(c).path("frameInterval")
                    .asDouble()) + " seed " + c.trainingSeed() + ": " + Format.relative(1, 0,
                    1 + rel, err) + " (" + v.text + ")");
        }
        Map<Unfinished, List<Long>> unfinished = unfinished(claim, claim);
        int named = cells.size() + count(unfinished);
        Verdict v = cells.isEmpty() ? Verdict.NOT_RESOLVED : good == named ? Verdict.REPRODUCED
                : 2 * bad > named ? Verdict.FAILED : Verdict.NOT_RESOLVED;
        return new Judgement(claim.path("title").asText(), v, "'" + m + "' MFPT, generated vs held-out reference ("
                + good + " of " + cells.size() + " cells reproduced, " + bad + " failed): " + String.join("; ",
                        evidence) + unfinishedNote(unfinished));
    }

    private Judgement truth(JsonNode claim, String m) {
        String input = spec.scans.stream().filter(s -> s.name().equals(claim.path("scan").asText())).findFirst()
                .map(StudySpec.Scan::input).orElse("");
        JsonNode truth = spec.inputs.get(input).path("truth").path(m); // present: StudySpec checked it
        double t = truth.path("value").asDouble(), te = truth.path("error").asDouble(0);
        List<String> evidence = new ArrayList<>();
        List<StudySpec.Cell> good = select(claim, claim.path("good")), bad = select(claim, claim.path("bad"));
        // good state models must reproduce the truth, bad ones must fail it; the opposite verdict contradicts
        int goodOk = againstTruth(good, m, t, te, Verdict.REPRODUCED, evidence);
        int badOk = againstTruth(bad, m, t, te, Verdict.FAILED, evidence);
        int wrong = againstTruth(good, m, t, te, Verdict.FAILED, null)
                + againstTruth(bad, m, t, te, Verdict.REPRODUCED, null);
        Map<Unfinished, List<Long>> unfinished = unfinished(claim, claim.path("good"), claim.path("bad"));
        Verdict v = good.isEmpty() || bad.isEmpty() ? Verdict.NOT_RESOLVED
                : goodOk == good.size() && badOk == bad.size() && unfinished.isEmpty() ? Verdict.REPRODUCED
                        : wrong > 0 ? Verdict.FAILED : Verdict.NOT_RESOLVED;
        return new Judgement(claim.path("title").asText(), v, "held-out reference '" + m + "' MFPT against the "
                + "ground truth " + Format.pm(t, te, 0) + ": " + String.join("; ", evidence)
                + unfinishedNote(unfinished));
    }

    /**
     * How many cells' held-out reference measure gets the verdict {@code wanted} against the truth t +- te; with
     * {@code evidence}, each cell's deviation is added to it.
     */
    private int againstTruth(List<StudySpec.Cell> cells, String m, double t, double te, Verdict wanted,
            List<String> evidence) {
        int n = 0;
        for (StudySpec.Cell c : cells) {
            JsonNode x = result(c).path("mfpt").path(m);
            double rel = num(x, "reference") / t - 1;
            double err = Math.hypot(num(x, "referenceError") / t, num(x, "reference") * te / (t * t));
            n += judge(rel, err) == wanted ? 1 : 0;
            if (evidence != null) {
                evidence.add(c.states() + " at " + Format.plain(result(c).path("frameInterval").asDouble()) + ": "
                        + String.format(Locale.ROOT, "%+.0f%%", 100 * rel));
            }
        }
        return n;
    }

    private Judgement notBetter(JsonNode claim, String m) {
        String better = claim.path("better").asText(), than = claim.path("than").asText();
        Map<String, List<double[]>> a = errorsByStates(select(claim, claim), better, m);
        Map<String, List<double[]>> b = errorsByStates(select(claim, claim), than, m);
        int compared = 0, significantlyBetter = 0, significantlyWorse = 0;
        List<String> evidence = new ArrayList<>();
        List<String> oneSided = new ArrayList<>();
        for (String k : a.keySet()) {
            if (!b.containsKey(k)) {
                oneSided.add(k + " (no " + than + " cell finished)");
                continue;
            }
            double[] ea = meanAbs(a.get(k)), eb = meanAbs(b.get(k));
            double diff = eb[0] - ea[0], err = Math.hypot(ea[1], eb[1]);
            compared++;
            significantlyBetter += diff > sigmas * err ? 1 : 0;
            significantlyWorse += -diff > sigmas * err ? 1 : 0;
            evidence.add(String.format(Locale.ROOT, "%s: |error| %.1f ± %.1f%% vs %.1f ± %.1f%% (%d vs %d seeds%s)",
                    k, 100 * ea[0], 100 * ea[1], 100 * eb[0], 100 * eb[1], a.get(k).size(), b.get(k).size(),
                    plateaus(a.get(k), b.get(k))));
        }
        for (String k : b.keySet()) {
            if (!a.containsKey(k)) {
                oneSided.add(k + " (no " + better + " cell finished)");
            }
        }
        Map<Unfinished, List<Long>> unfinished = unfinished(claim, claim);
        Verdict v = compared == 0 ? Verdict.NOT_RESOLVED
                : significantlyBetter == 0 && unfinished.isEmpty() ? Verdict.REPRODUCED
                        : 2 * significantlyBetter > compared ? Verdict.FAILED : Verdict.NOT_RESOLVED;
        return new Judgement(claim.path("title").asText(), v, String.format(Locale.ROOT, "'%s' MFPT, %s vs %s: "
                + "%s is significantly better on %d and significantly worse on %d of %d pairs of state model and "
                + "saving interval. %s%s%s", m,
                better, than, better, significantlyBetter, significantlyWorse, compared, String.join("; ",
                        evidence), oneSided.isEmpty() ? "" : ". Not compared: " + String.join(", ", oneSided),
                unfinishedNote(unfinished)));
    }

    /**
     * Relative errors of one trainer's cells by state model and saving interval ("P4 at 20"): value, error, and
     * whether the cell's training stopped on a plateau (1), reached its epoch cap (0) or has no training log (NaN).
     */
    private Map<String, List<double[]>> errorsByStates(List<StudySpec.Cell> cells, String trainer, String m) {
        Map<String, List<double[]>> out = new LinkedHashMap<>();
        for (StudySpec.Cell c : cells) {
            if (c.trainer().equals(trainer)) {
                JsonNode x = result(c).path("mfpt").path(m);
                JsonNode training = result(c).path("training");
                double plateau = training.path("epochs").isEmpty() ? Double.NaN
                        : stoppedByPatience(training) ? 1 : 0;
                out.computeIfAbsent(c.states() + " at " + Format.plain(result(c).path("frameInterval").asDouble()),
                        k -> new ArrayList<>()).add(new double[] { num(x, "relativeError"),
                                num(x, "relativeErrorError"), plateau });
            }
        }
        return out;
    }

    /** How many of each side's cells ended on a plateau of their validation loss, where both sides trained. */
    private static String plateaus(List<double[]> a, List<double[]> b) {
        if (a.stream().anyMatch(e -> Double.isNaN(e[2])) || b.stream().anyMatch(e -> Double.isNaN(e[2]))) {
            return "";
        }
        return String.format(Locale.ROOT, "; on a plateau %d vs %d", a.stream().filter(e -> e[2] == 1).count(),
                b.stream().filter(e -> e[2] == 1).count());
    }

    /** Whether a cell's training stopped by patience, i.e. on a plateau of its validation loss. */
    private static boolean stoppedByPatience(JsonNode training) {
        return training.path("stopReason").asText().startsWith("early stop");
    }

    /**
     * Mean absolute relative error over seeds and its standard error, as {@link #mean} of the absolute values.
     */
    static double[] meanAbs(List<double[]> errors) {
        return mean(errors.stream().map(e -> new double[] { Math.abs(e[0]), e[1] }).toList());
    }

    /**
     * The mean of (value, bootstrap error) pairs over training seeds and its standard error: the scatter over seeds
     * where there are several, or the propagated bootstrap error when that is larger; one pair is returned as is.
     */
    static double[] mean(List<double[]> values) {
        int n = values.size();
        double mean = values.stream().mapToDouble(e -> e[0]).average().orElse(Double.NaN);
        if (n < 2) {
            return new double[] { mean, n == 1 ? values.get(0)[1] : Double.NaN };
        }
        double ss = values.stream().mapToDouble(e -> Math.pow(e[0] - mean, 2)).sum();
        double boot = Math.sqrt(values.stream().mapToDouble(e -> e[1] * e[1]).sum()) / n;
        return new double[] { mean, Math.max(Math.sqrt(ss / (n - 1) / n), boot) };
    }

    /**
     * A cell's saving interval in its input's time unit: from its result, or for a cell not run (or failed) its
     * stride times the frame interval of a finished cell of the same input; the stride in frames when there is none.
     */
    String savingInterval(StudySpec.Cell c) {
        ObjectNode r = result(c);
        if (r != null) {
            return Format.plain(r.path("frameInterval").asDouble());
        }
        for (StudySpec.Cell other : spec.cells.values()) {
            ObjectNode o = result(other);
            if (o != null && other.input().equals(c.input())) {
                return Format.plain(o.path("frameInterval").asDouble() / other.stride() * c.stride());
            }
        }
        return c.stride() + " frames";
    }

    /**
     * The runs of this study into its folder, by start: those in runs.json, and any run that computed cells here but
     * left no record (killed, e.g. by SIGKILL, or by a version that recorded no cancelled run), counted from its cells.
     */
    private List<JsonNode> runs() {
        List<JsonNode> out = new ArrayList<>();
        outcome.runs().forEach(out::add);
        Map<String, Integer> unrecorded = new LinkedHashMap<>();
        for (ObjectNode r : outcome.results().values()) {
            String run = r.path("run").asText("");
            if (!run.isEmpty() && out.stream().noneMatch(x -> x.path("started").asText().equals(run))) {
                unrecorded.merge(run, 1, Integer::sum);
            }
        }
        unrecorded.forEach((run, cells) -> out.add(JsonNodeFactory.instance.objectNode().put("started", run)
                .put("cellsComputed", cells).put("unrecorded", true)));
        out.sort(java.util.Comparator.comparing(x -> java.time.Instant.parse(x.path("started").asText())));
        return out;
    }

    /** The number of the run (1 = the first, as in the setup's table of runs) that computed a cell. */
    private String runNumber(String started) {
        List<JsonNode> runs = runs();
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i).path("started").asText().equals(started)) {
                return Integer.toString(i + 1);
            }
        }
        return "?";
    }

    /** What one trainer's cells cost, from their seconds and training logs. */
    record Cost(String trainer, int cells, int minEpochs, int maxEpochs, double meanEpochs,
            double trainSecondsPerFrameEpoch, double generateSecondsPerFrame, double generatedFrames,
            double otherSeconds, double threads,
            double cpuHoursMean, double cpuHoursMax, double cpuHoursAll, int stoppedEarly, double lastGain) {
    }

    /** Epochs whose gain in the best validation loss the cost table reports. */
    static final int LAST_EPOCHS = 5;

    /**
     * How much the best validation loss improved over the last {@link #LAST_EPOCHS} epochs, relative to the final
     * best (0 when it did not improve; NaN with fewer epochs or no validation loss).
     */
    static double lastGain(JsonNode epochs) {
        int n = epochs.size();
        if (n <= LAST_EPOCHS) {
            return Double.NaN;
        }
        double before = Double.POSITIVE_INFINITY, best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double v = epochs.get(i).path("validationLoss").asDouble(Double.NaN);
            if (Double.isNaN(v)) {
                return Double.NaN;
            }
            best = Math.min(best, v);
            if (i < n - LAST_EPOCHS) {
                before = best;
            }
        }
        return (before - best) / best;
    }

    /** The cost of each trainer with training epochs (a neural trainer) over its cells with results. */
    Map<String, Cost> costs() {
        Map<String, Cost> out = new LinkedHashMap<>();
        for (String trainer : spec.trainers.keySet()) {
            List<ObjectNode> rs = new ArrayList<>();
            for (StudySpec.Cell c : spec.cells.values()) {
                ObjectNode r = result(c);
                if (c.trainer().equals(trainer) && r != null && r.path("training").path("epochs").size() > 0) {
                    rs.add(r);
                }
            }
            if (rs.isEmpty()) {
                continue;
            }
            int threads = spec.trainers.get(trainer).path("settings").path("threads").asInt(0);
            double cores = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
            int minEpochs = Integer.MAX_VALUE, maxEpochs = 0;
            double epochs = 0, frameEpochs = 0, train = 0, generate = 0, generated = 0, other = 0, max = 0, all = 0;
            double gain = Double.NaN;
            int early = 0;
            for (ObjectNode r : rs) {
                early += stoppedByPatience(r.path("training")) ? 1 : 0;
                double g = lastGain(r.path("training").path("epochs"));
                gain = Double.isNaN(gain) || g > gain ? g : gain;
                int e = r.path("training").path("epochs").size();
                minEpochs = Math.min(minEpochs, e);
                maxEpochs = Math.max(maxEpochs, e);
                epochs += e;
                JsonNode sec = r.path("seconds");
                frameEpochs += (double) e * r.path("trainingFrames").asLong();
                train += sec.path("train").asDouble();
                generate += sec.path("generate").asDouble();
                generated += r.path("generatedFrames").asDouble();
                other += sec.path("total").asDouble() - sec.path("train").asDouble() - sec.path("generate")
                        .asDouble();
                double hours = sec.path("total").asDouble() * cores / 3600;
                max = Math.max(max, hours);
                all += hours;
            }
            out.put(trainer, new Cost(trainer, rs.size(), minEpochs, maxEpochs, epochs / rs.size(),
                    train / frameEpochs, generate / generated, generated / rs.size(), other / rs.size(), cores,
                    all / rs.size(), max, all, early, gain));
        }
        return out;
    }

    /**
     * The estimated CPU hours of the cells of a grid ({@code estimates} in the study file) that have not finished:
     * per cell, the trainer's mean epochs over its training frames at the measured seconds per frame and epoch, its
     * mean generated frames at the measured seconds per frame, and its mean other seconds, times its threads.
     * Training frames at a saving interval come from a cell of the same input and state model at that interval,
     * else from one at another interval, scaled by the ratio of the intervals. A grid's cell that some scan of the
     * study finished (same input, state model, saving interval, trainer and training seed) is not counted, so that
     * the estimate is of the work left. Returns the hours and the cells counted.
     */
    double[] estimate(JsonNode grid, Cost cost) {
        String input = grid.path("input").asText();
        double hours = 0;
        int cells = 0;
        List<Long> seeds = new ArrayList<>();
        grid.path("trainingSeed").forEach(x -> seeds.add(x.asLong()));
        if (seeds.isEmpty()) {
            seeds.add(1L); // a cell's default training seed (StudySpec)
        }
        double perCell = cost.generatedFrames() * cost.generateSecondsPerFrame() + cost.otherSeconds();
        for (JsonNode st : grid.path("states")) {
            for (JsonNode stride : grid.path("stride")) {
                double frames = trainingFrames(input, st.asText(), stride.asInt());
                double seconds = cost.meanEpochs() * frames * cost.trainSecondsPerFrameEpoch() + perCell;
                for (long seed : seeds) {
                    if (!finished(input, st.asText(), stride.asInt(), cost.trainer(), seed)) {
                        hours += seconds * cost.threads() / 3600;
                        cells++;
                    }
                }
            }
        }
        return new double[] { hours, cells };
    }

    private boolean finished(String input, String states, int stride, String trainer, long seed) {
        return spec.cells.values().stream().anyMatch(c -> c.input().equals(input) && c.states().equals(states)
                && c.stride() == stride && c.trainer().equals(trainer) && c.trainingSeed() == seed
                && result(c) != null);
    }

    private double trainingFrames(String input, String states, int stride) {
        double scaled = Double.NaN;
        for (StudySpec.Cell c : spec.cells.values()) {
            ObjectNode r = result(c);
            if (r == null || !c.input().equals(input) || !c.states().equals(states)) {
                continue;
            }
            if (c.stride() == stride) {
                return r.path("trainingFrames").asDouble();
            }
            scaled = r.path("trainingFrames").asDouble() * c.stride() / stride;
        }
        return scaled;
    }

    private final class Costs extends ContentSection {
        @Override
        public void json(ObjectNode root) {
            Map<String, Cost> costs = costs();
            ObjectNode o = root.putObject("costs");
            costs.forEach((k, v) -> o.putObject(k).put("cells", v.cells()).put("meanEpochs", v.meanEpochs())
                    .put("stoppedByPatience", v.stoppedEarly()).put("lastEpochsGain", v.lastGain())
                    .put("trainSecondsPerFrameEpoch", v.trainSecondsPerFrameEpoch())
                    .put("generateSecondsPerFrame", v.generateSecondsPerFrame()).put("threads", v.threads())
                    .put("cpuHoursMean", v.cpuHoursMean()).put("cpuHoursMax", v.cpuHoursMax())
                    .put("cpuHoursAll", v.cpuHoursAll()));
            ArrayNode e = root.putArray("estimates");
            for (JsonNode grid : spec.json.path("estimates")) {
                Cost cost = costs.get(grid.path("trainer").asText());
                if (cost != null) {
                    double[] x = estimate(grid, cost);
                    e.addObject().put("title", grid.path("title").asText()).put("trainer", cost.trainer())
                            .put("cellsLeft", (int) x[1]).put("cpuHours", x[0]);
                }
            }
        }

        @Override
        protected void content(Content c) {
            Map<String, Cost> costs = costs();
            if (costs.isEmpty()) {
                return;
            }
            c.heading("Cost of the neural cells");
            c.paragraph("CPU hours are a cell's wall time (training, generation, comparison, and any shared step it "
                    + "computed first) times the trainer's threads. Training seconds include the validation loss "
                    + "after every epoch. A cell stopped by patience ended on a plateau of its validation loss; one "
                    + "that reached its epoch cap shows how far from a plateau it was by the gain of its best "
                    + "validation loss over its last epochs (the learning curves show every epoch).");
            Table t = new Table("trainer", "cells", "epochs per cell", "stopped by patience", "best validation loss "
                    + "gained in the last " + LAST_EPOCHS + " epochs (largest over cells)",
                    "training s per epoch per 1e6 frames", "generated frames/s", "CPU hours per cell (mean; max)",
                    "CPU hours in all");
            for (Cost v : costs.values()) {
                String epochs = v.minEpochs() == v.maxEpochs() ? Integer.toString(v.minEpochs())
                        : v.minEpochs() + "-" + v.maxEpochs() + " (mean " + Format.number(v.meanEpochs(), 1) + ")";
                String gain = Double.isNaN(v.lastGain()) ? "n/a"
                        : String.format(Locale.ROOT, "%.3f%%", 100 * v.lastGain());
                t.row(v.trainer(), v.cells(), epochs, v.stoppedEarly() + " of " + v.cells(), gain,
                        Format.number(1e6 * v.trainSecondsPerFrameEpoch(), 1),
                        Format.number(1 / v.generateSecondsPerFrame(), 0),
                        Format.number(v.cpuHoursMean(), 3) + "; " + Format.number(v.cpuHoursMax(), 3),
                        Format.number(v.cpuHoursAll(), 2));
            }
            c.table(t);
            List<JsonNode> grids = new ArrayList<>();
            spec.json.path("estimates").forEach(grids::add);
            if (grids.isEmpty()) {
                return;
            }
            c.paragraph("Estimated cost of the cells of these grids that have not finished, from the measured rates "
                    + "above: per cell, the trainer's mean epochs over its training frames at that saving interval, "
                    + "plus its mean generated frames and other seconds. A cell that a scan above finished is not "
                    + "counted.");
            Table e = new Table("grid", "trainer", "cells left", "estimated CPU hours", "wall time on " + spec.parallel
                    + " cores (" + spec.parallel + " cells at a time)");
            for (JsonNode grid : grids) {
                Cost cost = costs.get(grid.path("trainer").asText());
                if (cost == null) {
                    e.row(grid.path("title").asText(), grid.path("trainer").asText(), "", "no measured cells", "");
                    continue;
                }
                double[] x = estimate(grid, cost);
                e.row(grid.path("title").asText(), cost.trainer(), (int) x[1], Format.number(x[0], 1),
                        wallTime(x[0], spec.parallel));
            }
            c.table(e);
        }
    }

    /** The wall time of work of some CPU hours shared by a number of cores: in hours up to two days, else in days. */
    static String wallTime(double cpuHours, int cores) {
        double hours = cpuHours / cores;
        return hours < 48 ? Format.number(hours, 1) + " h" : Format.number(hours / 24, 1) + " days";
    }

    private final class Claims extends ContentSection {
        @Override
        public void json(ObjectNode root) {
            ArrayNode a = root.putArray("claims");
            for (Judgement j : judgements()) {
                a.addObject().put("title", j.title()).put("verdict", j.verdict().text).put("evidence", j.evidence());
            }
            root.putObject("rules").put("reproduced", reproduced).put("failed", failed).put("sigmas", sigmas);
        }

        @Override
        protected void content(Content c) {
            c.heading("Claims");
            c.paragraph(String.format(Locale.ROOT, "Rules: a relative error within %.0f%%, or within %.0f standard "
                    + "errors of zero, counts as reproduced; beyond %.0f%% (and more than %.0f standard errors beyond "
                    + "it) as failed; in between as not resolved. A claim about accuracy is reproduced when every "
                    + "cell it names is, failed when more than half fail. A claim about the ground truth is "
                    + "reproduced when the good state models' reference lies within the tolerance of the truth and "
                    + "the bad ones' beyond the failure threshold. \"A is no better than B\" is reproduced when A's "
                    + "mean absolute error is significantly smaller (by more than %.0f combined standard errors; "
                    + "over training seeds their scatter) on no pair of state model and saving interval, failed when "
                    + "on more than half. A claim some of whose cells did not finish (not run, or failed) is not "
                    + "reproduced: those cells are listed, and the verdict is failed or not resolved on the rest.",
                    100 * reproduced, sigmas, 100 * failed, sigmas, sigmas));
            Table t = new Table("claim", "verdict", "evidence");
            for (Judgement j : judgements()) {
                t.row(j.title(), j.verdict().text, j.evidence());
            }
            c.table(t);
        }
    }

    private final class Failures extends ContentSection {
        @Override
        public void json(ObjectNode root) {
            ObjectNode f = root.putObject("failures");
            outcome.failures().forEach(f::put);
        }

        @Override
        protected void content(Content c) {
            if (outcome.failures().isEmpty()) {
                return;
            }
            c.heading("Failed cells");
            Table t = new Table("cell", "error");
            outcome.failures().forEach(t::row);
            c.table(t);
        }
    }
}
