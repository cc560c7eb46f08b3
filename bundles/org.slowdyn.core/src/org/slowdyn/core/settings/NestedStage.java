package org.slowdyn.core.settings;

import java.util.Iterator;
import java.util.Objects;

import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.Stage;
import org.slowdyn.core.StageFamily;
import org.slowdyn.core.StageResolver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The value of a setting that names another stage, with its settings: {@code {"id": ..., "settings": {...}}} in JSON
 * (for example the featurizer that TICA reduces, or the microstates of PCCA+). The same form names the four stages of
 * a pipeline. Read from JSON it is <em>unresolved</em>: only its form is checked. {@link #resolve} looks the id up
 * among the installed stages and validates the settings against that stage's own schema; only a resolved value has a
 * {@link #stage()}. Immutable.
 *
 * @param <T> the family's contract
 */
public final class NestedStage<T extends Stage> {
    private final StageFamily<T> family;
    private final String id;
    private final JsonNode settingsJson;
    private final T stage;
    private final Settings settings;

    private NestedStage(StageFamily<T> family, String id, JsonNode settingsJson, T stage, Settings settings) {
        this.family = family;
        this.id = id;
        this.settingsJson = settingsJson;
        this.stage = stage;
        this.settings = settings;
    }

    /** An unresolved reference to a stage by id; {@code settings} may be null (all defaults). */
    public static <T extends Stage> NestedStage<T> of(StageFamily<T> family, String id, JsonNode settings) {
        if (settings != null && !settings.isNull() && !settings.isObject()) {
            throw new InvalidSettingException("settings", "the settings of " + family + " '" + id
                    + "' must be a JSON object, found " + settings);
        }
        return new NestedStage<>(family, Objects.requireNonNull(id),
                settings == null || settings.isNull() ? JsonNodeFactory.instance.objectNode() : settings.deepCopy(),
                null, null);
    }

    /** A resolved value for a stage at hand (plain Java use, tests). */
    public static <T extends Stage> NestedStage<T> of(StageFamily<T> family, T stage, Settings settings) {
        if (settings.schema() != stage.settingsSchema()) {
            throw new IllegalArgumentException("the settings are not of " + stage.id() + "'s schema");
        }
        return new NestedStage<>(family, stage.id(), settings.toJson(), stage, settings);
    }

    /**
     * Reads {@code {"id": ..., "settings": {...}}}; any other field is an error.
     *
     * @param where the field, for messages (e.g. "features[1]")
     */
    public static <T extends Stage> NestedStage<T> fromJson(StageFamily<T> family, JsonNode node, String where) {
        if (node == null || !node.isObject() || !node.path("id").isTextual() || node.get("id").asText().isBlank()) {
            throw new InvalidSettingException(where, "'" + where + "' must be an object {\"id\": the id of a "
                    + family + ", \"settings\": {...}}, found " + node);
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!f.equals("id") && !f.equals("settings")) {
                throw new InvalidSettingException(where, "'" + where + "' has an unknown field '" + f
                        + "' (known: id, settings)");
            }
        }
        JsonNode s = node.get("settings");
        if (s != null && !s.isNull() && !s.isObject()) {
            throw new InvalidSettingException(where + ".settings", "'" + where + ".settings' must be a JSON object, "
                    + "found " + s);
        }
        return of(family, node.get("id").asText(), s);
    }

    /**
     * Looks the id up and validates the settings against the stage's schema, resolving its own nested stages in turn.
     *
     * @param where the field, for messages; errors name it, e.g. {@code features.settings.columns}
     * @throws ConfigurationException for an unknown or ambiguous id or invalid settings
     */
    public NestedStage<T> resolve(StageResolver stages, String where) {
        T found;
        try {
            found = stages.get(family, id);
        } catch (InvalidSettingException e) {
            throw e;
        } catch (ConfigurationException e) {
            throw new InvalidSettingException(where, "'" + where + "': " + e.getMessage());
        }
        Settings resolved;
        try {
            resolved = found.settingsSchema().fromJson(settingsJson, where + " '" + id + "'", stages);
        } catch (InvalidSettingException e) {
            throw new InvalidSettingException(where + ".settings." + e.field(), e.getMessage());
        }
        return new NestedStage<>(family, id, settingsJson, found, resolved);
    }

    public StageFamily<T> family() {
        return family;
    }

    public String id() {
        return id;
    }

    /** The settings as they were given, before defaults were filled in. */
    public JsonNode givenSettings() {
        return settingsJson.deepCopy();
    }

    public boolean isResolved() {
        return stage != null;
    }

    /** @throws ConfigurationException when this value has not been resolved against the installed stages */
    public T stage() {
        requireResolved();
        return stage;
    }

    /** The stage's validated settings, every default filled in. */
    public Settings settings() {
        requireResolved();
        return settings;
    }

    private void requireResolved() {
        if (stage == null) {
            throw new ConfigurationException("the " + family + " '" + id + "' has not been looked up among the "
                    + "installed stages: read these settings with SettingsSchema.fromJson(json, context, stages)");
        }
    }

    /** {@code {"id": ..., "settings": {...}}}; once resolved, the settings list every field, defaults included. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", id);
        node.set("settings", settings != null ? settings.toJson() : settingsJson.deepCopy());
        return node;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NestedStage<?> n && n.family == family && n.id.equals(id)
                && n.toJson().equals(toJson());
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, toJson());
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
