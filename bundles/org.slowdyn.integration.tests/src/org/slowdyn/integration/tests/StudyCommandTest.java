package org.slowdyn.integration.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowdyn.app.CommandLine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code slowdyn study} on the quick variant of the paper's study (examples/paper-study.json), with every stage. */
class StudyCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        CommandLine cli = new CommandLine(ServicesTest.registry(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new NullProgressMonitor());
        return cli.execute(List.of(args));
    }

    /** The repository's examples folder, found above the working folder (with ../shared/data beside the clone). */
    private static Path examples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("examples/paper-study.json"))) {
                Assumptions.assumeTrue(Files.isRegularFile(p.resolve("../shared/data/ala2.pdb")),
                        "../shared/data is not beside the repository");
                return p.resolve("examples");
            }
        }
        throw new AssertionError("examples/paper-study.json not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void theQuickPaperStudyWritesAResultsPageWithEveryPlotAndResumes() throws Exception {
        Path study = examples().resolve("paper-study.json");
        Path outDir = dir.resolve("quick");
        assertEquals(0, run("study", study.toString(), "--quick", "--out", outDir.toString()),
                err.toString(StandardCharsets.UTF_8));
        JsonNode results = new ObjectMapper().readTree(outDir.resolve("results.json").toFile());
        JsonNode quick = new ObjectMapper().readTree(study.toFile()).path("quick");
        assertEquals(0, results.path("failedCells").asInt());
        // one section per scan of the quick variant, every cell with its measures
        JsonNode scans = results.path("scans");
        assertEquals(quick.path("scans").size(), scans.size());
        String html = Files.readString(outDir.resolve("results.html"));
        for (int s = 0; s < scans.size(); s++) {
            String title = quick.path("scans").get(s).path("title").asText();
            assertEquals(title, scans.get(s).path("title").asText());
            assertTrue(html.contains(">" + title + "</h2>"), title);
            for (JsonNode cell : scans.get(s).path("cells")) {
                String measure = cell.path("input").asText().equals("ala2") ? "alpha_R to beta" : "slow";
                JsonNode m = cell.path("mfpt").path(measure);
                assertTrue(m.path("reference").asDouble() > 0 && m.path("generated").asDouble() > 0, cell.toString());
                assertTrue(cell.path("referenceFrames").asLong() > 0 && cell.path("generatedFrames").asLong() > 0);
            }
        }
        // the four-well reference on P5 cores at stride 1 against the LSTM-free Markov baseline: a real number,
        // and the same held-out reference for every trainer of a state model and stride
        List<Double> p5ref = new ArrayList<>();
        for (JsonNode cell : scans.get(0).path("cells")) {
            if (cell.path("states").asText().equals("P5")) {
                p5ref.add(cell.path("mfpt").path("slow").path("reference").asDouble());
            }
        }
        assertEquals(3, p5ref.size());
        assertEquals(1, p5ref.stream().distinct().count(), p5ref.toString());
        // every plot has data: a figure holds an SVG chart, none says it is empty
        Matcher figures = Pattern.compile("<figure>(.*?)</figure>", Pattern.DOTALL).matcher(html);
        int n = 0;
        while (figures.find()) {
            assertTrue(figures.group(1).contains("<svg") && figures.group(1).contains("<path"), "empty figure");
            n++;
        }
        assertTrue(n >= scans.size() + 1, n + " figures"); // one per scan, and learning curves
        assertFalse(html.contains("no data to plot"));
        // claims judged by the rules on the page
        assertTrue(html.contains("Rules: a relative error within 25%"));
        assertEquals(quick.path("claims").size(), results.path("claims").size());
        for (JsonNode c : results.path("claims")) {
            assertTrue(List.of("reproduced", "failed", "not resolved").contains(c.path("verdict").asText()));
        }

        // a rerun keeps every cell and writes the same results
        String before = results.path("scans").toString();
        err.reset();
        assertEquals(0, run("study", study.toString(), "--quick", "--out", outDir.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(results.path("cells").asInt() + " kept from earlier "
                + "runs"), err.toString(StandardCharsets.UTF_8));
        assertEquals(before, new ObjectMapper().readTree(outDir.resolve("results.json").toFile()).path("scans")
                .toString());
    }

    /**
     * The study folders committed under docs/ hold hours of cells. Every cell file there must still be a cell of its
     * study: a change to what decides a cell's key (a stage's settings or defaults, the digest) would otherwise leave
     * them all unused without a word, and the next run would compute them again.
     */
    @Test
    void everyCommittedCellIsACellOfItsStudyAndThePageIsWrittenFromThem() throws Exception {
        Path root = examples().getParent();
        int folders = 0;
        for (String[] study : new String[][] { { "paper-study.json", "docs/paper-study" },
                { "ala2-450K-study.json", "docs/ala2-450K-study" } }) {
            Path cells = root.resolve(study[1]).resolve("cells");
            if (!Files.isDirectory(cells)) {
                continue;
            }
            folders++;
            Path copy = Files.createDirectories(dir.resolve(study[1]).resolve("cells"));
            long n;
            try (var files = Files.list(cells)) {
                n = files.filter(c -> c.toString().endsWith(".json")).peek(c -> {
                    try {
                        Files.copy(c, copy.resolve(c.getFileName()));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).count();
            }
            err.reset();
            assertEquals(0, run("study", examples().resolve(study[0]).toString(), "--out", copy.getParent().toString(),
                    "--report-only"), err.toString(StandardCharsets.UTF_8));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains(": " + n + " of "), study[1] + " holds " + n
                    + " cells, the study found: " + err.toString(StandardCharsets.UTF_8));
        }
        Assumptions.assumeTrue(folders > 0, "no study folder committed under docs/");
    }

    @Test
    void aFailedCellIsListedTheOthersFinishAndTheExitCodeIsOne() throws Exception {
        Path f = dir.resolve("s.json");
        Files.writeString(f, """
                { "name": "failing", "parallel": 1,
                  "inputs": { "sim": { "training": { "simulate": { "trajectories": 4, "frames": 2000 } },
                                       "heldOut": { "split": 0.5 } } },
                  "states": { "W": { "featurizer": { "id": "featurize.columns" },
                                     "partition": { "id": "partition.nearest" } } },
                  "trainers": { "ok": { "id": "train.markov" },
                                "tooLong": { "id": "train.markov", "settings": { "lag": 5000 } } },
                  "scans": [ { "name": "s", "input": "sim", "states": "W", "stride": 1, "trainer": ["ok", "tooLong"] } ] }
                """);
        assertEquals(1, run("study", f.toString(), "--out", dir.resolve("failing").toString()));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("1 cell(s) failed") && e.contains("tooLong"), e);
        JsonNode results = new ObjectMapper().readTree(dir.resolve("failing/results.json").toFile());
        assertEquals(1, results.path("failures").size());
        assertTrue(results.path("scans").get(0).path("cells").get(0).path("mfpt").isMissingNode()
                && results.path("scans").get(0).path("cells").get(0).path("referenceFrames").asLong() == 4000);
        // part of the study: the failing cell is left for another run, and the run is recorded with its selection
        err.reset();
        assertEquals(0, run("study", f.toString(), "--out", dir.resolve("part").toString(), "--only", "trainer=ok"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("1 to run (--only trainer=ok; 1 left for "
                + "another run)"), err.toString(StandardCharsets.UTF_8));
        JsonNode part = new ObjectMapper().readTree(dir.resolve("part/runs.json").toFile()).get(0);
        assertEquals("trainer=ok", part.path("only").asText());
        assertEquals(1, part.path("cellsComputed").asInt());
        assertTrue(Files.readString(dir.resolve("part/results.md")).contains("not run"));
        err.reset();
        assertEquals(2, run("study", f.toString(), "--only", "trainer=okay"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--only trainer=okay: no cell of " + f + " has "
                + "trainer 'okay' (its cells have ok, tooLong)"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, run("study", f.toString(), "--report-only", "--only", "trainer=ok"));
        // a time limit: a duration, and not with --report-only
        for (String bad : List.of("90", "5x", "1h30", "0m", "h")) {
            err.reset();
            assertEquals(2, run("study", f.toString(), "--time-limit", bad), bad);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("--time-limit " + bad + ": expected a positive "
                    + "duration in hours, minutes and seconds, e.g. 45m, 2h, 1h30m or 90s"), err.toString(
                            StandardCharsets.UTF_8));
        }
        assertEquals(2, run("study", f.toString(), "--report-only", "--time-limit", "1h"));
        // a limit that the one cell left fits in: it runs, and the run records its limit
        err.reset();
        out.reset();
        assertEquals(1, run("study", f.toString(), "--out", dir.resolve("part").toString(), "--time-limit",
                "1h2m30s"));
        JsonNode limited = new ObjectMapper().readTree(dir.resolve("part/runs.json").toFile()).get(1);
        assertEquals(3750, limited.path("timeLimitSeconds").asDouble(), 0);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("time limit 62.5 min: a cell starts"),
                err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Study 'failing': 2 cells (1 finished, 1 failed, 0 "
                + "not run)"), out.toString(StandardCharsets.UTF_8));
        // the longest limit the option takes (114,000 years) runs like none
        assertEquals(1, run("study", f.toString(), "--out", dir.resolve("part").toString(), "--time-limit",
                "999999999h"));
        JsonNode longest = new ObjectMapper().readTree(dir.resolve("part/runs.json").toFile()).get(2);
        assertEquals(1, longest.path("cellsFailed").asInt(), longest.toString());
        assertFalse(longest.has("stoppedAtTimeLimit"), longest.toString());
        // bad options are usage errors
        assertEquals(2, run("study", f.toString(), "--parallel", "0"));
        assertEquals(2, run("study"));
        assertEquals(2, run("study", f.toString(), "--quick")); // this study has no quick variant
    }
}
