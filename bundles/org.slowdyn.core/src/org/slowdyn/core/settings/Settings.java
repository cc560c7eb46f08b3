package org.slowdyn.core.settings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An immutable, validated set of values for a {@link SettingsSchema}. Obtain one from
 * {@link SettingsSchema#defaults()} or {@link SettingsSchema#fromJson}, and derive others with {@link #with}.
 */
public final class Settings {
    private final SettingsSchema schema;
    private final Map<String, Object> values;

    Settings(SettingsSchema schema, Map<String, Object> values) {
        this.schema = schema;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public SettingsSchema schema() {
        return schema;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        if (!schema.contains(setting)) {
            throw new IllegalArgumentException("setting '" + setting.name() + "' is not part of this schema");
        }
        return (T) values.get(setting.name());
    }

    /** A copy with one value replaced, validated (including the schema's check across fields). */
    public <T> Settings with(Setting<T> setting, T value) {
        if (!schema.contains(setting)) {
            throw new IllegalArgumentException("setting '" + setting.name() + "' is not part of this schema");
        }
        setting.validate(value);
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(setting.name(), value);
        Settings result = new Settings(schema, copy);
        schema.check(result, "");
        return result;
    }

    /** Starts changing several values at once; the check across fields runs once, in {@link Editor#done()}. */
    public Editor edit() {
        return new Editor(this);
    }

    /** Collects changes to several values; each value is validated when set, the whole when done. */
    public static final class Editor {
        private final SettingsSchema schema;
        private final Map<String, Object> values;

        private Editor(Settings from) {
            this.schema = from.schema;
            this.values = new LinkedHashMap<>(from.values);
        }

        public <T> Editor set(Setting<T> setting, T value) {
            if (!schema.contains(setting)) {
                throw new IllegalArgumentException("setting '" + setting.name() + "' is not part of this schema");
            }
            setting.validate(value);
            values.put(setting.name(), value);
            return this;
        }

        /** @throws InvalidSettingException if the settings together break the schema's check across fields */
        public Settings done() {
            Settings result = new Settings(schema, values);
            schema.check(result, "");
            return result;
        }
    }

    /** All fields, defaults included, so that the JSON alone reproduces these settings. */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (Setting s : schema.settings()) {
            node.set(s.name(), s.toJson(values.get(s.name())));
        }
        return node;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settings && ((Settings) o).schema == schema && ((Settings) o).values.equals(values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schema.names(), values);
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
