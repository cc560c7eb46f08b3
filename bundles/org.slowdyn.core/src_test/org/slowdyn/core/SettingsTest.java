package org.slowdyn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

import com.fasterxml.jackson.databind.ObjectMapper;

class SettingsTest {
    static final Setting<Integer> BINS = Setting.integer("bins", 20, 1, 10000, "", "bins per feature");
    static final Setting<Double> MIN = Setting.real("min", -1.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
            "nm", "lower edge");
    static final Setting<Double> MAX = Setting.real("max", 1.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
            "nm", "upper edge");
    static final Setting<String> MODE = Setting.choice("mode", "a", List.of("a", "b"), "mode");
    static final Setting<List<List<Double>>> CENTERS = Setting.points("centers", List.of(List.of(0.0, 1.0)), 1, "nm",
            "centers");
    static final SettingsSchema SCHEMA = SettingsSchema.of(s -> {
        if (s.get(MIN) >= s.get(MAX)) {
            throw new InvalidSettingException("max", "setting 'max' = " + s.get(MAX) + " must be greater than 'min' = "
                    + s.get(MIN));
        }
    }, BINS, MIN, MAX, MODE, CENTERS);

    final ObjectMapper mapper = new ObjectMapper();

    @Test
    void defaultsRoundTripThroughJson() throws Exception {
        Settings defaults = SCHEMA.defaults();
        String json = defaults.toJson().toString();
        Settings back = SCHEMA.fromJson(mapper.readTree(json), "test");
        assertEquals(defaults, back);
        assertEquals(20, back.get(BINS));
        assertEquals(List.of(List.of(0.0, 1.0)), back.get(CENTERS));
    }

    @Test
    void changedValuesRoundTrip() throws Exception {
        Settings s = SCHEMA.defaults().with(BINS, 7).with(MODE, "b").with(CENTERS,
                List.of(List.of(1.5, -2.0), List.of(3.0, 4.0)));
        Settings back = SCHEMA.fromJson(mapper.readTree(s.toJson().toString()), "test");
        assertEquals(s, back);
        assertEquals(7, back.get(BINS));
    }

    @Test
    void missingFieldsTakeDefaults() throws Exception {
        Settings s = SCHEMA.fromJson(mapper.readTree("{\"bins\": 5}"), "partition.grid");
        assertEquals(5, s.get(BINS));
        assertEquals(-1.0, s.get(MIN));
    }

    @Test
    void outOfRangeNamesFieldValueAndRange() throws Exception {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> SCHEMA.fromJson(mapper.readTree("{\"bins\": 0}"), "partition.grid"));
        assertEquals("bins", e.field());
        assertTrue(e.getMessage().contains("partition.grid"), e.getMessage());
        assertTrue(e.getMessage().contains("'bins' = 0"), e.getMessage());
        assertTrue(e.getMessage().contains("from 1 to 10000"), e.getMessage());
    }

    @Test
    void unknownFieldListsKnownOnes() throws Exception {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> SCHEMA.fromJson(mapper.readTree("{\"binz\": 3}"), "partition.grid"));
        assertTrue(e.getMessage().contains("unknown setting 'binz'"), e.getMessage());
        assertTrue(e.getMessage().contains("bins, min, max, mode, centers"), e.getMessage());
    }

    @Test
    void wrongTypeAndBadChoiceAreRejected() throws Exception {
        assertThrows(InvalidSettingException.class, () -> SCHEMA.fromJson(mapper.readTree("{\"bins\": 2.5}"), "t"));
        assertThrows(InvalidSettingException.class, () -> SCHEMA.fromJson(mapper.readTree("{\"bins\": \"3\"}"), "t"));
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> SCHEMA.fromJson(mapper.readTree("{\"mode\": \"c\"}"), "t"));
        assertTrue(e.getMessage().contains("one of a, b"), e.getMessage());
        assertThrows(InvalidSettingException.class,
                () -> SCHEMA.fromJson(mapper.readTree("{\"centers\": [[1, 2], [3]]}"), "t"));
    }

    @Test
    void crossFieldCheckNamesTheField() throws Exception {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> SCHEMA.fromJson(mapper.readTree("{\"min\": 2.0, \"max\": 1.0}"), "partition.grid"));
        assertEquals("max", e.field());
        assertThrows(InvalidSettingException.class, () -> SCHEMA.defaults().with(MIN, 5.0));
        // several values changed together are checked once, at the end
        Settings moved = SCHEMA.defaults().edit().set(MIN, 5.0).set(MAX, 6.0).done();
        assertEquals(5.0, moved.get(MIN));
        assertThrows(InvalidSettingException.class, () -> SCHEMA.defaults().edit().set(MIN, 5.0).done());
        assertThrows(InvalidSettingException.class, () -> SCHEMA.defaults().edit().set(BINS, 0));
    }
}
