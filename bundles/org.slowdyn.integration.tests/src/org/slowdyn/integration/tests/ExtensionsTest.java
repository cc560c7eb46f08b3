package org.slowdyn.integration.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.slowdyn.app.CommandLine;
import org.slowdyn.core.Featurizer;
import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.Stage;
import org.slowdyn.core.StatePartition;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.data.TrajectoryInput;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Stages that another bundle registers while the framework runs (here the test bundle, as a lab's bundle would):
 * the live registry picks them up, composite stages take them as nested stages, the run manifest names their bundle,
 * they are gone once unregistered, and an id that two bundles claim fails only the pipelines that name it.
 */
class ExtensionsTest {
    private static final String TEST_BUNDLE = "org.slowdyn.integration.tests";

    @TempDir
    Path dir;

    private final BundleContext context = FrameworkUtil.getBundle(ExtensionsTest.class).getBundleContext();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        out.reset();
        err.reset();
        return new CommandLine(ServicesTest.registry(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new NullProgressMonitor())
                .execute(List.of(args));
    }

    private <T extends Stage> ServiceRegistration<T> register(Class<T> type, T stage) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Stage.ID_PROPERTY, stage.id());
        return context.registerService(type, stage, props);
    }

    private Path pipeline(String name, String featurizer, String partition) throws Exception {
        Path f = dir.resolve(name + ".json");
        Files.writeString(f, "{ \"name\": \"" + name + "\", \"input\": { \"simulate\": { \"trajectories\": 40, "
                + "\"frames\": 1000 } }, \"featurizer\": " + featurizer + ", \"partition\": " + partition + ","
                + " \"filter\": { \"id\": \"recrossing.none\" }, \"trainer\": { \"id\": \"train.markov\" },"
                + " \"kinetics\": { \"bootstrap\": 0, \"msmBootstrap\": 0 } }");
        return f;
    }

    @Test
    void aLaterBundlesStagesFeedTicaAndPccaAndLeaveWithIt() throws Exception {
        ServiceRegistration<Featurizer> f = register(Featurizer.class, new ProductFeaturizer());
        ServiceRegistration<StatePartition> p = register(StatePartition.class, new QuadrantPartition("lab.quadrants"));
        Path pipeline = pipeline("nested",
                "{ \"id\": \"featurize.tica\", \"settings\": { \"features\": { \"id\": \"lab.xy-product\" }, "
                        + "\"dimensions\": 2, \"lag\": 5 } }",
                "{ \"id\": \"partition.pcca\", \"settings\": { \"micro\": { \"id\": \"lab.quadrants\" }, "
                        + "\"sets\": 2, \"lag\": 5 } }");
        try {
            assertEquals(0, run("list"));
            String list = out.toString(StandardCharsets.UTF_8);
            assertTrue(list.contains("lab.xy-product  -  x, y and xy") && list.contains("from " + TEST_BUNDLE), list);
            Path runDir = dir.resolve("run");
            assertEquals(0, run("run", pipeline.toString(), "--out", runDir.toString()),
                    err.toString(StandardCharsets.UTF_8));
            JsonNode manifest = new ObjectMapper().readTree(runDir.resolve("manifest.json").toFile());
            JsonNode providers = manifest.path("stageProviders");
            assertEquals("lab.xy-product", providers.path("featurizer.features").path("id").asText());
            assertEquals(TEST_BUNDLE, providers.path("featurizer.features").path("bundle").asText());
            assertEquals("org.slowdyn.featurize", providers.path("featurizer").path("bundle").asText());
            assertEquals(TEST_BUNDLE, providers.path("partition.micro").path("bundle").asText());
            // the manifest's pipeline has the nested stages with every setting filled in
            assertEquals("lab.quadrants", manifest.path("pipeline").path("partition").path("settings").path("micro")
                    .path("id").asText());
            // TICA's input had the lab's three columns: two components of three were kept
            JsonNode report = new ObjectMapper().readTree(runDir.resolve("report.json").toFile());
            assertEquals(2, report.path("states").size(), report.path("states").toString());
        } finally {
            f.unregister();
            p.unregister();
        }
        assertEquals(2, run("run", pipeline.toString(), "--out", dir.resolve("run2").toString()));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("'lab.xy-product'") && e.contains("featurize.columns"), e);
    }

    @Test
    void anIdClaimedTwiceIsListedAndFailsOnlyThePipelinesThatNameIt() throws Exception {
        ServiceRegistration<StatePartition> dup = register(StatePartition.class,
                new QuadrantPartition("partition.grid"));
        try {
            assertEquals(0, run("help"));
            assertEquals(0, run("list"));
            String list = out.toString(StandardCharsets.UTF_8);
            assertTrue(list.contains("CLASH: the id 'partition.grid' is provided by") && list.contains("org.slowdyn.partition")
                    && list.contains(TEST_BUNDLE), list);
            assertEquals(2, run("run", pipeline("clash", "{ \"id\": \"featurize.columns\" }",
                    "{ \"id\": \"partition.grid\" }").toString(), "--out", dir.resolve("c").toString()));
            String e = err.toString(StandardCharsets.UTF_8);
            assertTrue(e.contains("'partition.grid'") && e.contains("org.slowdyn.partition") && e.contains(TEST_BUNDLE),
                    e);
            assertEquals(0, run("run", pipeline("fine", "{ \"id\": \"featurize.columns\" }",
                    "{ \"id\": \"partition.nearest\" }").toString(), "--out", dir.resolve("f").toString()),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            dup.unregister();
        }
    }

    /** x, y and their product, from in-memory series with x and y columns. */
    static final class ProductFeaturizer implements Featurizer {
        @Override
        public String id() {
            return "lab.xy-product";
        }

        @Override
        public String label() {
            return "x, y and xy";
        }

        @Override
        public String description() {
            return "the coordinates and their product";
        }

        @Override
        public SettingsSchema settingsSchema() {
            return NONE;
        }

        @Override
        public List<FeatureSeries> featurize(TrajectoryInput input, Settings settings, IProgressMonitor monitor) {
            List<FeatureSeries> result = new ArrayList<>();
            for (FeatureSeries s : input.series()) {
                int x = s.indexOf("x"), y = s.indexOf("y");
                double[] v = new double[s.frames() * 3];
                for (int i = 0; i < s.frames(); i++) {
                    v[3 * i] = s.get(i, x);
                    v[3 * i + 1] = s.get(i, y);
                    v[3 * i + 2] = s.get(i, x) * s.get(i, y);
                }
                result.add(FeatureSeries.wrap(v, List.of("x", "y", "xy"), s.frameInterval(), s.timeUnit(),
                        s.source()));
            }
            return result;
        }
    }

    static final SettingsSchema NONE = SettingsSchema.of();

    /** The sign quadrant of the first two features: four states. */
    static final class QuadrantPartition implements StatePartition {
        private final String id;

        QuadrantPartition(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String label() {
            return "Quadrants";
        }

        @Override
        public String description() {
            return "sign quadrant of the first two features";
        }

        @Override
        public SettingsSchema settingsSchema() {
            return NONE;
        }

        @Override
        public FittedPartition fit(List<FeatureSeries> data, Settings settings, IProgressMonitor monitor) {
            return load(null);
        }

        @Override
        public FittedPartition load(JsonNode json) {
            return new FittedPartition() {
                @Override
                public String partitionId() {
                    return id;
                }

                @Override
                public int numberOfStates() {
                    return 4;
                }

                @Override
                public List<String> stateLabels() {
                    return List.of("--", "+-", "-+", "++");
                }

                @Override
                public StateSequence assign(FeatureSeries s) {
                    int[] q = new int[s.frames()];
                    for (int i = 0; i < q.length; i++) {
                        q[i] = (s.get(i, 0) > 0 ? 1 : 0) + (s.get(i, 1) > 0 ? 2 : 0);
                    }
                    return StateSequence.wrap(q, 4, s.frameInterval(), s.timeUnit(), s.source());
                }

                @Override
                public ObjectNode toJson() {
                    return new ObjectMapper().createObjectNode().put("partition", id);
                }
            };
        }
    }
}
