package org.slowdyn.core.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.slowdyn.core.Stage;
import org.slowdyn.core.StageFamily;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * One named, typed setting with its default, allowed range, unit and description. Instances are immutable; create
 * them with the static factories and collect them in a {@link SettingsSchema}.
 *
 * <p>Numeric ranges are inclusive. For lists, the range applies to every element, and {@code minSize} to the length.
 */
public final class Setting<T> {

    /** The value types a setting can have; each maps to one JSON shape. */
    public enum Kind {
        INTEGER, LONG, DOUBLE, BOOLEAN, CHOICE, STRING, DOUBLE_LIST, INTEGER_LIST, STRING_LIST, POINTS,
        /** Another stage by id, with its settings ({@link NestedStage}). */
        STAGE,
        /** A list of other stages by id, each with its settings. */
        STAGE_LIST
    }

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String name;
    private final Kind kind;
    private final T defaultValue;
    private final double min;
    private final double max;
    private final int minSize;
    private final List<String> choices;
    private final String unit;
    private final String description;
    private final StageFamily<?> family;

    private Setting(String name, Kind kind, T defaultValue, double min, double max, int minSize, List<String> choices,
            String unit, String description) {
        this(name, kind, defaultValue, min, max, minSize, choices, unit, description, null);
    }

    private Setting(String name, Kind kind, T defaultValue, double min, double max, int minSize, List<String> choices,
            String unit, String description, StageFamily<?> family) {
        this.family = family;
        this.name = Objects.requireNonNull(name);
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.minSize = minSize;
        this.choices = List.copyOf(choices);
        this.unit = unit == null ? "" : unit;
        this.description = Objects.requireNonNull(description);
        this.defaultValue = defaultValue;
        if (defaultValue != null) {
            validate(defaultValue);
        }
    }

    public static Setting<Integer> integer(String name, int defaultValue, int min, int max, String unit,
            String description) {
        return new Setting<>(name, Kind.INTEGER, defaultValue, min, max, 0, List.of(), unit, description);
    }

    public static Setting<Long> longInteger(String name, long defaultValue, long min, long max, String unit,
            String description) {
        return new Setting<>(name, Kind.LONG, defaultValue, min, max, 0, List.of(), unit, description);
    }

    public static Setting<Double> real(String name, double defaultValue, double min, double max, String unit,
            String description) {
        return new Setting<>(name, Kind.DOUBLE, defaultValue, min, max, 0, List.of(), unit, description);
    }

    public static Setting<Boolean> bool(String name, boolean defaultValue, String description) {
        return new Setting<>(name, Kind.BOOLEAN, defaultValue, 0, 0, 0, List.of(), "", description);
    }

    public static Setting<String> choice(String name, String defaultValue, List<String> choices, String description) {
        return new Setting<>(name, Kind.CHOICE, defaultValue, 0, 0, 0, choices, "", description);
    }

    /** A free text value; {@code defaultValue} may be null when the setting is optional. */
    public static Setting<String> text(String name, String defaultValue, String description) {
        return new Setting<>(name, Kind.STRING, defaultValue, 0, 0, 0, List.of(), "", description);
    }

    public static Setting<List<Double>> realList(String name, List<Double> defaultValue, int minSize, double min,
            double max, String unit, String description) {
        return new Setting<>(name, Kind.DOUBLE_LIST, defaultValue == null ? null : List.copyOf(defaultValue), min,
                max, minSize, List.of(), unit, description);
    }

    public static Setting<List<Integer>> integerList(String name, List<Integer> defaultValue, int minSize, int min,
            int max, String unit, String description) {
        return new Setting<>(name, Kind.INTEGER_LIST, defaultValue == null ? null : List.copyOf(defaultValue), min,
                max, minSize, List.of(), unit, description);
    }

    public static Setting<List<String>> textList(String name, List<String> defaultValue, int minSize,
            String description) {
        return new Setting<>(name, Kind.STRING_LIST, defaultValue == null ? null : List.copyOf(defaultValue), 0, 0,
                minSize, List.of(), "", description);
    }

    /** A list of points, each a list of coordinates; all points must have the same dimension. */
    public static Setting<List<List<Double>>> points(String name, List<List<Double>> defaultValue, int minSize,
            String unit, String description) {
        return new Setting<>(name, Kind.POINTS, defaultValue == null ? null : deepCopy(defaultValue),
                Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, minSize, List.of(), unit, description);
    }

    /**
     * Another stage of {@code family} by id, with its settings, e.g. the featurizer a reduction works on. Read from a
     * pipeline, the value is resolved against the installed stages and its settings validated against that stage's
     * schema (see {@link SettingsSchema#fromJson(JsonNode, String, StageResolver)}).
     */
    public static <S extends Stage> Setting<NestedStage<S>> stage(String name, StageFamily<S> family,
            NestedStage<S> defaultValue, String description) {
        return new Setting<>(name, Kind.STAGE, defaultValue, 0, 0, 0, List.of(), "", description, family);
    }

    /** A list of at least {@code minSize} stages of {@code family}, each by id with its settings. */
    public static <S extends Stage> Setting<List<NestedStage<S>>> stageList(String name, StageFamily<S> family,
            List<NestedStage<S>> defaultValue, int minSize, String description) {
        return new Setting<>(name, Kind.STAGE_LIST, defaultValue == null ? null : List.copyOf(defaultValue), 0, 0,
                minSize, List.of(), "", description, family);
    }

    private static List<List<Double>> deepCopy(List<List<Double>> points) {
        List<List<Double>> copy = new ArrayList<>(points.size());
        for (List<Double> p : points) {
            copy.add(List.copyOf(p));
        }
        return List.copyOf(copy);
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    /** The default, or null when the setting has none and is optional. */
    public T defaultValue() {
        return defaultValue;
    }

    public String unit() {
        return unit;
    }

    public String description() {
        return description;
    }

    public List<String> choices() {
        return choices;
    }

    /** For {@link Kind#STAGE} and {@link Kind#STAGE_LIST}: the family of the nested stages; otherwise null. */
    public StageFamily<?> family() {
        return family;
    }

    /** Human-readable statement of the allowed values, as used in error messages and listings. */
    public String allowed() {
        switch (kind) {
        case INTEGER:
        case LONG:
            return "an integer from " + bound(min) + " to " + bound(max);
        case DOUBLE:
            return "a number from " + bound(min) + " to " + bound(max);
        case BOOLEAN:
            return "true or false";
        case CHOICE:
            return "one of " + String.join(", ", choices);
        case STRING:
            return "a string";
        case DOUBLE_LIST:
            return listOf(" numbers from " + bound(min) + " to " + bound(max));
        case INTEGER_LIST:
            return listOf(" integers from " + bound(min) + " to " + bound(max));
        case STRING_LIST:
            return listOf(" strings");
        case POINTS:
            return listOf(" points, each a list of numbers of the same length");
        case STAGE:
            return "a " + family + ": {\"id\": ..., \"settings\": {...}}";
        case STAGE_LIST:
            return listOf(" " + family + "s, each {\"id\": ..., \"settings\": {...}}");
        default:
            throw new IllegalStateException(kind.toString());
        }
    }

    private String listOf(String elements) {
        return (minSize == 0 ? "a list of" : "a list of at least " + minSize) + elements;
    }

    private static String bound(double v) {
        if (v == Double.POSITIVE_INFINITY || v >= Long.MAX_VALUE) {
            return "infinity";
        }
        if (v == Double.NEGATIVE_INFINITY || v <= Long.MIN_VALUE) {
            return "-infinity";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private InvalidSettingException invalid(Object value) {
        return new InvalidSettingException(name, "setting '" + name + "' = " + render(value) + " is not allowed: expected "
                + allowed() + (unit.isEmpty() ? "" : " (" + unit + ")"));
    }

    private static String render(Object value) {
        return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    }

    /** @throws InvalidSettingException naming the field, the value and the allowed range */
    public void validate(T value) {
        if (value == null) {
            throw new InvalidSettingException(name, "setting '" + name + "' has no value: expected " + allowed());
        }
        switch (kind) {
        case INTEGER:
        case LONG:
        case DOUBLE: {
            double v = ((Number) value).doubleValue();
            if (!(v >= min && v <= max)) {
                throw invalid(value);
            }
            break;
        }
        case CHOICE:
            if (!choices.contains(value)) {
                throw invalid(value);
            }
            break;
        case DOUBLE_LIST:
        case INTEGER_LIST: {
            List<?> list = (List<?>) value;
            if (list.size() < minSize) {
                throw invalid(value);
            }
            for (Object o : list) {
                double v = ((Number) o).doubleValue();
                if (!(v >= min && v <= max)) {
                    throw invalid(value);
                }
            }
            break;
        }
        case STRING_LIST:
            if (((List<?>) value).size() < minSize) {
                throw invalid(value);
            }
            break;
        case STAGE:
            if (!(value instanceof NestedStage<?> n) || n.family() != family) {
                throw invalid(value);
            }
            break;
        case STAGE_LIST: {
            List<?> list = (List<?>) value;
            if (list.size() < minSize) {
                throw invalid(value);
            }
            for (Object o : list) {
                if (!(o instanceof NestedStage<?> n) || n.family() != family) {
                    throw invalid(value);
                }
            }
            break;
        }
        case POINTS: {
            List<?> pts = (List<?>) value;
            if (pts.size() < minSize) {
                throw invalid(value);
            }
            int dim = -1;
            for (Object p : pts) {
                List<?> point = (List<?>) p;
                if (point.isEmpty() || (dim >= 0 && point.size() != dim)) {
                    throw invalid(value);
                }
                dim = point.size();
                for (Object c : point) {
                    if (!Double.isFinite(((Number) c).doubleValue())) {
                        throw invalid(value);
                    }
                }
            }
            break;
        }
        default:
            break;
        }
    }

    /** Reads and validates a value from JSON. */
    @SuppressWarnings("unchecked")
    public T fromJson(JsonNode node) {
        if (node == null || node.isNull()) {
            if (defaultValue == null) {
                return null;
            }
            throw new InvalidSettingException(name, "setting '" + name + "' is null: expected " + allowed());
        }
        Object value;
        switch (kind) {
        case INTEGER:
            if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                throw wrongType(node);
            }
            value = node.intValue();
            break;
        case LONG:
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw wrongType(node);
            }
            value = node.longValue();
            break;
        case DOUBLE:
            if (!node.isNumber()) {
                throw wrongType(node);
            }
            value = node.doubleValue();
            break;
        case BOOLEAN:
            if (!node.isBoolean()) {
                throw wrongType(node);
            }
            value = node.booleanValue();
            break;
        case CHOICE:
        case STRING:
            if (!node.isTextual()) {
                throw wrongType(node);
            }
            value = node.textValue();
            break;
        case DOUBLE_LIST:
            value = numberList(node, false);
            break;
        case INTEGER_LIST:
            value = numberList(node, true);
            break;
        case STRING_LIST: {
            if (!node.isArray()) {
                throw wrongType(node);
            }
            List<String> list = new ArrayList<>();
            for (JsonNode e : node) {
                if (!e.isTextual()) {
                    throw wrongType(node);
                }
                list.add(e.textValue());
            }
            value = List.copyOf(list);
            break;
        }
        case STAGE:
            value = NestedStage.fromJson(family, node, name);
            break;
        case STAGE_LIST: {
            if (!node.isArray()) {
                throw wrongType(node);
            }
            List<NestedStage<?>> list = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                list.add(NestedStage.fromJson(family, node.get(i), name + "[" + i + "]"));
            }
            value = List.copyOf(list);
            break;
        }
        case POINTS: {
            if (!node.isArray()) {
                throw wrongType(node);
            }
            List<List<Double>> pts = new ArrayList<>();
            for (JsonNode p : node) {
                pts.add((List<Double>) numberList(p, false));
            }
            value = List.copyOf(pts);
            break;
        }
        default:
            throw new IllegalStateException(kind.toString());
        }
        T typed = (T) value;
        validate(typed);
        return typed;
    }

    private Object numberList(JsonNode node, boolean integers) {
        if (!node.isArray()) {
            throw wrongType(node);
        }
        List<Object> list = new ArrayList<>();
        for (JsonNode e : node) {
            if (integers ? !(e.isIntegralNumber() && e.canConvertToInt()) : !e.isNumber()) {
                throw wrongType(node);
            }
            list.add(integers ? (Object) e.intValue() : (Object) e.doubleValue());
        }
        return List.copyOf(list);
    }

    private InvalidSettingException wrongType(JsonNode node) {
        return new InvalidSettingException(name, "setting '" + name + "' = " + node + " has the wrong type: expected "
                + allowed() + (unit.isEmpty() ? "" : " (" + unit + ")"));
    }

    /** The default as JSON (null when there is none). */
    public JsonNode defaultJson() {
        return toJson(defaultValue);
    }

    /** Writes a value as JSON. */
    public JsonNode toJson(T value) {
        if (value == null) {
            return JSON.nullNode();
        }
        switch (kind) {
        case INTEGER:
            return JSON.numberNode((Integer) value);
        case LONG:
            return JSON.numberNode((Long) value);
        case DOUBLE:
            return JSON.numberNode((Double) value);
        case BOOLEAN:
            return JSON.booleanNode((Boolean) value);
        case CHOICE:
        case STRING:
            return JSON.textNode((String) value);
        case DOUBLE_LIST:
        case INTEGER_LIST:
        case STRING_LIST:
            return listNode((List<?>) value);
        case STAGE:
            return ((NestedStage<?>) value).toJson();
        case STAGE_LIST: {
            ArrayNode array = JSON.arrayNode();
            for (Object n : (List<?>) value) {
                array.add(((NestedStage<?>) n).toJson());
            }
            return array;
        }
        case POINTS: {
            ArrayNode array = JSON.arrayNode();
            for (Object p : (List<?>) value) {
                array.add(listNode((List<?>) p));
            }
            return array;
        }
        default:
            throw new IllegalStateException(kind.toString());
        }
    }

    private static ArrayNode listNode(List<?> list) {
        ArrayNode array = JSON.arrayNode();
        for (Object o : list) {
            if (o instanceof Integer) {
                array.add((Integer) o);
            } else if (o instanceof Double) {
                array.add((Double) o);
            } else {
                array.add(String.valueOf(o));
            }
        }
        return array;
    }

    @Override
    public String toString() {
        return name + " (" + kind + ")";
    }
}
