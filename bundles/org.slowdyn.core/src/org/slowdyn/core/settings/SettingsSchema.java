package org.slowdyn.core.settings;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.slowdyn.core.StageResolver;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The ordered settings of one stage implementation, with an optional check across fields. Immutable.
 */
public final class SettingsSchema {
    private final Map<String, Setting<?>> settings = new LinkedHashMap<>();
    private final Consumer<Settings> crossCheck;

    private SettingsSchema(List<Setting<?>> list, Consumer<Settings> crossCheck) {
        for (Setting<?> s : list) {
            if (settings.put(s.name(), s) != null) {
                throw new IllegalArgumentException("duplicate setting '" + s.name() + "'");
            }
        }
        this.crossCheck = crossCheck;
    }

    public static SettingsSchema of(Setting<?>... settings) {
        return new SettingsSchema(List.of(settings), s -> {
        });
    }

    /**
     * A schema with a check across fields; {@code crossCheck} throws {@link InvalidSettingException} naming the
     * field it rejects.
     */
    public static SettingsSchema of(Consumer<Settings> crossCheck, Setting<?>... settings) {
        return new SettingsSchema(List.of(settings), crossCheck);
    }

    public List<Setting<?>> settings() {
        return List.copyOf(settings.values());
    }

    public boolean contains(Setting<?> setting) {
        return settings.get(setting.name()) == setting;
    }

    /** Settings with every field at its default. */
    public Settings defaults() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Setting<?> s : settings.values()) {
            values.put(s.name(), s.defaultValue());
        }
        return new Settings(this, values);
    }

    /**
     * Reads settings from a JSON object; fields not given take their defaults. Nested stages ({@link Setting#stage})
     * are checked for form only; use {@link #fromJson(JsonNode, String, StageResolver)} to look them up.
     *
     * @param context prefix for messages, e.g. "partition.grid"
     * @throws InvalidSettingException for an unknown field (listing the known ones), a wrong type or a value out of
     *                                 range
     */
    public Settings fromJson(JsonNode json, String context) {
        return fromJson(json, context, null);
    }

    /**
     * Reads settings from a JSON object and resolves every nested stage, defaults included, against the installed
     * stages: each is looked up by id and its settings validated against its own schema, recursively.
     *
     * @param stages the installed stages; null leaves nested stages unresolved
     * @throws InvalidSettingException naming the field (a nested one as {@code features.settings.columns})
     */
    public Settings fromJson(JsonNode json, String context, StageResolver stages) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Setting<?> s : settings.values()) {
            values.put(s.name(), s.defaultValue());
        }
        if (json != null && !json.isNull() && !json.isMissingNode()) {
            if (!json.isObject()) {
                throw new InvalidSettingException("", context + ": settings must be a JSON object, found " + json);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                Setting<?> s = settings.get(e.getKey());
                if (s == null) {
                    throw new InvalidSettingException(e.getKey(), context + ": unknown setting '" + e.getKey()
                            + "' (known: " + (settings.isEmpty() ? "none" : String.join(", ", settings.keySet())) + ")");
                }
                try {
                    values.put(s.name(), s.fromJson(e.getValue()));
                } catch (InvalidSettingException ex) {
                    throw new InvalidSettingException(ex.field(), context + ": " + ex.getMessage());
                }
            }
        }
        if (stages != null) {
            for (Setting<?> s : settings.values()) {
                Object v = values.get(s.name());
                try {
                    if (s.kind() == Setting.Kind.STAGE && v != null) {
                        values.put(s.name(), ((NestedStage<?>) v).resolve(stages, s.name()));
                    } else if (s.kind() == Setting.Kind.STAGE_LIST && v != null) {
                        List<NestedStage<?>> resolved = new ArrayList<>();
                        List<?> list = (List<?>) v;
                        for (int i = 0; i < list.size(); i++) {
                            resolved.add(((NestedStage<?>) list.get(i)).resolve(stages, s.name() + "[" + i + "]"));
                        }
                        values.put(s.name(), List.copyOf(resolved));
                    }
                } catch (InvalidSettingException ex) {
                    throw new InvalidSettingException(ex.field(), context + ": " + ex.getMessage());
                }
            }
        }
        Settings result = new Settings(this, values);
        check(result, context);
        return result;
    }

    void check(Settings settings, String context) {
        try {
            crossCheck.accept(settings);
        } catch (InvalidSettingException ex) {
            throw new InvalidSettingException(ex.field(), context.isEmpty() ? ex.getMessage()
                    : context + ": " + ex.getMessage());
        }
    }

    List<String> names() {
        return new ArrayList<>(settings.keySet());
    }
}
