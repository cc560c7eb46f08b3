package org.slowdyn.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowdyn.app.report.Chart;
import org.slowdyn.app.report.Table;
import org.slowdyn.core.TrainingLog;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.io.StateSequenceFiles;
import org.slowdyn.kinetics.KineticsSummary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A whole run with stages whose answers are known (TestStages): the report's sections carry the values of an
 * independent computation on the state files the run wrote, in JSON, Markdown and HTML.
 */
class RunReportTest {
    @TempDir
    Path tmp;

    private static final String PIPELINE = "{ \"name\": \"blocks\", \"seed\": 3,"
            + " \"input\": { \"simulate\": { \"trajectories\": 4, \"frames\": 3000, \"stepsPerFrame\": 20 } },"
            + " \"featurizer\": { \"id\": \"test.columns\" }, \"partition\": { \"id\": \"test.sign\" },"
            + " \"filter\": { \"id\": \"test.none\" }, \"trainer\": { \"id\": \"test.blocks\", \"settings\": "
            + "{ \"block\": 25 } }, \"generate\": { \"baselineTrainer\": \"test.baseline\" },"
            + " \"kinetics\": { \"bootstrap\": 20, \"msmBootstrap\": 5, \"lags\": [1, 2, 5], \"commitTimes\": [1, 5] } }";

    @Test
    void aTrainingLogReadsBackFromItsJsonWithNonFiniteLossesAsNaN() {
        TrainingLog log = new TrainingLog(List.of(new TrainingLog.Epoch(1, 2.5, Double.NaN, 3.25),
                new TrainingLog.Epoch(2, Double.POSITIVE_INFINITY, 0.125, 4)), 2, "reached the maximum of 2 epochs",
                List.of("no validation data"));
        ObjectNode json = RunReport.trainingJson(log, new ObjectMapper().createObjectNode());
        assertTrue(json.path("epochs").get(0).path("validationLoss").isNull(), json.toString());
        // an infinite loss is written as null, so it reads back as NaN; all else is as written
        assertEquals(new TrainingLog(List.of(log.epochs().get(0), new TrainingLog.Epoch(2, Double.NaN, 0.125, 4)),
                2, log.stopReason(), log.notes()), RunReport.trainingLog(json));
        assertEquals(new TrainingLog(List.of(), 0, "", List.of()), RunReport.trainingLog(new ObjectMapper()
                .createObjectNode()));
    }

    @Test
    void aLearningCurvesAxisLeavesOutAFirstEpochTrainingLossThatWouldFlattenThePlateau() {
        // epoch 1's training loss 0.34 against the rest between 0.088 and 0.100 (the four-well LSTM's shape): it is
        // 0.24 above the rest, more than their span of 0.012, so the axis spans the rest with 5% of 0.012 each side
        TrainingLog steep = new TrainingLog(List.of(new TrainingLog.Epoch(1, 0.34, 0.100, 1),
                new TrainingLog.Epoch(2, 0.095, 0.092, 1), new TrainingLog.Epoch(3, 0.090, 0.088, 1)), 3, "", List.of());
        Chart c = RunReport.learningCurves(List.of(steep), List.of(""));
        assertArrayEquals(new double[] { 0.088 - 0.0006, 0.100 + 0.0006 }, c.yBounds(), 1e-12);
        assertTrue(c.svg(600, 400).contains("above the axis: 0.3400"), "the subtitle names the value left out");
        // 0.105 is 0.005 above the rest, less than their span of 0.012: every point stays on the axis
        TrainingLog gentle = new TrainingLog(List.of(new TrainingLog.Epoch(1, 0.105, 0.100, 1),
                new TrainingLog.Epoch(2, 0.095, 0.092, 1), new TrainingLog.Epoch(3, 0.090, 0.088, 1)), 3, "", List.of());
        double[] b = RunReport.learningCurves(List.of(gentle), List.of("")).yBounds();
        assertTrue(b[0] <= 0.088 && b[1] >= 0.105, java.util.Arrays.toString(b));
        assertFalse(RunReport.learningCurves(List.of(gentle), List.of("")).svg(600, 400).contains("above the axis"));
    }

    @Test
    void everySectionRendersTheComparisonsValuesInJsonMarkdownAndHtml() throws Exception {
        Pipeline p = Pipeline.parse(PIPELINE, "test", tmp, TestStages.registry());
        Path run = tmp.resolve("run");
        RunResult result = new PipelineRunner(TestStages.registry()).run(p, run, new NullProgressMonitor());
        JsonNode json = new ObjectMapper().readTree(run.resolve("report.json").toFile());

        // independent: the direct MFPTs and populations of the files the run wrote
        List<StateSequence> gen = StateSequenceFiles.read(run.resolve("generated-states.txt.gz"));
        List<StateSequence> ref = StateSequenceFiles.read(run.resolve("reference-states.txt.gz"));
        KineticsSummary g = KineticsSummary.of(gen, 0, 1), r = KineticsSummary.of(ref, 0, 1);
        JsonNode m01 = json.path("mfpt").get(0);
        assertEquals(0, m01.path("from").asInt());
        assertEquals(g.mfpt(0, 1), m01.path("generated").asDouble(), 1e-9);
        assertEquals(r.mfpt(0, 1), m01.path("reference").asDouble(), 1e-9);
        // blocks of 25 frames: the generated passage 0 -> 1 lasts 25 frames (plus what the trajectory ends cut off)
        assertEquals(25, m01.path("generated").asDouble(), 0.5);
        assertEquals(r.population(1), json.path("states").get(1).path("population").path("reference").asDouble(),
                1e-12);
        assertEquals((g.mfpt(0, 1) - r.mfpt(0, 1)) / r.mfpt(0, 1), m01.path("relativeError").asDouble(), 1e-9);
        // the baseline is the trainer named by generate.baselineTrainer, with its defaults (blocks of 10)
        assertEquals("test.baseline", json.path("baseline").path("trainer").asText());
        assertEquals(10, json.path("baseline").path("mfpt").get(0).path("value").asDouble(), 0.5);
        // every generated stay but the first and last of a trajectory lasts one block: one-step fraction 0
        JsonNode dwell = json.path("dwellTimes").get(0);
        assertEquals(25, dwell.path("test.blocks").path("meanFrames").asDouble(), 1e-9);
        assertEquals(0, dwell.path("test.blocks").path("fractionOneStep").asDouble(), 1e-12);
        assertEquals(result.reference().dwell().stays(0), dwell.path("reference").path("stays").asInt());
        // the input knows the populations of x < 0 and x >= 0 (a symmetric potential: one half each; the grid's
        // column at x = 0, 1 of 801, goes to x >= 0, which tilts it by less than 1/801 = 1.2e-3)
        assertEquals(0.5, json.path("states").get(0).path("boltzmannPopulation").asDouble(), 2e-3);

        String md = Files.readString(run.resolve("report.md"));
        for (String heading : List.of("## Populations", "## Mean first-passage times", "## Model, baseline and "
                + "reference", "## Implied timescales", "## Chapman-Kolmogorov test", "## Dwell times",
                "## Transitions at commit times", "## Time per step")) {
            assertTrue(md.contains(heading), heading);
        }
        String row = "| 0 -> 1 | " + org.slowdyn.app.report.Format.pm(r.mfpt(0, 1), result.reference().mfptError(0, 1),
                0) + " | " + r.passages(0, 1) + " | ";
        assertTrue(md.contains(row), row);

        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>") && !html.contains("<script") && !html.contains("src=\"http"));
        // every figure holds a chart with data: populations, MFPTs, timescales, CK, dwell times, commit times
        Matcher figures = Pattern.compile("<figure>(.*?)</figure>", Pattern.DOTALL).matcher(html);
        int n = 0;
        while (figures.find()) {
            assertTrue(figures.group(1).contains("<svg"), figures.group(1));
            n++;
        }
        assertEquals(6, n);
        assertFalse(html.contains("no data to plot"));
        assertTrue(html.contains(">test.baseline<"), "the baseline is in the plots' legends");
    }

    @Test
    void chartsCountOnlyThePointsTheyCanDraw() {
        Chart c = Chart.lines("t", "x", "y", true, true, List.of(new Chart.Line("a", new double[] { 1, 2, 0, 4 },
                new double[] { 1, Double.NaN, 3, 4 }, null)));
        assertEquals(2, c.points()); // NaN, and x = 0 on a log axis, are left out
        assertEquals(List.of("a"), c.seriesNames());
        assertTrue(c.svg(300, 200).startsWith("<svg"));
        Chart b = Chart.bars("t", "c", "v", List.of(new Chart.Bars("g", List.of("u", "v"), new double[] { 1,
                Double.NaN }, null)));
        assertEquals(1, b.points());
    }

    @Test
    void tablesEscapeTheirCellsForMarkdownAndHtml() {
        Table t = new Table("a", "b").row("x|y", "<b>");
        assertEquals("| a | b |\n|---|---|\n| x\\|y | <b> |\n\n", t.markdown());
        assertTrue(t.html().contains("<td>&lt;b&gt;</td>"));
    }
}
