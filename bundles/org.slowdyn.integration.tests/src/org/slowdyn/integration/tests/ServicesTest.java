package org.slowdyn.integration.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.slowdyn.app.Pipeline;
import org.slowdyn.app.PipelineRunner;
import org.slowdyn.app.RunResult;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.Featurizer;
import org.slowdyn.core.ModelTrainer;
import org.slowdyn.core.RecrossingFilter;
import org.slowdyn.core.Stage;
import org.slowdyn.core.StageFamily;
import org.slowdyn.core.StageProvider;
import org.slowdyn.core.StageRegistry;
import org.slowdyn.core.StatePartition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs inside Equinox with Felix SCR: the implementation bundles publish their Declarative Services components, and
 * the services are found by their id, both through the service property and through the catalog the application
 * builds.
 */
public class ServicesTest {
    private final BundleContext context = FrameworkUtil.getBundle(ServicesTest.class).getBundleContext();

    private <T> T byId(Class<T> type, String id) throws Exception {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=" + type.getName() + ")(" + Stage.ID_PROPERTY + "=" + id + "))"),
                null);
        tracker.open();
        try {
            return tracker.waitForService(10_000);
        } finally {
            tracker.close();
        }
    }

    private <T> List<T> all(Class<T> type) throws Exception {
        byId(type, "*"); // wait until at least one is published
        Collection<ServiceReference<T>> refs = context.getServiceReferences(type, null);
        List<T> services = new ArrayList<>();
        for (ServiceReference<T> ref : refs) {
            services.add(context.getService(ref));
        }
        return services;
    }

    @Test
    void everyBuiltInImplementationIsAServiceFoundByItsId() throws Exception {
        for (String id : List.of("featurize.columns", "featurize.torsions", "featurize.distances",
                "featurize.contacts", "featurize.rmsd", "featurize.combined", "featurize.tica", "featurize.pca")) {
            Featurizer f = byId(Featurizer.class, id);
            assertNotNull(f, id);
            assertEquals(id, f.id());
        }
        for (String id : List.of("partition.nearest", "partition.grid", "partition.kmeans", "partition.regspace",
                "partition.pcca")) {
            StatePartition p = byId(StatePartition.class, id);
            assertNotNull(p, id);
            assertEquals(id, p.id());
        }
        for (String id : List.of("recrossing.none", "recrossing.min-dwell", "recrossing.peak-step",
                "recrossing.milestoning")) {
            RecrossingFilter r = byId(RecrossingFilter.class, id);
            assertNotNull(r, id);
            assertEquals(id, r.id());
        }
        for (String id : List.of("train.markov", "train.lstm", "train.transformer")) {
            ModelTrainer t = byId(ModelTrainer.class, id);
            assertNotNull(t, id);
            assertEquals(id, t.id());
        }
    }

    /** The live registry that the DS component of org.slowdyn.app publishes. */
    static StageRegistry registry() throws Exception {
        BundleContext bc = FrameworkUtil.getBundle(ServicesTest.class).getBundleContext();
        ServiceTracker<StageRegistry, StageRegistry> tracker = new ServiceTracker<>(bc, StageRegistry.class, null);
        tracker.open();
        try {
            StageRegistry r = tracker.waitForService(10_000);
            assertNotNull(r, "no StageRegistry service");
            // every built-in service is bound (the implementation bundles may still be starting)
            new ServicesTest().all(ModelTrainer.class);
            return r;
        } finally {
            tracker.close();
        }
    }

    @Test
    void registryKnowsEveryStageWithItsBundle() throws Exception {
        StageRegistry stages = registry();
        assertEquals(all(Featurizer.class).size(), stages.entries(StageFamily.FEATURIZER).size());
        assertEquals(all(StatePartition.class).size(), stages.entries(StageFamily.PARTITION).size());
        assertEquals(all(RecrossingFilter.class).size(), stages.entries(StageFamily.FILTER).size());
        assertEquals(all(ModelTrainer.class).size(), stages.entries(StageFamily.TRAINER).size());
        StageProvider tica = stages.provider(stages.get(StageFamily.FEATURIZER, "featurize.tica"));
        assertEquals("org.slowdyn.featurize", tica.name());
        assertEquals(FrameworkUtil.getBundle(stages.get(StageFamily.FEATURIZER, "featurize.tica").getClass())
                .getVersion().toString(), tica.version());
        assertEquals("org.slowdyn.partition",
                stages.provider(stages.get(StageFamily.PARTITION, "partition.pcca")).name());
        assertEquals(List.of(), stages.problems());
    }

    @Test
    void catalogListsServicesAndRejectsUnknownIds() throws Exception {
        StageRegistry stages = registry();
        assertTrue(stages.ids(StageFamily.PARTITION).containsAll(List.of("partition.grid", "partition.nearest")));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> stages.get(StageFamily.PARTITION, "partition.kmeans-typo"));
        assertTrue(e.getMessage().contains("partition.grid") && e.getMessage().contains("partition.nearest"),
                e.getMessage());
    }

    /** A small study through the services: 200 short simulated trajectories, to a complete run folder. */
    @Test
    void pipelineRunsThroughTheServices(@TempDir Path dir) throws Exception {
        String json = "{ \"name\": \"osgi-smoke\", \"seed\": 3,"
                + " \"input\": { \"simulate\": { \"trajectories\": 200, \"frames\": 1000 } },"
                + " \"featurizer\": { \"id\": \"featurize.columns\", \"settings\": { \"columns\": [\"x\"] } },"
                + " \"partition\": { \"id\": \"partition.nearest\", \"settings\": { \"centers\": [[-2], [-0.5], [0.5], [2]] } },"
                + " \"filter\": { \"id\": \"recrossing.peak-step\", \"settings\": { \"threshold\": 20 } },"
                + " \"trainer\": { \"id\": \"train.markov\" } }";
        StageRegistry stages = registry();
        Pipeline pipeline = Pipeline.parse(json, "test", null, stages);
        Path run = dir.resolve("run");
        RunResult result = new PipelineRunner(stages).run(pipeline, run, new NullProgressMonitor());
        for (String f : List.of("report.json", "report.md", "manifest.json", "partition.json", "model/model.json",
                "reference-states.txt.gz", "generated-states.txt.gz")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        JsonNode report = new ObjectMapper().readTree(run.resolve("report.json").toFile());
        assertEquals(4, report.path("states").size());
        assertEquals(200_000, report.path("referenceFrames").asLong());
        assertEquals(200_000, report.path("generatedFrames").asLong());
        double sum = 0;
        for (int s = 0; s < 4; s++) {
            sum += result.reference().population(s);
        }
        assertEquals(1.0, sum, 1e-12);
        assertEquals("recrossing.peak-step", report.path("stages").path("filter").asText());
        JsonNode providers = new ObjectMapper().readTree(run.resolve("manifest.json").toFile()).path("stageProviders");
        assertEquals("org.slowdyn.recrossing", providers.path("filter").path("bundle").asText());
        assertEquals("org.slowdyn.train.markov", providers.path("trainer").path("bundle").asText());
    }
}
