package org.slowdyn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.junit.jupiter.api.Test;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.NestedStage;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class StageRegistryTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private static final StageProvider LAB = new StageProvider("org.lab.stages", "1.2.0");
    private static final StageProvider OTHER = new StageProvider("org.other.stages", "0.3.0");

    static final Setting<Integer> CLUSTERS = Setting.integer("clusters", 10, 1, 1000, "", "clusters");
    static final Setting<NestedStage<StatePartition>> MICRO = Setting.stage("micro", StageFamily.PARTITION,
            NestedStage.of(StageFamily.PARTITION, "partition.a", null), "microstates");
    static final Setting<List<NestedStage<StatePartition>>> PARTS = Setting.stageList("parts", StageFamily.PARTITION,
            List.of(), 0, "parts");

    @Test
    void looksUpByIdAndListsTheAvailableIdsOnUnknown() {
        StatePartition a = partition("partition.a", SettingsSchema.of(CLUSTERS));
        StatePartition b = partition("partition.b", SettingsSchema.of(CLUSTERS));
        StageRegistry r = new StageRegistry();
        r.add(StageFamily.PARTITION, b, LAB);
        r.add(StageFamily.PARTITION, a, LAB);
        assertSame(a, r.get(StageFamily.PARTITION, "partition.a"));
        assertEquals(List.of("partition.a", "partition.b"), r.ids(StageFamily.PARTITION));
        assertEquals(List.of(), r.ids(StageFamily.FEATURIZER));
        assertEquals(LAB, r.provider(a));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> r.get(StageFamily.PARTITION, "partition.c"));
        assertTrue(e.getMessage().contains("unknown state partition id 'partition.c'")
                && e.getMessage().contains("partition.a, partition.b"), e.getMessage());
        // live: a removed stage is gone, and only it
        r.remove(a);
        assertEquals(List.of("partition.b"), r.ids(StageFamily.PARTITION));
        assertThrows(ConfigurationException.class, () -> r.get(StageFamily.PARTITION, "partition.a"));
    }

    @Test
    void anIdClaimedTwiceIsKeptListedAndRefusedByNameOfBothProviders() {
        StatePartition mine = partition("partition.a", SettingsSchema.of());
        StatePartition theirs = partition("partition.a", SettingsSchema.of());
        StatePartition other = partition("partition.b", SettingsSchema.of());
        StageRegistry r = new StageRegistry();
        r.add(StageFamily.PARTITION, mine, LAB);
        r.add(StageFamily.PARTITION, theirs, OTHER);
        r.add(StageFamily.PARTITION, other, OTHER);
        assertEquals(List.of("partition.a"), List.copyOf(r.clashes(StageFamily.PARTITION).keySet()));
        assertEquals(3, r.entries(StageFamily.PARTITION).size());
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> r.get(StageFamily.PARTITION, "partition.a"));
        assertTrue(e.getMessage().contains("org.lab.stages 1.2.0") && e.getMessage().contains("org.other.stages 0.3.0"),
                e.getMessage());
        // the other ids are unaffected
        assertSame(other, r.get(StageFamily.PARTITION, "partition.b"));
        // once one provider leaves, the id works again
        r.remove(theirs);
        assertSame(mine, r.get(StageFamily.PARTITION, "partition.a"));
        assertTrue(r.clashes(StageFamily.PARTITION).isEmpty());
    }

    @Test
    void problemsAreListedInUnknownIdErrors() {
        StageRegistry r = new StageRegistry();
        r.reportProblem(new StageRegistry.Problem(LAB, "bundle", "cannot start: missing org.slowdyn.io"));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> r.get(StageFamily.FEATURIZER, "lab.chi"));
        assertTrue(e.getMessage().contains("none is installed") && e.getMessage().contains("org.lab.stages 1.2.0: "
                + "bundle: cannot start: missing org.slowdyn.io"), e.getMessage());
    }

    @Test
    void nestedStagesResolveAgainstTheRegistryWithTheirOwnSchema() throws Exception {
        SettingsSchema micro = SettingsSchema.of(CLUSTERS);
        SettingsSchema composite = SettingsSchema.of(MICRO, PARTS);
        StatePartition a = partition("partition.a", micro);
        StatePartition c = partition("partition.composite", composite);
        StageRegistry r = StageRegistry.of(a, c);

        // without a registry only the form is read, and the stage is not available
        Settings unresolved = composite.fromJson(mapper.readTree("{\"micro\": {\"id\": \"partition.a\"}}"), "t");
        assertFalse(unresolved.get(MICRO).isResolved());
        assertThrows(ConfigurationException.class, () -> unresolved.get(MICRO).stage());

        // with it, defaults of the nested stage are filled in, and a nested composite resolves its own nested stages
        Settings s = composite.fromJson(mapper.readTree("{\"parts\": [{\"id\": \"partition.a\", \"settings\": "
                + "{\"clusters\": 3}}, {\"id\": \"partition.composite\", \"settings\": {\"micro\": {\"id\": "
                + "\"partition.a\", \"settings\": {\"clusters\": 7}}}}]}"), "t", r);
        assertSame(a, s.get(MICRO).stage());
        assertEquals(10, s.get(MICRO).settings().get(CLUSTERS));
        assertEquals(3, s.get(PARTS).get(0).settings().get(CLUSTERS));
        NestedStage<StatePartition> inner = s.get(PARTS).get(1).settings().get(MICRO);
        assertEquals(7, inner.settings().get(CLUSTERS));
        JsonNode json = s.toJson();
        assertEquals(10, json.path("micro").path("settings").path("clusters").asInt());
        assertEquals("partition.composite", json.path("parts").get(1).path("id").asText());
        // the JSON alone reproduces the settings
        assertEquals(s, composite.fromJson(json, "t", r));

        // errors name the path of the nested field
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> composite.fromJson(
                mapper.readTree("{\"parts\": [{\"id\": \"partition.a\"}, {\"id\": \"partition.composite\", "
                        + "\"settings\": {\"micro\": {\"id\": \"partition.a\", \"settings\": {\"clusters\": 0}}}}]}"),
                "t", r));
        assertEquals("parts[1].settings.micro.settings.clusters", e.field());
        assertTrue(e.getMessage().contains("'clusters' = 0"), e.getMessage());
        e = assertThrows(InvalidSettingException.class, () -> composite.fromJson(
                mapper.readTree("{\"micro\": {\"id\": \"partition.x\"}}"), "t", r));
        assertEquals("micro", e.field());
        assertTrue(e.getMessage().contains("partition.a, partition.composite"), e.getMessage());
        e = assertThrows(InvalidSettingException.class, () -> composite.fromJson(
                mapper.readTree("{\"micro\": {\"id\": \"partition.a\", \"setting\": {}}}"), "t"));
        assertTrue(e.getMessage().contains("unknown field 'setting'"), e.getMessage());
        e = assertThrows(InvalidSettingException.class, () -> composite.fromJson(
                mapper.readTree("{\"micro\": \"partition.a\"}"), "t"));
        assertEquals("micro", e.field());
    }

    @Test
    void aStageIsAddedToEveryFamilyItImplements() {
        StageRegistry r = StageRegistry.of(partition("partition.a", SettingsSchema.of()));
        assertEquals(List.of("partition.a"), r.ids(StageFamily.PARTITION));
        assertEquals(StageProvider.CLASSPATH, r.provider(r.get(StageFamily.PARTITION, "partition.a")));
        assertThrows(IllegalArgumentException.class, () -> StageRegistry.of(new Stage() {
            @Override
            public String id() {
                return "x";
            }

            @Override
            public String label() {
                return "x";
            }

            @Override
            public String description() {
                return "x";
            }

            @Override
            public SettingsSchema settingsSchema() {
                return SettingsSchema.of();
            }
        }));
    }

    private static StatePartition partition(String id, SettingsSchema schema) {
        return new StatePartition() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String label() {
                return id;
            }

            @Override
            public String description() {
                return id;
            }

            @Override
            public SettingsSchema settingsSchema() {
                return schema;
            }

            @Override
            public FittedPartition fit(List<FeatureSeries> data, Settings settings, IProgressMonitor monitor) {
                throw new UnsupportedOperationException();
            }

            @Override
            public FittedPartition load(JsonNode json) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
