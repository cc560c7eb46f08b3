package org.slowdyn.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.data.StateSequence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class StudyTest {
    @TempDir
    Path tmp;

    private static final String STUDY = """
            { "name": "mini", "seed": 11, "parallel": 2,
              "inputs": { "sim": {
                "training": { "simulate": { "trajectories": 4, "frames": 4000, "stepsPerFrame": 20 } },
                "heldOut": { "split": 0.5 },
                "basins": { "names": ["left", "right"], "featurizer": { "id": "test.columns" },
                            "partition": { "id": "test.sign" } },
                "measures": { "leave": [[[0], [1]], [[1], [0]]] },
                "truth": { "leave": { "value": 30, "error": 1, "source": "made up for the test" } } } },
              "states": { "S": { "label": "sign", "featurizer": { "id": "test.columns" },
                                 "partition": { "id": "test.sign" }, "filter": { "id": "test.none" } } },
              "trainers": { "B20": { "id": "test.blocks", "settings": { "block": 20 } },
                            "B60": { "id": "test.blocks", "settings": { "block": 60 } },
                            "broken": { "id": "test.blocks", "settings": { "fail": true } } },
              "kinetics": { "bootstrap": 10, "msmBootstrap": 2, "lags": [1, 2], "commitTimes": [1] },
              "scans": [ { "name": "grid", "title": "Grid", "input": "sim", "states": ["S"], "stride": [1, 2],
                           "trainer": ["B20", "B60", "broken"] } ],
              "claims": [ { "title": "B20 is accurate", "kind": "accuracy", "measure": "leave", "scan": "grid",
                            "trainer": ["B20"], "stride": [1] } ],
              "quick": { "scans": [ { "name": "grid", "title": "Grid", "input": "sim", "states": "S",
                                      "stride": 1, "trainer": "B20" } ], "claims": null } }
            """;

    private Path write(String text) throws Exception {
        Path f = tmp.resolve("study.json");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void costsComeFromTheCellsSecondsAndEstimatesScaleThemToAGridNotRun() throws Exception {
        StudySpec spec = StudySpec.read(write(STUDY.replace("\"claims\":", "\"estimates\": [ { \"title\": \"more\", "
                + "\"trainer\": \"B20\", \"input\": \"sim\", \"states\": [\"S\"], \"stride\": [1, 4], "
                + "\"trainingSeed\": [1, 2] } ], \"claims\":")), false, TestStages.registry());
        ObjectMapper m = new ObjectMapper();
        java.util.Map<String, ObjectNode> results = new java.util.LinkedHashMap<>();
        for (StudySpec.Cell c : spec.cells.values()) {
            if (c.trainer().equals("B20")) { // stride 1: 3 epochs over 8,000 frames; stride 2: 1 epoch over 4,000
                boolean one = c.stride() == 1;
                results.put(c.key(), (ObjectNode) m.readTree("{ \"trainingFrames\": " + (one ? 8000 : 4000)
                        + ", \"generatedFrames\": 4000, \"training\": { \"epochs\": " + (one ? "[{}, {}, {}]"
                                : "[{}]") + " }, \"seconds\": { \"train\": " + (one ? 6 : 1)
                        + ", \"generate\": 2, \"total\": " + (one ? 10 : 4) + " } }"));
            }
        }
        StudyReport report = new StudyReport(spec, new StudyRunner.Outcome(results, java.util.Map.of(), 0, m
                .createArrayNode()));
        StudyReport.Cost cost = report.costs().get("B20");
        assertEquals(List.of("B20"), List.copyOf(report.costs().keySet()));
        assertEquals(2.0, cost.meanEpochs());
        assertEquals(7.0 / 28000, cost.trainSecondsPerFrameEpoch(), 1e-15); // 7 s over 3 x 8,000 + 4,000
        assertEquals(4.0 / 8000, cost.generateSecondsPerFrame(), 1e-15);
        assertEquals(1.5, cost.otherSeconds(), 1e-12); // (10 - 8 + 4 - 3) / 2
        double cores = Runtime.getRuntime().availableProcessors();
        assertEquals(14.0 * cores / 3600 / 2, cost.cpuHoursMean(), 1e-12);
        // stride 1 takes its measured 8,000 frames, stride 4 the 8,000 / 4 scaled: 2 epochs x frames x rate + 4,000
        // generated frames x rate + 1.5 s, for 2 seeds each, less the scan's finished cell (stride 1, seed 1): 3 cells
        double stride1 = 2 * 8000 * 7.0 / 28000 + 2 + 1.5, stride4 = 2 * 2000 * 7.0 / 28000 + 2 + 1.5;
        double[] e = report.estimate(spec.json.path("estimates").get(0), cost);
        assertEquals(3, e[1]);
        assertEquals((stride1 + 2 * stride4) * cores / 3600, e[0], 1e-12);
        // its wall time with the study's 2 cells at a time: in hours (0.9 / 2 = 0.45 h, not "0.0 days"), and in days
        // beyond two (163.7 / 2 = 81.85 h = 3.4 days)
        assertEquals("0.5 h", StudyReport.wallTime(0.9, 2));
        assertEquals("3.4 days", StudyReport.wallTime(163.7, 2));
        // best validation loss 10 after 2 epochs, 8 after 7: 25% gained in the last 5 epochs; none with 5 or fewer
        JsonNode curve = m.readTree("[" + String.join(", ", java.util.stream.DoubleStream.of(12, 10, 11, 10.5, 9, 8,
                8.5).mapToObj(v -> "{\"validationLoss\": " + v + "}").toList()) + "]");
        assertEquals(0.25, StudyReport.lastGain(curve), 1e-12);
        assertEquals(0.0, StudyReport.lastGain(m.readTree("[{\"validationLoss\": 3}, {\"validationLoss\": 1}, "
                + "{\"validationLoss\": 2}, {\"validationLoss\": 2}, {\"validationLoss\": 2}, "
                + "{\"validationLoss\": 2}, {\"validationLoss\": 2}]")));
        assertTrue(Double.isNaN(StudyReport.lastGain(m.readTree("[{\"validationLoss\": 3}]"))));
        assertThrows(ConfigurationException.class, () -> StudySpec.read(write(STUDY.replace("\"claims\":",
                "\"estimates\": [ { \"title\": \"x\", \"trainer\": \"nope\", \"input\": \"sim\", "
                        + "\"states\": [\"S\"], \"stride\": [1] } ], \"claims\":")), false,
                TestStages.registry()));
    }

    @Test
    void theSavingIntervalPlotAveragesSeedsAndLearningCurvesAreGroupedByStatesAndInterval() throws Exception {
        StudySpec spec = StudySpec.read(write(STUDY.replace("\"trainer\": [\"B20\", \"B60\", \"broken\"] }",
                "\"trainer\": [\"B20\"], \"trainingSeed\": [1, 2], \"plot\": \"stride\" }").replace(
                        "\"measures\": { \"leave\": [[[0], [1]], [[1], [0]]] }",
                        "\"measures\": { \"leave\": [[[0], [1]], [[1], [0]]], \"return\": [[[1], [0]]] }")), false,
                TestStages.registry());
        ObjectMapper m = new ObjectMapper();
        // generated (value, error) per (stride, seed); the reference is the same for both seeds at a stride
        java.util.Map<String, double[]> gen = java.util.Map.of("1/1", new double[] { 10, 1 }, "1/2",
                new double[] { 14, 1 }, "2/1", new double[] { 20, 3 }, "2/2", new double[] { 20, 4 });
        java.util.Map<String, ObjectNode> results = new java.util.LinkedHashMap<>();
        for (StudySpec.Cell c : spec.cells.values()) {
            double[] g = gen.get(c.stride() + "/" + c.trainingSeed());
            ObjectNode r = (ObjectNode) m.readTree("{ \"frameInterval\": " + c.stride() + ", \"mfpt\": { \"leave\": "
                    + "{ \"generated\": " + g[0] + ", \"generatedError\": " + g[1] + ", \"reference\": "
                    + (c.stride() == 1 ? "11, \"referenceError\": 0.5" : "21, \"referenceError\": 0.7") + " } } }");
            if (!(c.stride() == 2 && c.trainingSeed() == 2)) { // this cell has no training log (as a Markov cell)
                r.putObject("training").putArray("epochs");
            }
            results.put(c.key(), r);
        }
        assertEquals(4, results.size());
        StudyReport report = new StudyReport(spec, new StudyRunner.Outcome(results, java.util.Map.of(), 0, m
                .createArrayNode()));
        List<org.slowdyn.app.report.Chart.Line> lines = report.strideLines(spec.scans.get(0), "leave");
        assertEquals(List.of("S B20", "S reference"), lines.stream().map(l -> l.name()).toList());
        // one trainer: the state model's line and its reference in one colour, the first
        assertEquals(List.of(0, 0), lines.stream().map(l -> l.colour()).toList());
        // one point per saving interval, not one per seed: at 1 the mean of 10 and 14 with the scatter's standard
        // error sqrt(((10 - 12)^2 + (14 - 12)^2) / 1 / 2) = 2 (the bootstrap's sqrt(1 + 1) / 2 is smaller); at 2 the
        // mean 20 with the bootstrap's sqrt(9 + 16) / 2 = 2.5 (the scatter is 0)
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] { 1, 2 }, lines.get(0).x());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] { 12, 20 }, lines.get(0).y(), 1e-12);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] { 2, 2.5 }, lines.get(0).error(), 1e-12);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] { 11, 21 }, lines.get(1).y(), 1e-12);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] { 0.5, 0.7 }, lines.get(1).error(), 1e-12);
        assertTrue(lines.get(1).dashed());
        java.util.Map<String, List<StudySpec.Cell>> groups = report.learningCurveGroups(spec.scans.get(0));
        assertEquals(List.of("S at saving interval 1", "S at saving interval 2"), List.copyOf(groups.keySet()));
        assertEquals(List.of(1L, 2L), groups.get("S at saving interval 1").stream().map(c -> (long) c.trainingSeed())
                .sorted().toList());
        assertEquals(List.of(1L), groups.get("S at saving interval 2").stream().map(c -> (long) c.trainingSeed())
                .toList());
        // one plot over the saving interval per measure
        report.report().write(tmp, "results");
        String md = Files.readString(tmp.resolve("results.md"));
        assertTrue(md.contains("The 'leave' MFPT over the saving interval") && md.contains(
                "The 'return' MFPT over the saving interval"), "a plot for each of the two measures");
    }

    @Test
    void learningCurvesOfMoreThanSixCellsAreSplitByTrainer() throws Exception {
        for (int seeds : new int[] { 3, 4 }) {
            String list = seeds == 3 ? "[1, 2, 3]" : "[1, 2, 3, 4]";
            StudySpec spec = StudySpec.read(write(STUDY.replace("\"trainer\": [\"B20\", \"B60\", \"broken\"] }",
                    "\"trainer\": [\"B20\", \"B60\"], \"trainingSeed\": " + list + " }")), false,
                    TestStages.registry());
            ObjectMapper m = new ObjectMapper();
            java.util.Map<String, ObjectNode> results = new java.util.LinkedHashMap<>();
            for (StudySpec.Cell c : spec.cells.values()) {
                results.put(c.key(), (ObjectNode) m.readTree("{ \"frameInterval\": " + c.stride()
                        + ", \"training\": { \"epochs\": [] } }"));
            }
            StudyReport report = new StudyReport(spec, new StudyRunner.Outcome(results, java.util.Map.of(), 0, m
                    .createArrayNode()));
            java.util.Map<String, List<StudySpec.Cell>> groups = report.learningCurveGroups(spec.scans.get(0));
            // 2 trainers x 3 seeds = 6 cells per saving interval share a chart; 2 x 4 = 8 do not
            List<String> expected = seeds == 3 ? List.of("S at saving interval 1", "S at saving interval 2")
                    : List.of("S at saving interval 1, B20", "S at saving interval 1, B60",
                            "S at saving interval 2, B20", "S at saving interval 2, B60");
            assertEquals(expected, List.copyOf(groups.keySet()));
            assertEquals(2 * 2 * seeds, groups.values().stream().mapToInt(List::size).sum());
            if (seeds == 4) {
                assertTrue(groups.get("S at saving interval 2, B60").stream().allMatch(c -> c.trainer().equals("B60")
                        && c.stride() == 2));
            }
        }
    }

    @Test
    void mergePatchFollowsRfc7396() throws Exception {
        ObjectMapper m = new ObjectMapper();
        ObjectNode target = (ObjectNode) m.readTree("{\"a\": {\"b\": 1, \"c\": 2}, \"d\": [1], \"e\": 5}");
        ObjectNode patch = (ObjectNode) m.readTree("{\"a\": {\"b\": 9, \"c\": null}, \"d\": [2, 3], \"f\": {}}");
        assertEquals(m.readTree("{\"a\": {\"b\": 9}, \"d\": [2, 3], \"e\": 5, \"f\": {}}"),
                StudySpec.merge(target, patch));
    }

    @Test
    void aGridExpandsToEveryCombinationWithKeysThatFollowTheSettings() throws Exception {
        StudySpec spec = StudySpec.read(write(STUDY), false, TestStages.registry());
        assertEquals(6, spec.cells.size());
        // a cell's weight is its estimated seconds, from its trainer's declared cost (0.01 s per training frame,
        // 0.001 s per generated frame): at saving interval 2, the simulation's 4 x 4,000 frames are 8,000, half of
        // them training (time split 0.5): 4,000 x 0.01 = 40 s of training, and as many generated frames as the
        // reference's 4,000: 4 s; the states take 1e-7 s per training and reference frame (8,000: 0.0008 s), the
        // kinetics 2e-7 s per reference and generated frame (8,000: 0.0016 s). Shared as 0.002, 90.9, 9.1 and 0.004%:
        // the two small steps are raised to 1%, which comes off the training
        StudySpec.Cell atTwo = List.copyOf(spec.cells.values()).get(3);
        assertEquals(2, atTwo.stride());
        assertEquals(44.0024, StudyRunner.weight(spec, atTwo), 1e-9);
        assertArrayEquals(new int[] { 1, 89, 9, 1 }, StudyRunner.steps(spec, atTwo));
        List<String> keys = List.copyOf(spec.cells.keySet());
        StudySpec again = StudySpec.read(write(STUDY), false, TestStages.registry());
        assertEquals(keys, List.copyOf(again.cells.keySet()));
        StudySpec other = StudySpec.read(write(STUDY.replace("\"block\": 60", "\"block\": 61")), false,
                TestStages.registry());
        assertEquals(keys.get(0), List.copyOf(other.cells.keySet()).get(0));
        assertNotEquals(keys.get(1), List.copyOf(other.cells.keySet()).get(1));
        StudySpec quick = StudySpec.read(write(STUDY), true, TestStages.registry());
        assertEquals(1, quick.cells.size());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> StudySpec.read(write(STUDY
                .replace("\"trainer\": [\"B20\"", "\"trainer\": [\"B2O\"")), false, TestStages.registry()));
        assertTrue(e.getMessage().contains("unknown trainer 'B2O'") && e.getMessage().contains("B20, B60"),
                e.getMessage());
    }

    @Test
    void cellsWithOneLabelInTwoScansAreNamedApartByTheirFirstScan() throws Exception {
        // scan "copies" holds S / stride 1 / B20 / seed 1 again with other generation settings: another cell
        StudySpec spec = StudySpec.read(write(STUDY.replace("\"trainer\": [\"B20\", \"B60\", \"broken\"] }",
                "\"trainer\": [\"B20\", \"B60\", \"broken\"] }, { \"name\": \"copies\", \"input\": \"sim\", "
                        + "\"states\": [\"S\"], \"stride\": [1], \"trainer\": [\"B20\", \"B60\"], "
                        + "\"generate\": { \"copies\": 2 } }, { \"name\": \"again\", \"input\": \"sim\", "
                        + "\"states\": [\"S\"], \"stride\": [2], \"trainer\": [\"B20\"] }")), false,
                TestStages.registry());
        assertEquals(8, spec.cells.size()); // 6 in the grid, 2 in "copies"; "again" is one of the grid's
        List<String> names = spec.cells.values().stream().map(spec::cellName).toList();
        assertEquals(List.of("S / stride 1 / B20 / seed 1 (scan grid)", "S / stride 1 / B60 / seed 1 (scan grid)",
                "S / stride 1 / broken / seed 1", "S / stride 2 / B20 / seed 1", "S / stride 2 / B60 / seed 1",
                "S / stride 2 / broken / seed 1", "S / stride 1 / B20 / seed 1 (scan copies)",
                "S / stride 1 / B60 / seed 1 (scan copies)"), names);
    }

    @Test
    void aStudyRunsItsCellsKeepsThemForARerunAndListsTheFailedOne() throws Exception {
        StudySpec spec = StudySpec.read(write(STUDY), false, TestStages.registry());
        Path out = tmp.resolve("out");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        StudyRunner.Outcome first = new StudyRunner(TestStages.registry(), spec, out, new PrintStream(log, true,
                StandardCharsets.UTF_8)).run(new NullProgressMonitor());
        assertEquals(4, first.results().size(), first.failures().toString());
        assertEquals(2, first.failures().size());
        assertTrue(first.failures().values().iterator().next().contains("fails on request"));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("[6/6]") && text.contains("left"), text);

        // the measures: a time split of the same trajectories, basins = the states themselves
        ObjectNode b20 = first.results().get(spec.cells.values().stream().filter(c -> c.trainer().equals("B20")
                && c.stride() == 1).findFirst().orElseThrow().key());
        // blocks of 20 frames: leaving either basin takes 20 frames; times are in the input's unit (20 steps of 0.01
        // per frame). The estimator adds the time cut off by trajectory ends, at most one block per trajectory over
        // about 100 passages each (+0.2 frames): the tolerance of one frame holds it
        assertEquals(0.2, b20.path("frameInterval").asDouble(), 1e-12);
        assertEquals(20 * 0.2, b20.path("mfpt").path("leave").path("generated").asDouble(), 0.2);
        assertEquals(2000, b20.path("referenceFrames").asLong() / 4);
        // at stride 2 the model makes blocks of 20 steps of 2 frames: 40 frames
        ObjectNode b20s2 = first.results().get(spec.cells.values().stream().filter(c -> c.trainer().equals("B20")
                && c.stride() == 2).findFirst().orElseThrow().key());
        assertEquals(0.4, b20s2.path("frameInterval").asDouble(), 1e-12);
        assertEquals(40 * 0.2, b20s2.path("mfpt").path("leave").path("generated").asDouble(), 0.4);
        // the reference measure recomputed independently: the same simulation (study seed), its second halves,
        // the sign of x as the state, the mean of both direct MFPTs
        List<org.slowdyn.core.data.FeatureSeries> sim = org.slowdyn.simulate.LangevinSimulator.fourWell().simulate(
                org.slowdyn.simulate.LangevinSimulator.SCHEMA.defaults()
                        .with(org.slowdyn.simulate.LangevinSimulator.TRAJECTORIES, 4)
                        .with(org.slowdyn.simulate.LangevinSimulator.FRAMES, 4000)
                        .with(org.slowdyn.simulate.LangevinSimulator.STEPS_PER_FRAME, 20), 11, null);
        List<StateSequence> held = new java.util.ArrayList<>();
        for (org.slowdyn.core.data.FeatureSeries f : sim) {
            int[] x = new int[2000];
            for (int i = 0; i < 2000; i++) {
                x[i] = f.get(2000 + i, 0) < 0 ? 0 : 1;
            }
            held.add(new StateSequence(x, 2, 0.2, "reduced", "held"));
        }
        org.slowdyn.kinetics.KineticsSummary k = org.slowdyn.kinetics.KineticsSummary.of(held, 0, 1);
        assertEquals(0.2 * (k.mfpt(0, 1) + k.mfpt(1, 0)) / 2, b20.path("mfpt").path("leave").path("reference")
                .asDouble(), 1e-9);
        // the survival of stays in state 0 (the dwell-time plots), against the stays counted by hand: runs with a
        // different state before and after them, in time units
        List<Double> stays = new java.util.ArrayList<>();
        for (StateSequence h : held) {
            int[] x = h.toArray();
            for (int i = 0, j; i < x.length; i = j) {
                for (j = i + 1; j < x.length && x[j] == x[i]; j++) {
                    // to the end of the run
                }
                if (i > 0 && j < x.length && x[i] == 0) {
                    stays.add((j - i) * 0.2);
                }
            }
        }
        JsonNode survival = b20.path("dwell").path(0).path("referenceSurvival");
        assertTrue(survival.path("t").size() > 3, survival.toString());
        for (int i = 0; i < survival.path("t").size(); i++) {
            double t = survival.path("t").get(i).asDouble();
            long longer = stays.stream().filter(v -> v > t + 1e-9).count();
            assertTrue(stays.stream().anyMatch(v -> Math.abs(v - t) < 1e-9), "t = " + t + " is a stay's length");
            assertEquals(longer / (double) stays.size(), survival.path("fraction").get(i).asDouble(), 1e-12);
        }

        // a rerun keeps the finished cells and tries the failed ones again
        ByteArrayOutputStream log2 = new ByteArrayOutputStream();
        StudyRunner.Outcome second = new StudyRunner(TestStages.registry(), spec, out, new PrintStream(log2, true,
                StandardCharsets.UTF_8)).run(new NullProgressMonitor());
        assertTrue(log2.toString(StandardCharsets.UTF_8).contains("4 kept from earlier runs"), log2.toString());
        assertEquals(first.results().toString(), second.results().toString()); // the cells read back from disk
        assertEquals(2, second.failures().size());
        // runs.json lists both runs: the first computed four cells, the second none (all kept)
        assertEquals(2, second.runs().size());
        assertEquals(4, second.runs().get(0).path("cellsComputed").asInt());
        assertEquals(0, second.runs().get(1).path("cellsComputed").asInt());
        assertEquals(4, second.runs().get(1).path("cellsKept").asInt());
        assertEquals(second.runs().get(0).path("started").asText(), b20.path("run").asText());

        // --report-only reads the finished cells back, runs none and records no run
        ByteArrayOutputStream log3 = new ByteArrayOutputStream();
        StudyRunner.Outcome read = new StudyRunner(TestStages.registry(), spec, out, new PrintStream(log3, true,
                StandardCharsets.UTF_8)).finished();
        assertEquals(first.results().toString(), read.results().toString());
        assertTrue(read.failures().isEmpty());
        assertEquals(second.runs(), read.runs());
        assertEquals(second.runs(), new ObjectMapper().readTree(out.resolve("runs.json").toFile()));
        assertTrue(log3.toString(StandardCharsets.UTF_8).contains("4 of 6 cells finished"), log3.toString());

        // the results page: one table row per cell, failed cells listed, the claim judged by its rule
        new StudyReport(spec, second).report().write(out, "results");
        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(6, results.path("scans").get(0).path("cells").size());
        assertEquals(2, results.path("failures").size());
        JsonNode claim = results.path("claims").get(0);
        double rel = b20.path("mfpt").path("leave").path("relativeError").asDouble();
        double err = b20.path("mfpt").path("leave").path("relativeErrorError").asDouble();
        String expected = Math.abs(rel) <= 0.25 || Math.abs(rel) <= 2 * err ? "reproduced"
                : Math.abs(rel) - 2 * err > 0.5 ? "failed" : "not resolved";
        assertEquals(expected, claim.path("verdict").asText(), claim.toString());
        // the evidence counts the cells by verdict (the claim names one cell: B20 at saving interval 1)
        String counted = expected.equals("reproduced") ? "(1 of 1 cells reproduced, 0 failed)"
                : expected.equals("failed") ? "(0 of 1 cells reproduced, 1 failed)"
                        : "(0 of 1 cells reproduced, 0 failed)";
        assertTrue(claim.path("evidence").asText().contains(counted), claim.toString());
        String html = Files.readString(out.resolve("results.html"));
        assertTrue(html.contains("<svg") && html.contains("Failed cells") && html.contains("fails on request"));
        assertTrue(html.contains("Survival of stays in state 0") && html.contains("Survival of stays in state 1"),
                "the dwell-time plots, one per state and saving interval");
    }

    @Test
    void aCancelledRunStopsAtOnceRecordsItselfAndKeepsItsFinishedCells() throws Exception {
        // one cell at a time: the cells finish in a fraction of a second, so with two at a time the cells beside the
        // first and after it could finish before the run, on a loaded machine, logs the first one
        StudySpec spec = StudySpec.read(write(STUDY.replace("\"parallel\": 2", "\"parallel\": 1")), false,
                TestStages.registry());
        Path out = tmp.resolve("out");
        // cancelled as soon as the first cell is collected (its line in the log)
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        NullProgressMonitor cancelAfterOne = new NullProgressMonitor() {
            @Override
            public boolean isCanceled() {
                return log.toString(StandardCharsets.UTF_8).contains("[1/6]");
            }
        };
        assertThrows(org.eclipse.core.runtime.OperationCanceledException.class, () -> new StudyRunner(
                TestStages.registry(), spec, out, new PrintStream(log, true, StandardCharsets.UTF_8)).run(
                        cancelAfterOne));
        JsonNode runs = new ObjectMapper().readTree(out.resolve("runs.json").toFile());
        assertEquals(1, runs.size(), runs.toString());
        JsonNode run = runs.get(0);
        assertTrue(run.path("cancelled").asBoolean(), run.toString());
        // the first cell was collected before the cancellation; the cell started after it may have finished too
        // (kept), the others did not run
        int done = run.path("cellsComputed").asInt() + run.path("cellsFailed").asInt();
        assertTrue(done >= 1 && done <= 2, run.toString());
        assertEquals(6 - done, run.path("cellsNotRun").asInt(), run.toString());
        long written;
        try (var files = Files.list(out.resolve("cells"))) {
            written = files.filter(f -> f.toString().endsWith(".json")).count();
        }
        assertEquals(run.path("cellsComputed").asInt(), written);

        // a rerun keeps what the cancelled run finished and is recorded as the second run, complete
        ByteArrayOutputStream log2 = new ByteArrayOutputStream();
        StudyRunner.Outcome second = new StudyRunner(TestStages.registry(), spec, out, new PrintStream(log2, true,
                StandardCharsets.UTF_8)).run(new NullProgressMonitor());
        assertTrue(log2.toString(StandardCharsets.UTF_8).contains(written + " kept from earlier runs"), log2.toString());
        assertEquals(2, second.runs().size());
        assertFalse(second.runs().get(1).has("cancelled"), second.runs().toString());
        assertEquals(4, second.results().size());
        // the page's table of runs says which run was cancelled and how many cells it left
        new StudyReport(spec, second).report().write(out, "results");
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("| 1 | " + run.path("started").asText() + " | "), md);
        assertTrue(md.contains(run.path("cellsComputed").asInt() + " (cancelled; " + (6 - done) + " cells not run) |"),
                md);

        // a run killed before it wrote its record (SIGKILL) is still listed, counted from the cells it computed
        com.fasterxml.jackson.databind.node.ArrayNode secondOnly = new ObjectMapper().createArrayNode().add(
                second.runs().get(1));
        new StudyReport(spec, new StudyRunner.Outcome(second.results(), second.failures(), 0, secondOnly)).report()
                .write(out, "killed");
        String killed = Files.readString(out.resolve("killed.md"));
        assertTrue(killed.contains("| 1 | " + run.path("started").asText() + " | not recorded | " + written
                + " (counted from its cells; it has no record: it is still going, or it stopped without writing one) "
                + "| n/a | n/a | n/a |"), killed);
        assertTrue(killed.contains("| 2 | " + second.runs().get(1).path("started").asText() + " | "), killed);
    }

    @Test
    void aCellThatFinishesBesideALongOneIsKeptAndLoggedAndTheLongOneShowsProgress() throws Exception {
        // the first cell trains until cancelled; the second (B20, well under a second) finishes beside it and is
        // collected and logged at once, though an earlier cell is still running; the run is cancelled 5 s after it
        // started
        StudySpec spec = StudySpec.read(write(STUDY.replace("\"broken\": {", "\"hold\": { \"id\": \"test.blocks\", "
                + "\"settings\": { \"hold\": true } }, \"broken\": {").replace("\"stride\": [1, 2],", "\"stride\": [1],").replace(
                        "\"trainer\": [\"B20\", \"B60\", \"broken\"] }", "\"trainer\": [\"hold\", \"B20\"] }")), false,
                TestStages.registry());
        assertEquals(List.of("hold", "B20"), spec.cells.values().stream().map(StudySpec.Cell::trainer).toList());
        long t0 = System.nanoTime();
        CellProgressTest.Recording cancelAfter5s = new CellProgressTest.Recording() {
            @Override
            public boolean isCanceled() {
                return System.nanoTime() - t0 > 5_000_000_000L;
            }
        };
        Path out = tmp.resolve("held");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        assertThrows(org.eclipse.core.runtime.OperationCanceledException.class, () -> new StudyRunner(
                TestStages.registry(), spec, out, new PrintStream(log, true, StandardCharsets.UTF_8))
                        .run(cancelAfter5s));
        JsonNode run = new ObjectMapper().readTree(out.resolve("runs.json").toFile()).get(0);
        assertEquals(1, run.path("cellsComputed").asInt(), run.toString());
        assertEquals(1, run.path("cellsNotRun").asInt(), run.toString());
        String b20 = spec.cells.values().stream().filter(c -> c.trainer().equals("B20")).findFirst().orElseThrow()
                .key();
        assertTrue(Files.exists(out.resolve("cells").resolve(b20 + ".json")), "the finished B20 cell is kept");
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("[1/2] S / stride 1 / B20 / seed 1 done"), text);
        // the study's progress: all of B20's weight and the held cell's prepared states; its training reports
        // nothing while it holds. Both weigh 0.0016 + 80 + 8 + 0.0032 = 88.0048 s at saving interval 1 (8,000
        // training frames at 0.01 s, 8,000 generated at 0.001 s; 16,000 frames at 1e-7 s for the states and at 2e-7
        // s for the kinetics), and the states are raised to 1% of it
        StudySpec.Cell held = spec.cells.values().iterator().next();
        double weight = 88.0048;
        assertEquals(weight, StudyRunner.weight(spec, held), 1e-9);
        assertArrayEquals(new int[] { 1, 89, 9, 1 }, StudyRunner.steps(spec, held));
        assertEquals(weight + weight * 0.01, cancelAfter5s.worked, 1e-9);
        assertTrue(cancelAfter5s.subTasks.contains("S / stride 1 / hold / seed 1: training test.blocks"),
                cancelAfter5s.subTasks.toString());
    }

    @Test
    void aNotBetterClaimComparesMeanAbsoluteErrorsPerStateModelAndIntervalAndCountsPlateaus() throws Exception {
        StudySpec spec = StudySpec.read(write(STUDY.replace("\"trainer\": [\"B20\", \"B60\", \"broken\"] }",
                "\"trainer\": [\"B20\", \"B60\"], \"trainingSeed\": [1, 2, 3] }").replace("\"kind\": \"accuracy\"",
                        "\"kind\": \"notBetter\", \"better\": \"B60\", \"than\": \"B20\"").replace(
                                "\"trainer\": [\"B20\"], \"stride\": [1] }", "\"stride\": [1, 2] }")), false,
                TestStages.registry());
        for (boolean b60BetterAtOne : new boolean[] { true, false }) {
            ObjectMapper m = new ObjectMapper();
            java.util.Map<String, ObjectNode> results = new java.util.LinkedHashMap<>();
            for (StudySpec.Cell c : spec.cells.values()) {
                // relative errors +-e over seeds 1, 2, 3 (signs +, -, +), each with a bootstrap error of 0.01:
                // B20 at 0.30 and 0.10, B60 at 0.05 (or 0.40) and 0.10 at saving intervals 1 and 2
                boolean b60 = c.trainer().equals("B60");
                double e = c.stride() == 2 ? 0.10 : !b60 ? 0.30 : b60BetterAtOne ? 0.05 : 0.40;
                double rel = c.trainingSeed() == 2 ? -e : e;
                // B60's seed 3 reached its epoch cap; every other cell stopped by patience
                String stop = b60 && c.trainingSeed() == 3 ? "reached the maximum of 20 epochs"
                        : "early stop: no improvement of the validation loss in 4 epochs";
                ObjectNode r = (ObjectNode) m.readTree("{ \"frameInterval\": " + c.stride() + ", \"mfpt\": { "
                        + "\"leave\": { \"relativeError\": " + rel + ", \"relativeErrorError\": 0.01 } } }");
                r.putObject("training").put("stopReason", stop).putArray("epochs").addObject().put("epoch", 1);
                results.put(c.key(), r);
            }
            StudyReport.Judgement j = new StudyReport(spec, new StudyRunner.Outcome(results, java.util.Map.of(), 0,
                    m.createArrayNode())).judgements().get(0);
            // mean |error| over 3 seeds with no scatter: the bootstrap's sqrt(3 x 0.01^2) / 3 = 0.0058 each; a
            // difference of 0.25 (or 0.10) is far beyond 2 x sqrt(2) x 0.0058 = 0.016, a difference of 0 is not
            assertTrue(j.evidence().contains("S at 1: |error| " + (b60BetterAtOne ? "5.0" : "40.0")
                    + " ± 0.6% vs 30.0 ± 0.6% (3 vs 3 seeds; on a plateau 2 vs 3)"), j.evidence());
            assertTrue(j.evidence().contains("S at 2: |error| 10.0 ± 0.6% vs 10.0 ± 0.6%"), j.evidence());
            if (b60BetterAtOne) { // better on 1 of 2 pairs: not more than half, and not none
                assertEquals(StudyReport.Verdict.NOT_RESOLVED, j.verdict());
                assertTrue(j.evidence().contains("significantly better on 1 and significantly worse on 0 of 2"));
            } else {
                assertEquals(StudyReport.Verdict.REPRODUCED, j.verdict());
                assertTrue(j.evidence().contains("significantly better on 0 and significantly worse on 1 of 2"));
            }
        }
    }

    @Test
    void aClaimThatNamesNothingOfItsStudyFailsWhenTheFileIsReadBeforeAnyCellRuns() throws Exception {
        // the test study's one claim from its kind to its end
        String claim = STUDY.substring(STUDY.indexOf("\"kind\": \"accuracy\""), STUDY.indexOf("\"stride\": [1] }")
                + "\"stride\": [1] }".length());
        assertTrue(claim.contains("\"trainer\": [\"B20\"]") && claim.contains("\"scan\": \"grid\""), claim);
        // each edit of the one claim, and the message that names what is wrong
        java.util.Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put(claim.replace("\"grid\"", "\"grdi\""), "unknown scan 'grdi' (defined: grid)");
        bad.put(claim.replace("\"leave\"", "\"stay\""), "input 'sim' of scan 'grid' defines no measure 'stay'");
        bad.put(claim.replace("\"B20\"", "\"B02\""), "trainer \"B02\" matches no cell of scan 'grid'");
        bad.put(claim.replace("[1] }", "[3] }"), "stride 3 matches no cell of scan 'grid'");
        bad.put(claim.replace("accuracy", "acuracy"), "kind must be accuracy, truth or notBetter, not 'acuracy'");
        bad.put(claim.replace("accuracy", "notBetter\", \"better\": \"B60\", \"than\": \"B80"),
                "than = 'B80' is no trainer of scan 'grid'");
        bad.put(claim.replace("\"accuracy\"", "\"truth\", \"good\": { \"states\": [\"S\"] }, \"bad\": { \"states\": "
                + "[\"T\"] }"), "bad: states \"T\" matches no cell of scan 'grid'");
        bad.put(claim.replace("[1] }", "[1], \"seed\": 2 }"), "unknown field 'seed'");
        for (java.util.Map.Entry<String, String> e : bad.entrySet()) {
            ConfigurationException x = assertThrows(ConfigurationException.class,
                    () -> StudySpec.read(write(STUDY.replace(claim, e.getKey())), false, TestStages.registry()),
                    e.getKey());
            assertTrue(x.getMessage().contains(e.getValue()) && x.getMessage().contains("claim 'B20 is accurate'"),
                    x.getMessage());
        }
        ConfigurationException rules = assertThrows(ConfigurationException.class,
                () -> StudySpec.read(write(STUDY.replace("\"claims\": [", "\"rules\": { \"reproduced\": 0.6 }, "
                        + "\"claims\": [")), false, TestStages.registry()));
        assertTrue(rules.getMessage().contains("rules.reproduced must be less than rules.failed"), rules.getMessage());
        // the claim as written, and a truth claim on the input's truth, are read
        StudySpec.read(write(STUDY.replace(claim, claim.replace("\"accuracy\"", "\"truth\", \"good\": { "
                + "\"stride\": [1] }, \"bad\": { \"stride\": [2] }"))), false, TestStages.registry());
    }

    @Test
    void aCellNotRunIsListedAsNotRunAtItsSavingIntervalAndAFailedOneAsFailed() throws Exception {
        StudySpec spec = StudySpec.read(write(STUDY), false, TestStages.registry());
        ObjectMapper m = new ObjectMapper();
        java.util.Map<String, ObjectNode> results = new java.util.LinkedHashMap<>();
        java.util.Map<String, String> failures = new java.util.LinkedHashMap<>();
        for (StudySpec.Cell c : spec.cells.values()) {
            if (c.stride() == 1 && c.trainer().equals("B20")) { // the one finished cell: 0.5 time units per frame
                results.put(c.key(), (ObjectNode) m.readTree("{ \"frameInterval\": 0.5 }"));
            } else if (c.trainer().equals("broken")) {
                failures.put(c.key(), "fails on request");
            }
        }
        new StudyReport(spec, new StudyRunner.Outcome(results, failures, 0, m.createArrayNode())).report().write(tmp,
                "results");
        String md = Files.readString(tmp.resolve("results.md"));
        // B60 at stride 2 never ran: its saving interval is 2 x 0.5 = 1 from the finished cell of the same input
        assertTrue(md.contains("| S | 1 | B60 | 1 | n/a | n/a | n/a | n/a | not run |"), md);
        assertTrue(md.contains("| S | 1 | broken | 1 | n/a | n/a | n/a | n/a | failed: fails on request |"), md);
        assertFalse(md.contains("failed: not run"), md);
        JsonNode cells = m.readTree(tmp.resolve("results.json").toFile()).path("scans").get(0).path("cells");
        // 6 cells: 1 finished, the broken trainer's 2 failed, the other 3 not run
        List<JsonNode> list = new ArrayList<>();
        cells.forEach(list::add);
        assertEquals(6, list.size());
        assertEquals(2, list.stream().filter(x -> x.path("failed").asText().equals("fails on request")).count());
        assertEquals(3, list.stream().filter(x -> x.path("notRun").asBoolean() && !x.has("failed")).count());
    }

    @Test
    void aClaimWhoseCellsDidNotAllFinishIsNotReproducedAndListsThem() throws Exception {
        String claim = STUDY.substring(STUDY.indexOf("\"kind\": \"accuracy\""), STUDY.indexOf("\"stride\": [1] }")
                + "\"stride\": [1] }".length());
        ObjectMapper m = new ObjectMapper();
        // each claim, and the verdict that it would get if only its finished cells counted (all of them pass)
        java.util.Map<String, String> claims = new java.util.LinkedHashMap<>();
        // B20 at 1 within 1% of its reference; the broken trainer's cell at 1 failed
        claims.put(claim.replace("[\"B20\"]", "[\"B20\", \"broken\"]"),
                "1 cell named by the claim did not finish and is not judged: S broken at 0.5 seed 1 (failed)");
        // B60 no better than B20 where both ran (equal errors at 1), but B60 at stride 2 (interval 1) never ran
        claims.put(claim.replace("\"accuracy\"", "\"notBetter\", \"better\": \"B60\", \"than\": \"B20\"")
                .replace("\"trainer\": [\"B20\"], \"stride\": [1]", "\"trainer\": [\"B20\", \"B60\"], \"stride\": [1, 2]"),
                "Not compared: S at 1 (no B60 cell finished). 1 cell named by the claim did not finish and is not "
                        + "judged: S B60 at 1 seed 1 (not run)");
        // the truth (30 +- 1) reproduced by the good reference (B20 at 1: 30) and failed by the bad ones (B20 at
        // 2: 100), but the bad filter also names B60 at 2, never run
        claims.put(claim.replace("\"accuracy\"", "\"truth\", \"good\": { \"trainer\": [\"B20\"], \"stride\": [1] "
                + "}, \"bad\": { \"trainer\": [\"B20\", \"B60\"], \"stride\": [2] }"),
                "1 cell named by the claim did not finish and is not judged: S B60 at 1 seed 1 (not run)");
        for (java.util.Map.Entry<String, String> e : claims.entrySet()) {
            StudySpec spec = StudySpec.read(write(STUDY.replace(claim, e.getKey())), false, TestStages.registry());
            java.util.Map<String, ObjectNode> results = new java.util.LinkedHashMap<>();
            java.util.Map<String, String> failures = new java.util.LinkedHashMap<>();
            for (StudySpec.Cell c : spec.cells.values()) {
                if (c.trainer().equals("broken")) {
                    failures.put(c.key(), "fails on request");
                } else if (c.trainer().equals("B20") || c.stride() == 1) { // B60 at stride 2 is not run
                    double reference = c.stride() == 1 ? 30 : 100;
                    results.put(c.key(), (ObjectNode) m.readTree("{ \"frameInterval\": " + 0.5 * c.stride()
                            + ", \"mfpt\": { \"leave\": { \"relativeError\": 0.01, \"relativeErrorError\": 0.01, "
                            + "\"reference\": " + reference + ", \"referenceError\": 0.5 } } }"));
                }
            }
            StudyReport.Judgement j = new StudyReport(spec, new StudyRunner.Outcome(results, failures, 0,
                    m.createArrayNode())).judgements().get(0);
            assertEquals(StudyReport.Verdict.NOT_RESOLVED, j.verdict(), j.evidence());
            assertTrue(j.evidence().endsWith(e.getValue()), j.evidence());
            // the same claim with every named cell finished is reproduced: the unfinished cell alone decides
            for (StudySpec.Cell c : spec.cells.values()) {
                results.computeIfAbsent(c.key(), k -> results.get(spec.cells.values().stream().filter(
                        o -> o.trainer().equals("B20") && o.stride() == c.stride()).findFirst().orElseThrow().key()));
            }
            StudyReport.Judgement all = new StudyReport(spec, new StudyRunner.Outcome(results, java.util.Map.of(), 0,
                    m.createArrayNode())).judgements().get(0);
            assertEquals(StudyReport.Verdict.REPRODUCED, all.verdict(), all.evidence());
            assertFalse(all.evidence().contains("did not finish"), all.evidence());
        }
    }

    @Test
    void unfinishedCellsThatDifferOnlyByTheirSeedAreListedOnce() throws Exception {
        // 2 training seeds; the broken trainer fails at both intervals, B60 at stride 2 is not run
        StudySpec spec = StudySpec.read(write(STUDY.replace("\"trainer\": [\"B20\", \"B60\", \"broken\"] }",
                "\"trainer\": [\"B20\", \"B60\", \"broken\"], \"trainingSeed\": [1, 2] }").replace(
                        "\"trainer\": [\"B20\"], \"stride\": [1] }", "\"stride\": [1, 2] }")), false,
                TestStages.registry());
        ObjectMapper m = new ObjectMapper();
        java.util.Map<String, ObjectNode> results = new java.util.LinkedHashMap<>();
        java.util.Map<String, String> failures = new java.util.LinkedHashMap<>();
        for (StudySpec.Cell c : spec.cells.values()) {
            if (c.trainer().equals("broken")) {
                failures.put(c.key(), "fails on request");
            } else if (c.trainer().equals("B20") || c.stride() == 1) {
                results.put(c.key(), (ObjectNode) m.readTree("{ \"frameInterval\": " + 0.5 * c.stride()
                        + ", \"mfpt\": { \"leave\": { \"relativeError\": 0.01, \"relativeErrorError\": 0.01 } } }"));
            }
        }
        assertEquals(12, spec.cells.size());
        StudyReport.Judgement j = new StudyReport(spec, new StudyRunner.Outcome(results, failures, 0,
                m.createArrayNode())).judgements().get(0);
        assertEquals(StudyReport.Verdict.NOT_RESOLVED, j.verdict(), j.evidence());
        // 6 cells in 3 entries, one per state model, trainer, saving interval and outcome
        assertTrue(j.evidence().contains("6 cells named by the claim did not finish and are not judged: "), j.evidence());
        for (String entry : List.of("S broken at 0.5 seeds 1, 2 (failed)", "S broken at 1 seeds 1, 2 (failed)",
                "S B60 at 1 seeds 1, 2 (not run)")) {
            assertTrue(j.evidence().contains(entry), entry + " in " + j.evidence());
        }
        String list = j.evidence().substring(j.evidence().indexOf("not judged: ") + "not judged: ".length());
        assertEquals(3, list.split("; ").length, list);
    }

    @Test
    void aRunOfPartOfAStudyRunsOnlyItsCellsCheapestFirstAndTheNextRunTheRest() throws Exception {
        // one cell at a time, so that the log shows the order the cells ran in
        StudySpec spec = StudySpec.read(write(STUDY.replace("\"parallel\": 2", "\"parallel\": 1")), false,
                TestStages.registry());
        StudySpec.Cell one = spec.cells.values().stream().filter(c -> c.trainer().equals("B20") && c.stride() == 1)
                .findFirst().orElseThrow();
        StudySpec.Cell two = spec.cells.values().stream().filter(c -> c.trainer().equals("B20") && c.stride() == 2)
                .findFirst().orElseThrow();
        // at stride 2 a cell has half the frames: it is the cheaper of the two, and the study lists it second
        assertTrue(StudyRunner.weight(spec, two) < StudyRunner.weight(spec, one));
        StudySpec.Selection b20 = spec.select(List.of("trainer=B20"));
        assertEquals("trainer=B20", b20.text());
        Path out = tmp.resolve("out");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        StudyRunner.Outcome first = new StudyRunner(TestStages.registry(), spec, out, new PrintStream(log, true,
                StandardCharsets.UTF_8)).run(new NullProgressMonitor(), b20, true);
        String text = log.toString(StandardCharsets.UTF_8);
        assertEquals(List.of(one.key(), two.key()), List.copyOf(first.results().keySet())); // in the study's order
        assertTrue(first.failures().isEmpty());
        assertTrue(text.contains("2 to run (--only trainer=B20; 4 left for another run)"), text);
        assertTrue(text.contains("[1/2] " + spec.cellName(two)) && text.contains("[2/2] " + spec.cellName(one)),
                text);
        JsonNode run = first.runs().get(0);
        assertEquals("trainer=B20", run.path("only").asText());
        assertEquals(4, run.path("cellsNotSelected").asInt());
        assertEquals(2, run.path("cellsComputed").asInt());

        // the next run, of the whole study, keeps both and runs the other four (the broken trainer's two fail)
        ByteArrayOutputStream log2 = new ByteArrayOutputStream();
        StudyRunner.Outcome second = new StudyRunner(TestStages.registry(), spec, out, new PrintStream(log2, true,
                StandardCharsets.UTF_8)).run(new NullProgressMonitor());
        assertTrue(log2.toString(StandardCharsets.UTF_8).contains("2 kept from earlier runs in " + out.resolve(
                "cells") + ", 4 to run, 1 at a time"), log2.toString(StandardCharsets.UTF_8));
        assertEquals(4, second.results().size());
        assertEquals(2, second.failures().size());
        assertFalse(second.runs().get(1).has("only"));
        new StudyReport(spec, second).report().write(out, "results");
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("| 1 | " + run.path("started").asText() + " | ") && md.contains(" | 2 (only "
                + "trainer=B20) | 0 | 0 | 1 |"), md);

        // conditions on several fields: a cell meets all of them; a scan holds the cells it names
        assertEquals(List.of(two.key()), spec.cells.values().stream().filter(spec.select(List.of("trainer=B20,B60",
                "stride=2", "seed=1")).test()).filter(c -> c.trainer().equals("B20")).map(StudySpec.Cell::key)
                .toList());
        assertEquals(2, spec.cells.values().stream().filter(spec.select(List.of("trainer=B60,B20", "stride=2"))
                .test()).count());
        assertEquals(6, spec.cells.values().stream().filter(spec.select(List.of("scan=grid")).test()).count());
        // a selection made on the spec holds for the same cells read again (--parallel reads the file's cells anew)
        StudySpec again = spec.withParallel(3);
        assertEquals(6, again.cells.values().stream().filter(spec.select(List.of("scan=grid")).test()).count());
        assertTrue(spec.select(List.of()) == StudySpec.Selection.ALL);
    }

    @Test
    void aTimeLimitStartsTheCellsThatFitScaledByTheFinishedOnesAndStopsTheCellsRunningAtTheLimit() throws Exception {
        // one cell at a time; the broken trainer is replaced by one that holds its cell until it is stopped
        StudySpec spec = StudySpec.read(write(STUDY.replace("\"parallel\": 2", "\"parallel\": 1")
                .replace("\"broken\": { \"id\": \"test.blocks\", \"settings\": { \"fail\": true } }",
                        "\"hold\": { \"id\": \"test.blocks\", \"settings\": { \"hold\": true } }")
                .replace("[\"B20\", \"B60\", \"broken\"]", "[\"B20\", \"B60\", \"hold\"]")), false,
                TestStages.registry());
        StudySpec.Cell one = spec.cells.values().stream().filter(c -> c.trainer().equals("B20") && c.stride() == 1)
                .findFirst().orElseThrow();
        StudySpec.Cell two = spec.cells.values().stream().filter(c -> c.trainer().equals("B20") && c.stride() == 2)
                .findFirst().orElseThrow();
        // the trainer declares 0.01 s per training frame: 8,000 training frames at stride 1, 4,000 at 2, and
        // 0.001 s per generated frame; the study lists stride 1 first
        double atOne = StudyRunner.weight(spec, one), atTwo = StudyRunner.weight(spec, two);
        assertEquals(88, atOne, 1);
        assertEquals(44, atTwo, 1);
        assertTrue(List.copyOf(spec.cells.values()).indexOf(one) < List.copyOf(spec.cells.values()).indexOf(two));
        Path out = tmp.resolve("out");

        // 30 s: no cell's estimate (with the margin) fits; none runs, and the run says why
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        StudyRunner.Outcome none = new StudyRunner(TestStages.registry(), spec, out, new PrintStream(log, true,
                StandardCharsets.UTF_8)).run(new NullProgressMonitor(), StudySpec.Selection.ALL, false, 30);
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(none.results().isEmpty() && none.failures().isEmpty());
        assertTrue(text.contains("time limit 30 s: 6 cells left for another run (the cheapest left, "
                + spec.cellName(two) + ", is predicted to take 44 s)"), text);
        JsonNode run = none.runs().get(0);
        assertEquals(30, run.path("timeLimitSeconds").asDouble(), 0);
        assertTrue(run.path("stoppedAtTimeLimit").asBoolean(), run.toString());
        assertEquals(6, run.path("cellsNotRun").asInt());
        assertFalse(run.has("cancelled") || run.has("stoppedByError"), run.toString());

        // 60 s: the stride-2 cell fits (44 s x 1.25) and starts first; it takes a fraction of a second, and the
        // trainer's cells are then predicted from it, so the stride-1 cells fit too
        ByteArrayOutputStream log2 = new ByteArrayOutputStream();
        StudyRunner.Outcome fits = new StudyRunner(TestStages.registry(), spec, out, new PrintStream(log2, true,
                StandardCharsets.UTF_8)).run(new NullProgressMonitor(), spec.select(List.of("trainer=B20,B60")),
                        false, 60);
        text = log2.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("[1/4] " + spec.cellName(two) + " done"), text);
        assertTrue(text.contains("[4/4] "), text);
        assertEquals(4, fits.results().size());
        run = fits.runs().get(1);
        assertEquals(4, run.path("cellsComputed").asInt());
        assertEquals(60, run.path("timeLimitSeconds").asDouble(), 0);
        assertFalse(run.has("stoppedAtTimeLimit") || run.has("cellsNotRun"), run.toString());

        // 3 s for the holding cells: predicted from the four kept cells they fit, the first starts, and at the limit
        // it is stopped; the run returns with the page's record, the other holding cell not started
        ByteArrayOutputStream log3 = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        StudyRunner.Outcome stopped = new StudyRunner(TestStages.registry(), spec, out, new PrintStream(log3, true,
                StandardCharsets.UTF_8)).run(new NullProgressMonitor(), spec.select(List.of("trainer=hold")), false,
                        3);
        double wall = (System.nanoTime() - t0) / 1e9;
        text = log3.toString(StandardCharsets.UTF_8);
        assertTrue(wall >= 3, "stopped after " + wall + " s");
        assertTrue(text.contains("scaled by the seconds of 4 finished cells"), text);
        assertTrue(text.contains("time limit 3 s: stopped 1 cell still running; 2 cells left for another run"),
                text);
        assertEquals(4, stopped.results().size());
        assertTrue(stopped.failures().isEmpty());
        run = stopped.runs().get(2);
        assertTrue(run.path("stoppedAtTimeLimit").asBoolean(), run.toString());
        assertEquals(0, run.path("cellsComputed").asInt());
        assertEquals(2, run.path("cellsNotRun").asInt());
        new StudyReport(spec, stopped).report().write(out, "results");
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains(" | 0 (time limit 30 s; 6 cells not run) | 0 | 0 | 1 |"), md);
        assertTrue(md.contains(" | 4 (time limit 60 s) (only trainer=B20,B60) | 0 | 0 | 1 |"), md);
        assertTrue(md.contains(" | 0 (time limit 3 s; 2 cells not run) (only trainer=hold) | 4 | 0 | 1 |"), md);
    }

    @Test
    void aCellIsPredictedFromTheFinishedCellsOfItsTrainerSettingsOnItsStatesElseOfItsTrainer() throws Exception {
        // three state models alike; finished cells on S took twice their estimate, on S2 four times
        String alike = "{ \"featurizer\": { \"id\": \"test.columns\" }, \"partition\": { \"id\": \"test.sign\" }, "
                + "\"filter\": { \"id\": \"test.none\" } }";
        StudySpec spec = StudySpec.read(write(STUDY.replace("\"states\": { \"S\": ", "\"states\": { \"S2\": "
                + alike + ", \"S3\": " + alike + ", \"S\": ").replace("\"states\": [\"S\"]",
                        "\"states\": [\"S\", \"S2\", \"S3\"]")), false, TestStages.registry());
        StudyRunner runner = new StudyRunner(TestStages.registry(), spec, tmp.resolve("p"), new PrintStream(
                java.io.OutputStream.nullOutputStream()));
        java.util.function.BiFunction<String, String, StudySpec.Cell> cell = (states, trainer) -> spec.cells.values()
                .stream().filter(c -> c.states().equals(states) && c.trainer().equals(trainer) && c.stride() == 1)
                .findFirst().orElseThrow();
        StudySpec.Cell onS = cell.apply("S", "B20"), onS2 = cell.apply("S2", "B20");
        double[] e = StudyRunner.stepSeconds(spec, onS);
        double own = java.util.Arrays.stream(e).sum() - e[0]; // the estimate less preparing the states
        java.util.Map<String, double[]> rates = new java.util.HashMap<>();
        assertEquals(StudyRunner.weight(spec, onS), runner.predictedSeconds(onS, rates), 1e-9); // nothing finished
        ObjectMapper m = new ObjectMapper();
        runner.addRate(rates, onS, m.readTree("{ \"seconds\": { \"prepare\": 5, \"total\": " + (5 + 2 * own)
                + " } }"));
        runner.addRate(rates, onS2, m.readTree("{ \"seconds\": { \"prepare\": 0, \"total\": " + 4 * own + " } }"));
        // B60, other settings (estimated alike), before a cell of it finished: B20's rate on its states
        assertEquals(e[0] + 2 * own, runner.predictedSeconds(cell.apply("S", "B60"), rates), 1e-6);
        assertEquals(e[0] + 4 * own, runner.predictedSeconds(cell.apply("S2", "B60"), rates), 1e-6);
        // no finished cell on S3: B20's cells on every state model, 6 s of work per 2 estimated
        assertEquals(e[0] + 3 * own, runner.predictedSeconds(cell.apply("S3", "B60"), rates), 1e-6);
        // a cell of the other settings (B60) on S took 10 times its estimate: its settings predict B60 on every
        // state model, and B20 keeps its own rates
        StudySpec.Cell b60 = cell.apply("S", "B60");
        double[] e60 = StudyRunner.stepSeconds(spec, b60);
        double own60 = java.util.Arrays.stream(e60).sum() - e60[0];
        runner.addRate(rates, b60, m.readTree("{ \"seconds\": { \"prepare\": 0, \"total\": " + 10 * own60
                + " } }"));
        assertEquals(e60[0] + 10 * own60, runner.predictedSeconds(cell.apply("S2", "B60"), rates), 1e-6);
        assertEquals(e60[0] + 10 * own60, runner.predictedSeconds(cell.apply("S3", "B60"), rates), 1e-6);
        assertEquals(e[0] + 2 * own, runner.predictedSeconds(cell.apply("S", "B20"), rates), 1e-6);
        assertEquals(e[0] + 4 * own, runner.predictedSeconds(cell.apply("S2", "B20"), rates), 1e-6);
        assertEquals(e[0] + 3 * own, runner.predictedSeconds(cell.apply("S3", "B20"), rates), 1e-6);
        // settings with no finished cell ("broken"): the slowest settings of the trainer on the state model (B60's
        // 10 times on S; on S2 only B20 finished, 4 times), else on any (B60's 10 times, not B20's 3)
        double[] eb = StudyRunner.stepSeconds(spec, cell.apply("S", "broken"));
        double ownb = java.util.Arrays.stream(eb).sum() - eb[0];
        assertEquals(eb[0] + 10 * ownb, runner.predictedSeconds(cell.apply("S", "broken"), rates), 1e-6);
        assertEquals(eb[0] + 4 * ownb, runner.predictedSeconds(cell.apply("S2", "broken"), rates), 1e-6);
        assertEquals(eb[0] + 10 * ownb, runner.predictedSeconds(cell.apply("S3", "broken"), rates), 1e-6);
    }

    @Test
    void aSelectionThatNamesWhatTheStudyLacksOrMeetsNoCellIsRefused() throws Exception {
        StudySpec spec = StudySpec.read(write(STUDY.replace("\"scans\": [", "\"scans\": [ { \"name\": \"few\", "
                + "\"input\": \"sim\", \"states\": [\"S\"], \"stride\": [10], \"trainer\": [\"B60\"] },")),
                false, TestStages.registry());
        for (String[] c : new String[][] {
                { "trainer=B2", "no cell of " + spec.source + " has trainer 'B2' (its cells have B20, B60, broken)" },
                { "stride=3", "has stride '3' (its cells have 1, 2, 10)" }, // in numeric order
                { "seed=1,12", "has seed '12' (its cells have 1)" },
                { "colour=red", "--only colour=red: expected FIELD=V1,V2,... with FIELD one of scan, input, states, "
                        + "stride, trainer, seed" },
                { "trainer", "expected FIELD=V1,V2,..." } }) {
            ConfigurationException x = assertThrows(ConfigurationException.class, () -> spec.select(List.of(c[0])));
            assertTrue(x.getMessage().contains(c[1]), x.getMessage());
        }
        ConfigurationException twice = assertThrows(ConfigurationException.class, () -> spec.select(List.of(
                "stride=1", "stride=2")));
        assertTrue(twice.getMessage().startsWith("--only names 'stride' twice"), twice.getMessage());
        // each value exists, but the scan 'few' holds no B20 cell
        ConfigurationException none = assertThrows(ConfigurationException.class, () -> spec.select(List.of(
                "scan=few", "trainer=B20")));
        assertTrue(none.getMessage().contains("--only scan=few --only trainer=B20: no cell of " + spec.source
                + " meets all of them"), none.getMessage());
        assertEquals(1, spec.cells.values().stream().filter(spec.select(List.of("scan=few")).test()).count());
    }

    @Test
    void theTimeLeftSharesTheRemainingCellsOverTheCellsThatRunAtATime() {
        double[] none = {};
        // 14 cells of 19 min left, 2 at a time: 7 rounds of 19 min = 133 min (the elapsed time over the cells done
        // would say 14 x 19 = 266 min); one at a time, 266 min; a single cell runs alone: 19 min
        double[] fourteen = new double[14];
        java.util.Arrays.fill(fourteen, 19 * 60);
        assertEquals(133 * 60, StudyRunner.timeLeft(none, fourteen, 2), 1e-9);
        assertEquals(266 * 60, StudyRunner.timeLeft(none, fourteen, 1), 1e-9);
        assertEquals(19 * 60, StudyRunner.timeLeft(none, new double[] { 19 * 60 }, 2), 1e-9);
        // running cells with 10 and 30 s left, then 20, 20 and 5 s waiting, 2 at a time, worked out by hand: the
        // first 20 starts at 10 and ends at 30, the second at 30 and ends at 50, the 5 at 30 and ends at 35 -> 50 s,
        // not the 42.5 s of the work over the slots, since the last 20 s cell runs beside nothing for 15 s
        assertEquals(50, StudyRunner.timeLeft(new double[] { 10, 30 }, new double[] { 20, 20, 5 }, 2), 1e-9);
        // a long running cell ends the run after the others: 100 s
        assertEquals(100, StudyRunner.timeLeft(new double[] { 100 }, new double[] { 20, 20, 5 }, 2), 1e-9);
        assertEquals(0, StudyRunner.timeLeft(none, none, 2), 1e-9);
    }

    @Test
    void theRateOfTheTimeLeftLeavesOutTheSharedStates() throws Exception {
        // a first cell that took 70 s, 62 of them simulating and partitioning the input that every cell shares, and
        // 8 s to train, generate and compare, estimated at 0.5 + 4 + 3 + 1 s: its rate is 8 s per 8 s of estimate,
        // not 70 per 8.5
        JsonNode seconds = new ObjectMapper().readTree("{\"prepare\": 62, \"train\": 5, \"generate\": 2, "
                + "\"compare\": 1, \"total\": 70}");
        assertArrayEquals(new double[] { 8, 8 }, StudyRunner.ownWork(seconds, new double[] { 0.5, 4, 3, 1 }), 1e-9);
    }

    @Test
    void theRulesJudgeRelativeErrorsByToleranceAndStandardErrors() throws Exception {
        StudyReport r = new StudyReport(StudySpec.read(write(STUDY), false, TestStages.registry()),
                new StudyRunner.Outcome(java.util.Map.of(), java.util.Map.of(), 0,
                        new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode()));
        assertEquals(StudyReport.Verdict.REPRODUCED, r.judge(-0.2, 0.01));
        assertEquals(StudyReport.Verdict.REPRODUCED, r.judge(0.4, 0.25)); // within two standard errors of zero
        assertEquals(StudyReport.Verdict.NOT_RESOLVED, r.judge(0.4, 0.05));
        assertEquals(StudyReport.Verdict.FAILED, r.judge(-0.9, 0.1));
        assertEquals(StudyReport.Verdict.NOT_RESOLVED, r.judge(-0.6, 0.1)); // beyond 50%, but not by 2 sigma
        // mean absolute error over seeds: their scatter, or the bootstrap error when it is larger
        double[] m = StudyReport.meanAbs(List.of(new double[] { 0.1, 0.01 }, new double[] { -0.3, 0.01 }));
        assertEquals(0.2, m[0], 1e-12);
        assertEquals(0.1, m[1], 1e-12);
    }

    @Test
    void relabellingMapsStatesAndCollectsUnmappedOnesInAnExtraLabel() {
        StateSequence s = new StateSequence(new int[] { 0, 1, 2, 3 }, 4, 1, "ps", "t");
        StateSequence r = StudyRunner.relabel(List.of(s), new int[] { 1, 0, -1, 1 }, 2).get(0);
        assertEquals(3, r.numberOfStates());
        assertEquals(List.of(1, 0, 2, 1), java.util.Arrays.stream(r.toArray()).boxed().toList());
    }
}
