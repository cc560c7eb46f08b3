package org.slowdyn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slowdyn.app.Pipeline;
import org.slowdyn.app.PipelineSteps;
import org.slowdyn.core.FilterResult;
import org.slowdyn.core.InputException;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.io.StateSequenceFiles;
import org.slowdyn.kinetics.MarkovStateModel;
import org.slowdyn.kinetics.MsmEstimator;
import org.slowdyn.kinetics.TransitionCounts;
import org.slowdyn.simulate.LangevinSimulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Spark job against the single-machine pipeline (the same algorithm classes called directly through
 * {@link PipelineSteps}) on a corpus of 1,000 simulated four-well trajectory files: the fitted partition, the
 * assigned and filtered states of every trajectory, the count matrices at every lag and the Markov model must be
 * identical, with Spark's local mode (threads) and with its local-cluster mode (two executor JVMs, so that tasks,
 * their closures and results are serialized for real). A damaged file must be named in the failure, or skipped and
 * listed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkPipelineTest {
    static final int FILES = 1000;

    /** k-means (Lloyd on the executors), then a minimum-dwell filter per trajectory. */
    static final String KMEANS = """
            { "name": "spark-kmeans", "seed": 5, "stride": 2,
              "featurizer": { "id": "featurize.columns", "settings": { "columns": ["x", "y"], "frameInterval": 1.0 } },
              "partition": { "id": "partition.kmeans", "settings": { "clusters": 12, "seed": 3 } },
              "filter": { "id": "recrossing.min-dwell", "settings": { "minDwell": 3 } },
              "trainer": { "id": "train.markov", "settings": {} },
              "kinetics": { "lags": [1, 2, 5], "msmLag": 2, "bootstrap": 10, "msmBootstrap": 5 } }
            """;

    /** A partition fitted on the driver (nearest of four wells), then core-set milestoning in feature space. */
    static final String CORES = """
            { "name": "spark-cores", "seed": 6,
              "featurizer": { "id": "featurize.columns", "settings": { "columns": ["x", "y"], "frameInterval": 1.0 } },
              "partition": { "id": "partition.nearest", "settings": { "centers": [[-2, 1], [-0.5, -2], [0.5, 2], [2, -1]] } },
              "filter": { "id": "recrossing.milestoning", "settings": { "cores": "spheres", "radius": 0.6 } },
              "trainer": { "id": "train.markov", "settings": {} },
              "kinetics": { "lags": [1, 3], "msmLag": 1, "bootstrap": 10, "msmBootstrap": 5 } }
            """;

    @TempDir
    static Path dir;
    List<String> files = new ArrayList<>();

    /** Simulated four-well trajectories of 200 frames, one text table ("x y") per file. */
    @BeforeAll
    void corpus() throws IOException {
        LangevinSimulator sim = LangevinSimulator.fourWell();
        var settings = LangevinSimulator.SCHEMA.defaults().with(LangevinSimulator.TRAJECTORIES, FILES)
                .with(LangevinSimulator.FRAMES, 200).with(LangevinSimulator.STEPS_PER_FRAME, 20);
        List<FeatureSeries> series = sim.simulate(settings, 11, null);
        for (int t = 0; t < FILES; t++) {
            files.add(write(String.format("traj-%04d.txt", t), series.get(t), -1).toString());
        }
    }

    private Path write(String name, FeatureSeries s, int damagedLine) throws IOException {
        Path f = dir.resolve(name);
        try (Writer w = Files.newBufferedWriter(f)) {
            w.write("x y\n");
            for (int i = 0; i < s.frames(); i++) {
                w.write(i + 2 == damagedLine ? s.get(i, 0) + " not-a-number\n"
                        : s.get(i, 0) + " " + s.get(i, 1) + "\n");
            }
        }
        return f;
    }

    static SparkConf conf(String master) throws IOException {
        SparkConf c = new SparkConf().setMaster(master).setAppName("slowdyn-test").set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        if (master.startsWith("local-cluster")) {
            Files.createDirectories(Path.of(System.getenv("SPARK_HOME"), "jars")); // see the pom
            // executors are started by Spark's launcher: the tests' classpath, Java 17's module openings
            c.set("spark.executor.extraClassPath", System.getProperty("surefire.test.class.path",
                    System.getProperty("java.class.path")))
                    .set("spark.executor.extraJavaOptions", System.getProperty("slowdyn.spark.executorJavaOptions"));
        }
        return c;
    }

    /** The single-machine pipeline on the same files. */
    record Reference(Pipeline pipeline, PipelineSteps.Partitioned partitioned, FilterResult filtered) {
    }

    Reference reference(String json, List<String> on) throws IOException {
        ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(json);
        tree.putObject("input").set("files", new ObjectMapper().valueToTree(on));
        Pipeline p = Pipeline.parse(tree.toString(), "test", dir, ClasspathStages.registry());
        PipelineSteps.Input in = PipelineSteps.input(p, 1, false, null);
        List<FeatureSeries> features = PipelineSteps.stride(PipelineSteps.featurize(p.featurizer(),
                in.trajectories(), null), p.stride());
        PipelineSteps.Partitioned partitioned = PipelineSteps.partition(p.partition(), features, null);
        return new Reference(p, partitioned, PipelineSteps.filter(p.filter(), partitioned, null));
    }

    SparkPipeline.Outcome spark(String master, String json, List<String> on, Path out, boolean skip)
            throws IOException {
        return spark(master, json, on, out, skip, null);
    }

    SparkPipeline.Outcome spark(String master, String json, List<String> on, Path out, boolean skip, Path dtrajs)
            throws IOException {
        try (JavaSparkContext sc = new JavaSparkContext(conf(master))) {
            return SparkPipeline.run(sc, new SparkPipeline.Options(json, "test", on, null, out,
                    dtrajs == null ? null : dtrajs.toString(), skip, 0, true), null);
        }
    }

    static void assertSameStates(List<StateSequence> expected, List<StateSequence> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": trajectories");
        for (int t = 0; t < expected.size(); t++) {
            assertArrayEquals(expected.get(t).toArray(), actual.get(t).toArray(), what + " of trajectory " + t);
        }
    }

    void assertIdentical(Reference r, SparkPipeline.Outcome o) throws IOException {
        ObjectMapper m = new ObjectMapper();
        assertEquals(m.readTree(r.partitioned().partition().toJson().toString()),
                m.readTree(o.partition().toJson().toString()), "the fitted partition (centers) is identical");
        assertSameStates(r.partitioned().states(), o.assigned(), "assigned states");
        assertSameStates(r.filtered().sequences(), o.filtered().sequences(), "filtered states");
        assertEquals(r.filtered().framesRelabelled(), o.filtered().framesRelabelled());
        assertEquals(r.filtered().framesDropped(), o.filtered().framesDropped());
        assertEquals(r.filtered().trajectoriesDropped(), o.filtered().trajectoriesDropped());
        for (Map.Entry<Integer, long[][]> c : o.counts().entrySet()) {
            long[][] expected = TransitionCounts.count(r.filtered().sequences(), c.getKey());
            assertTrue(java.util.Arrays.deepEquals(expected, c.getValue()), "counts at lag " + c.getKey());
        }
        int lag = r.pipeline().kinetics().get(Pipeline.MSM_LAG);
        MarkovStateModel single = MsmEstimator.estimate(r.filtered().sequences(), lag, true);
        assertTrue(java.util.Arrays.deepEquals(single.transitionMatrix(), o.msm().transitionMatrix()),
                "Markov model");
        assertArrayEquals(single.timescales(2), o.msm().timescales(2), 0.0);
        // the run folder of slowdyn run, from the same states
        assertSameStates(r.filtered().sequences(), StateSequenceFiles.read(folder.resolve(
                "reference-states.txt.gz")), "reference-states in the run folder");
        JsonNode spark = m.readTree(Files.readString(folder.resolve("spark.json")));
        assertTrue(java.util.Arrays.deepEquals(TransitionCounts.count(r.filtered().sequences(), lag),
                m.treeToValue(spark.path("counts").path(String.valueOf(lag)), long[][].class)),
                "spark.json has the counts");
    }

    /** The run folder of the test running now. */
    private Path folder;

    @Test
    void kmeansOnLocalSparkIsIdenticalToOneMachine() throws IOException {
        Reference r = reference(KMEANS, files);
        folder = dir.resolve("run-local");
        Path dtrajs = dir.resolve("dtrajs-local");
        SparkPipeline.Outcome o = spark("local[2]", KMEANS, files, folder, false, dtrajs);
        assertEquals(FILES, o.files().size());
        assertTrue(r.filtered().framesRelabelled() > 0, "the filter did something");
        assertIdentical(r, o);
        // --dtrajs: one .npy of states per trajectory, written by the executors, named by index and file
        for (int t = 0; t < FILES; t += 111) {
            org.slowdyn.io.Npy.Array a = org.slowdyn.io.Npy.read(dtrajs.resolve(String.format("%06d-traj-%04d.txt.npy",
                    t, t)));
            assertEquals("<i4", a.dtype());
            int[] expected = r.filtered().sequences().get(t).toArray();
            assertEquals(expected.length, a.size());
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], a.get(i), 0.0, "trajectory " + t + ", frame " + i);
            }
        }
        assertEquals(12, o.partition().numberOfStates());
    }

    @Test
    void coresOnLocalClusterWithTwoExecutorJvmsAreIdenticalToOneMachine() throws IOException {
        Reference r = reference(CORES, files);
        assertTrue(r.filtered().framesDropped() > 0 || r.filtered().framesRelabelled() > 0, "milestoning acted");
        folder = dir.resolve("run-cluster-cores");
        assertIdentical(r, spark("local-cluster[2,1,1024]", CORES, files, folder, false));
    }

    @Test
    void kmeansOnLocalClusterIsIdenticalToOneMachine() throws IOException {
        Reference r = reference(KMEANS, files);
        folder = dir.resolve("run-cluster-kmeans");
        assertIdentical(r, spark("local-cluster[2,1,1024]", KMEANS, files, folder, false));
    }

    @Test
    void aDamagedFileIsNamedOrSkippedAndListed() throws IOException {
        List<String> some = new ArrayList<>(files.subList(0, 30));
        LangevinSimulator sim = LangevinSimulator.fourWell();
        FeatureSeries s = sim.simulate(LangevinSimulator.SCHEMA.defaults().with(LangevinSimulator.TRAJECTORIES, 1)
                .with(LangevinSimulator.FRAMES, 100).with(LangevinSimulator.STEPS_PER_FRAME, 20), 12, null).get(0);
        String bad = write("damaged.txt", s, 17).toString();
        some.add(13, bad);
        InputException e = assertThrows(InputException.class,
                () -> spark("local[2]", KMEANS, some, dir.resolve("run-damaged"), false));
        assertTrue(e.getMessage().contains("damaged.txt") && e.getMessage().contains("line 17"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("run-damaged")), "no run folder after a failure");

        folder = dir.resolve("run-skipped");
        SparkPipeline.Outcome o = spark("local[2]", KMEANS, some, folder, true);
        assertEquals(1, o.skipped().size());
        assertEquals(bad, o.skipped().get(0).file());
        assertTrue(o.skipped().get(0).reason().contains("line 17"), o.skipped().get(0).reason());
        List<String> good = new ArrayList<>(some);
        good.remove(bad);
        assertIdentical(reference(KMEANS, good), o);
        JsonNode spark = new ObjectMapper().readTree(Files.readString(folder.resolve("spark.json")));
        assertEquals(bad, spark.path("skipped").get(0).path("file").asText());
        assertTrue(Files.readString(folder.resolve("report.md")).contains("damaged.txt"),
                "the report lists the skipped file");
    }

    @Test
    void theCommandLineExitsWithOneOnAFailureAndTwoOnAUsageError() throws IOException {
        Path pipeline = dir.resolve("p.json");
        Files.writeString(pipeline, KMEANS);
        assertEquals(2, Main.execute(pipeline.toString()), "--out is missing");
        assertEquals(2, Main.execute(pipeline.toString(), "--out", dir.resolve("none").toString()),
                "no --files and no input.files");
        Path tica = dir.resolve("tica.json");
        String ticaJson = KMEANS.replace("{ \"id\": \"featurize.columns\", \"settings\": { \"columns\": [\"x\", \"y\"], "
                + "\"frameInterval\": 1.0 } }", "{ \"id\": \"featurize.tica\", \"settings\": { \"lag\": 1, \"features\": "
                + "{ \"id\": \"featurize.columns\", \"settings\": { \"columns\": [\"x\", \"y\"], \"frameInterval\": 1.0 } } } }");
        Files.writeString(tica, ticaJson);
        assertEquals(2, Main.execute(tica.toString(), "--out", dir.resolve("tica").toString(), "--files",
                files.get(0)), "TICA fits on all trajectories at once: refused before any work");
        var refused = assertThrows(org.slowdyn.core.ConfigurationException.class, () -> SparkPipeline.check(
                SparkPipeline.parse(ticaJson, "tica.json"), "tica.json"));
        assertTrue(refused.getMessage().contains("fits a projection on all trajectories"), refused.getMessage());
        System.setProperty("spark.master", "local[1]");
        try {
            assertEquals(1, Main.execute(pipeline.toString(), "--out", dir.resolve("cli").toString(), "--files",
                    dir.resolve("no-such-*.txt").toString()), "no file matches");
            assertEquals(0, Main.execute(pipeline.toString(), "--out", dir.resolve("cli").toString(), "--files",
                    String.join(",", files.subList(0, 20))));
            assertEquals(2, Main.execute(pipeline.toString(), "--out", dir.resolve("cli").toString(), "--files",
                    files.get(0)), "the run folder exists already");
            JsonNode report = new ObjectMapper().readTree(Files.readString(dir.resolve("cli/report.json")));
            assertNotEquals(0, report.size());
            Reference r = reference(KMEANS, files.subList(0, 20));
            assertSameStates(r.filtered().sequences(), StateSequenceFiles.read(dir.resolve(
                    "cli/reference-states.txt.gz")), "the command's states");
        } finally {
            System.clearProperty("spark.master");
        }
    }
}
