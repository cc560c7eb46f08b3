package org.slowdyn.integration.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowdyn.app.CommandLine;

/** The command line's exit codes and messages, with the services of the running framework. */
class CommandLineTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        CommandLine cli = new CommandLine(ServicesTest.registry(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new NullProgressMonitor());
        return cli.execute(List.of(args));
    }

    private Path pipeline(String partition, String filter) throws Exception {
        Path f = dir.resolve("p.json");
        Files.writeString(f, "{ \"name\": \"cli\", \"input\": { \"simulate\": { \"trajectories\": 20, \"frames\": 500 } },"
                + " \"featurizer\": { \"id\": \"featurize.columns\" }, \"partition\": " + partition + ","
                + " \"filter\": " + filter + ", \"trainer\": { \"id\": \"train.markov\" } }");
        return f;
    }

    @Test
    void listShowsEveryServiceAndOneStageWithSettingsAndUnits() throws Exception {
        assertEquals(0, run("list"));
        String text = out.toString(StandardCharsets.UTF_8);
        for (String id : List.of("featurize.columns", "partition.nearest", "partition.grid", "recrossing.none",
                "recrossing.min-dwell", "recrossing.peak-step", "train.markov")) {
            assertTrue(text.contains("  " + id + "  -  "), id + " missing from:\n" + text);
        }
        assertTrue(text.lines().allMatch(l -> l.length() <= 120), "short lines:\n" + text);
        out.reset();
        assertEquals(0, run("list", "recrossing.min-dwell"));
        text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("recrossing.min-dwell  -  Minimum dwell") && text.contains("minDwell = 10 [frames]")
                && !text.contains("partition.grid"), text);
        assertEquals(2, run("list", "partition.hdbscan"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no stage 'partition.hdbscan' is installed"));
        // for programs: every stage with its settings as JSON
        out.reset();
        assertEquals(0, run("list", "--json"));
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(out.toString(StandardCharsets.UTF_8));
        com.fasterxml.jackson.databind.JsonNode minDwell = null;
        for (com.fasterxml.jackson.databind.JsonNode st : json.path("stages")) {
            if (st.path("id").asText().equals("recrossing.min-dwell")) {
                minDwell = st;
            }
        }
        assertEquals("recrossing filter", minDwell.path("family").asText());
        assertEquals("org.slowdyn.recrossing", minDwell.path("bundle").asText());
        assertEquals(10, minDwell.path("settings").get(0).path("default").asInt());
        assertEquals("frames", minDwell.path("settings").get(0).path("unit").asText());
    }

    @Test
    void versionHelpAndTyposOnPicocliWithTheExitCodesUnchanged() throws Exception {
        assertEquals(0, run("--version"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("slowdyn 0."), out.toString(StandardCharsets.UTF_8));
        out.reset();
        assertEquals(0, run("help", "study"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--parallel=N"), out.toString(StandardCharsets.UTF_8));
        // --help on a command shows its usage even where the command's required input is missing
        for (String command : List.of("run", "generate", "study", "list")) {
            out.reset();
            err.reset();
            assertEquals(0, run(command, "--help"), err.toString(StandardCharsets.UTF_8));
            String usage = out.toString(StandardCharsets.UTF_8);
            assertTrue(usage.startsWith("Usage: slowdyn " + command) && usage.contains("-h, --help"), usage);
        }
        out.reset();
        assertEquals(0, run("study", "-h"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--time-limit=DURATION"),
                out.toString(StandardCharsets.UTF_8));
        assertEquals(2, run("studdy"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("Did you mean") && e.contains("study"), e);
        err.reset();
        assertEquals(2, run("run", "--outt", "x"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--out"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, run());
        assertEquals(2, run("generate", "--model", "m", "--prefixes", "p", "--out", "x.npz", "--count", "0"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--count must be a positive whole number"));
    }

    @Test
    void unknownIdExitsWithTwoAndListsTheAvailableOnes() throws Exception {
        assertEquals(2, run("run", pipeline("{ \"id\": \"partition.hdbscan\" }", "{ \"id\": \"recrossing.none\" }")
                .toString()));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("unknown state partition id 'partition.hdbscan'"), e);
        assertTrue(e.contains("partition.grid, partition.kmeans, partition.nearest, partition.pcca, partition.regspace"), e);
    }

    @Test
    void outOfRangeSettingExitsWithTwoAndNamesFieldValueAndRange() throws Exception {
        assertEquals(2, run("run", pipeline("{ \"id\": \"partition.nearest\" }",
                "{ \"id\": \"recrossing.min-dwell\", \"settings\": { \"minDwell\": 0 } }").toString()));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("filter 'recrossing.min-dwell'") && e.contains("'minDwell' = 0")
                && e.contains("from 1 to"), e);
    }

    private int runJson(String json) throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, json);
        return run("run", f.toString(), "--out", dir.resolve("bad-run").toString());
    }

    private String errText() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Damaged or hostile pipeline files exit 2 with the line and column, before any work and any file is read. */
    @Test
    void hostilePipelineFilesExitWithTwoAndALocation() throws Exception {
        String valid = "{ \"name\": \"cli\", \"input\": { \"simulate\": { \"trajectories\": 20, \"frames\": 500 } },"
                + " \"featurizer\": { \"id\": \"featurize.columns\" }, \"partition\": { \"id\": \"partition.nearest\" },"
                + " \"filter\": { \"id\": \"recrossing.none\" }, \"trainer\": { \"id\": \"train.markov\" } }";
        assertEquals(2, runJson(valid.replace("\"name\": \"cli\",", "\"name\": \"cli\", \"name\": \"other\",")));
        assertTrue(errText().contains("Duplicate field 'name'") && errText().contains("line 1, column"), errText());
        assertEquals(2, runJson(valid + "\n{}"));
        assertTrue(errText().contains("line 2, column"), errText());
        assertEquals(2, runJson("[".repeat(10_000) + "]".repeat(10_000)));
        assertTrue(errText().contains("not valid JSON at line 1, column") && errText().contains("nesting depth"),
                errText());
        assertEquals(2, runJson(valid.replace("\"cli\"", "\"../../escape\"")));
        assertTrue(errText().contains("setting 'name' = \"../../escape\" is not allowed"), errText());
        assertEquals(2, runJson(valid.replace("{ \"simulate\": { \"trajectories\": 20, \"frames\": 500 } }",
                "{ \"files\": [\"/dev/zero\"] }")));
        assertTrue(errText().contains("/dev/zero is not a regular file"), errText());
        assertEquals(2, runJson(valid.replace("{ \"id\": \"featurize.columns\" }",
                "{ \"id\": \"featurize.columns\", \"settings\": { \"frameInterval\": 1e308 } }")));
        assertTrue(errText().contains("'frameInterval' = 1.0E308 is not allowed"), errText());
        assertTrue(Files.notExists(dir.resolve("bad-run")), "a refused pipeline leaves no run folder");
    }

    /** Two runs that would pick the same folder get different ones; an explicit existing folder is refused. */
    @Test
    void runFoldersAreClaimedAtomically() throws Exception {
        Path base = dir.resolve("runs").resolve("same-second");
        Path first = org.slowdyn.app.PipelineRunner.claim(base, true);
        Path second = org.slowdyn.app.PipelineRunner.claim(base, true);
        assertEquals(base, first);
        assertEquals(dir.resolve("runs").resolve("same-second-2"), second);
        assertTrue(Files.isDirectory(first) && Files.isDirectory(second));
        org.slowdyn.core.ConfigurationException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.slowdyn.core.ConfigurationException.class, () -> org.slowdyn.app.PipelineRunner.claim(base, false));
        assertTrue(e.getMessage().contains("exists already"), e.getMessage());
    }

    @Test
    void usageErrorsExitWithTwo() throws Exception {
        assertEquals(2, run("run", dir.resolve("missing.json").toString()));
        assertEquals(2, run("frobnicate"));
        assertEquals(2, run("run", "--bogus"));
    }

    /**
     * The neural trainers as services: a small run reports the model next to the Markov baseline and the training
     * log, and {@code generate} samples more from the saved model, identically for the same seed.
     */
    @Test
    void lstmRunComparesWithTheBaselineAndItsSavedModelGeneratesReproducibly() throws Exception {
        neuralRun("train.lstm", "{ \"units\": 8, \"sequenceLength\": 50, \"epochs\": 2 }");
    }

    @Test
    void transformerRunComparesWithTheBaselineAndItsSavedModelGeneratesReproducibly() throws Exception {
        neuralRun("train.transformer", "{ \"width\": 16, \"blocks\": 1, \"context\": 50, \"sequenceLength\": 50, "
                + "\"epochs\": 2, \"generationGroup\": 2 }");
    }

    private void neuralRun(String trainer, String settings) throws Exception {
        Path p = dir.resolve(trainer + ".json");
        Files.writeString(p, "{ \"name\": \"neural\", \"input\": { \"simulate\": { \"trajectories\": 20, \"frames\": 500 } },"
                + " \"featurizer\": { \"id\": \"featurize.columns\" }, \"partition\": { \"id\": \"partition.nearest\" },"
                + " \"filter\": { \"id\": \"recrossing.min-dwell\" }, \"trainer\": { \"id\": \"" + trainer
                + "\", \"settings\": " + settings + " } }");
        Path outDir = dir.resolve(trainer + "-run");
        assertEquals(0, run("run", p.toString(), "--out", outDir.toString()), err.toString(StandardCharsets.UTF_8));
        String report = Files.readString(outDir.resolve("report.md"));
        assertTrue(report.contains("## Model, baseline and reference") && report.contains("## Training"), report);
        String html = Files.readString(outDir.resolve("report.html"));
        assertTrue(html.contains("Learning curves") && html.contains(">" + trainer + "<") && html.contains(">train.markov<"),
                "the HTML report plots the learning curves and names model and baseline in its legends");
        assertTrue(Files.isRegularFile(outDir.resolve("baseline-states.txt.gz")));
        assertTrue(Files.isRegularFile(outDir.resolve("training").resolve("checkpoint").resolve("state.json")));
        for (String name : List.of("g1.txt.gz", "g2.txt.gz")) {
            assertEquals(0, run("generate", "--model", outDir.resolve("model").toString(), "--prefixes",
                    outDir.resolve("reference-states.txt.gz").toString(), "--count", "3", "--length", "300",
                    "--seed", "5", "--out", dir.resolve(trainer + name).toString()), err.toString(StandardCharsets.UTF_8));
        }
        List<org.slowdyn.core.data.StateSequence> g1 = org.slowdyn.io.StateSequenceFiles.read(dir.resolve(trainer + "g1.txt.gz"));
        assertEquals(3, g1.size());
        assertEquals(300, g1.get(0).length());
        for (int t = 0; t < 3; t++) {
            assertTrue(java.util.Arrays.equals(g1.get(t).toArray(),
                    org.slowdyn.io.StateSequenceFiles.read(dir.resolve(trainer + "g2.txt.gz")).get(t).toArray()));
        }
        assertEquals(2, run("generate", "--prefixes", dir.resolve(trainer + "g1.txt.gz").toString(), "--out", "x.txt.gz"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Missing required option: '--model=DIR'"),
                err.toString(StandardCharsets.UTF_8));
        // the format follows the name: the same trajectories as NumPy arrays, one per trajectory (.npz) or as rows
        for (String name : List.of("g3.npz", "g4.npy")) {
            assertEquals(0, run("generate", "--model", outDir.resolve("model").toString(), "--prefixes",
                    outDir.resolve("reference-states.txt.gz").toString(), "--count", "3", "--length", "300",
                    "--seed", "5", "--out", dir.resolve(trainer + name).toString()), err.toString(StandardCharsets.UTF_8));
            List<org.slowdyn.core.data.StateSequence> g = org.slowdyn.io.StateSequenceFiles.read(dir.resolve(trainer + name));
            assertEquals(3, g.size());
            for (int t = 0; t < 3; t++) {
                assertTrue(java.util.Arrays.equals(g1.get(t).toArray(), g.get(t).toArray()), name);
            }
        }
        // a name that promises no known format is refused before any work, and nothing is written
        Path txt = dir.resolve(trainer + "more.txt");
        assertEquals(2, run("generate", "--model", outDir.resolve("model").toString(), "--prefixes",
                outDir.resolve("reference-states.txt.gz").toString(), "--out", txt.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("must end in .txt.gz (gzip text), .npz"));
        assertTrue(!Files.exists(txt));
    }

    @Test
    void dtrajsInGiveTheSameRunAsTheirStatesThroughAPartitionAndTheRunWritesNumpyOut() throws Exception {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        List<Path> files = new java.util.ArrayList<>();
        List<int[]> dtrajs = new java.util.ArrayList<>();
        for (int t = 0; t < 2; t++) {
            long[] x = new long[3000];
            int[] y = new int[3000];
            for (int i = 1; i < x.length; i++) {
                x[i] = r.nextDouble() < 0.05 ? r.nextInt(3) : x[i - 1];
                y[i] = (int) x[i];
            }
            Path f = dir.resolve("d" + t + ".npy");
            org.slowdyn.io.Npy.write(f, new int[] { x.length }, x, false);
            files.add(f);
            dtrajs.add(y);
        }
        String common = ", \"seed\": 4, \"filter\": { \"id\": \"recrossing.none\" }, \"trainer\": { \"id\": "
                + "\"train.markov\" }, \"kinetics\": { \"bootstrap\": 10, \"msmBootstrap\": 2 } }";
        Path direct = dir.resolve("direct.json");
        Files.writeString(direct, "{ \"name\": \"direct\", \"input\": { \"dtrajs\": [\"d0.npy\", \"d1.npy\"], "
                + "\"frameInterval\": 2.0 }, \"output\": { \"states\": \"npz\" }" + common);
        // the workaround before dtrajs: the integers as a feature column, nearest of integer centers, no filter
        Path workaround = dir.resolve("workaround.json");
        Files.writeString(workaround, "{ \"name\": \"workaround\", \"input\": { \"files\": [\"d0.npy\", \"d1.npy\"] },"
                + " \"featurizer\": { \"id\": \"featurize.columns\", \"settings\": { \"frameInterval\": 2.0 } },"
                + " \"partition\": { \"id\": \"partition.nearest\", \"settings\": { \"centers\": [[0], [1], [2]] } },"
                + " \"output\": { \"features\": true }" + common);
        assertEquals(0, run("run", direct.toString(), "--out", dir.resolve("direct").toString()),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(0, run("run", workaround.toString(), "--out", dir.resolve("workaround").toString()),
                err.toString(StandardCharsets.UTF_8));
        List<org.slowdyn.core.data.StateSequence> a = org.slowdyn.io.StateSequenceFiles.read(
                dir.resolve("direct/reference-states.npz"));
        List<org.slowdyn.core.data.StateSequence> b = org.slowdyn.io.StateSequenceFiles.read(
                dir.resolve("workaround/reference-states.txt.gz"));
        for (int t = 0; t < 2; t++) {
            assertTrue(java.util.Arrays.equals(dtrajs.get(t), a.get(t).toArray()));
            assertTrue(java.util.Arrays.equals(dtrajs.get(t), b.get(t).toArray()));
        }
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode ra = m.readTree(dir.resolve("direct/report.json").toFile());
        com.fasterxml.jackson.databind.JsonNode rb = m.readTree(dir.resolve("workaround/report.json").toFile());
        assertEquals(rb.path("mfpt").toString(), ra.path("mfpt").toString());
        assertEquals(rb.path("impliedTimescales").toString(), ra.path("impliedTimescales").toString());
        assertEquals(2.0, ra.path("frameInterval").asDouble());
        assertEquals("input.dtrajs", ra.path("stages").path("partition").asText());
        // features out on request: float32 frames x features per trajectory, labels beside
        org.slowdyn.io.Npy.Array f0 = org.slowdyn.io.Npz.read(dir.resolve("workaround/features.npz")).get("arr_0");
        assertEquals("<f4", f0.dtype());
        assertEquals(3000, f0.shape()[0]);
        for (int i = 0; i < 3000; i++) {
            assertEquals(dtrajs.get(0)[i], f0.get(i));
        }
        assertEquals("0", m.readTree(dir.resolve("workaround/features.json").toFile()).path("labels").get(0).asText());
        // a dtrajs input has no featurizer: naming one is an error, as is asking for its features
        Files.writeString(direct, Files.readString(direct).replace("\"output\": { \"states\": \"npz\" }",
                "\"featurizer\": { \"id\": \"featurize.columns\" }"));
        assertEquals(2, run("run", direct.toString(), "--out", dir.resolve("x").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("input.dtrajs gives the states already"));
    }

    @Test
    void successfulRunExitsWithZeroAndRefusesToOverwrite() throws Exception {
        Path p = pipeline("{ \"id\": \"partition.nearest\" }", "{ \"id\": \"recrossing.min-dwell\" }");
        Path outDir = dir.resolve("run1");
        assertEquals(0, run("run", p.toString(), "--out", outDir.toString()));
        assertTrue(Files.isRegularFile(outDir.resolve("report.md")));
        assertTrue(Files.readString(outDir.resolve("report.md")).contains("## Populations"));
        assertEquals(2, run("run", p.toString(), "--out", outDir.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("exists already"));
    }
}
