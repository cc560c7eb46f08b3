package org.slowdyn.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.StageRegistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A study as read from a study file: named inputs (training trajectories, a held-out reference, basins to map every
 * partition's states onto, passage measures between basins, known true values), named state models (featurizer,
 * partition, recrossing filter), named trainers, and scans, each a grid over state models, saving intervals, trainers
 * and training seeds (or an explicit list of cells). Every cell is validated as a {@link Pipeline} before any work.
 * The file's optional {@code quick} object is merged over it for {@code --quick} (a small run of the same study).
 */
public final class StudySpec {
    private static final Set<String> TOP = Set.of("name", "description", "seed", "parallel", "inputs", "states",
            "trainers", "generate", "kinetics", "scans", "claims", "rules", "quick", "estimates");
    private static final Set<String> INPUT = Set.of("label", "training", "heldOut", "basins", "measures", "truth");
    private static final Set<String> STATES = Set.of("label", "featurizer", "partition", "filter");
    private static final Set<String> SCAN = Set.of("name", "title", "text", "input", "states", "stride", "trainer",
            "trainingSeed", "cells", "plot", "generate");
    /** A grid of cells not run whose cost the results page estimates from the cells that were. */
    private static final Set<String> ESTIMATE = Set.of("title", "trainer", "input", "states", "stride",
            "trainingSeed");
    private static final Set<String> CLAIM = Set.of("title", "kind", "measure", "scan", "trainer", "states", "stride",
            "good", "bad", "better", "than");
    private static final Set<String> FILTER = Set.of("trainer", "states", "stride");
    private static final Set<String> RULES = Set.of("reproduced", "failed", "sigmas");

    final ObjectNode json;
    final String source;
    /** Whether the file's quick variant was merged over it. */
    final boolean quick;
    final Path baseDir;
    final String name;
    final long seed;
    final int parallel;
    final Map<String, ObjectNode> inputs = new LinkedHashMap<>();
    final Map<String, ObjectNode> states = new LinkedHashMap<>();
    final Map<String, ObjectNode> trainers = new LinkedHashMap<>();
    final List<Scan> scans = new ArrayList<>();
    /** Every distinct cell of every scan, in the order scans name them. */
    final Map<String, Cell> cells = new LinkedHashMap<>();
    /** By cell key: the cell's name in the run's log, unique in the study. */
    private final Map<String, String> names = new LinkedHashMap<>();

    /** One scan: its cells in order, and how the results page shows them. */
    record Scan(String name, String title, String text, String input, String plot, List<Cell> cells) {
    }

    /**
     * One cell: a state model of an input at a saving interval, learned by one trainer with one seed.
     *
     * @param pipeline the cell as a validated pipeline (its input is the training input)
     * @param key      identifies the cell's configuration: a rerun with the same key reuses its result
     */
    record Cell(String input, String states, int stride, String trainer, long trainingSeed, Pipeline pipeline,
            String key) {
        String label() {
            return states + " / stride " + stride + " / " + trainer + " / seed " + trainingSeed;
        }
    }

    private final StageRegistry stages;

    /** The cell's name in the run's log and progress: its label, unique in the study. */
    String cellName(Cell c) {
        return names.getOrDefault(c.key(), c.label());
    }

    /**
     * The part of a study that one run takes ({@code slowdyn study --only}): the cells that meet every condition, each
     * {@code FIELD=V1,V2,...} with FIELD one of {@code scan}, {@code input}, {@code states}, {@code stride},
     * {@code trainer} and {@code seed}. Keys do not depend on the selection, so the cells of runs of different parts
     * make up one study in one folder, and its page.
     *
     * @param text  the conditions as given, "" for the whole study
     */
    record Selection(String text, java.util.function.Predicate<Cell> test) {
        static final Selection ALL = new Selection("", c -> true);
    }

    private static final List<String> SELECT_FIELDS = List.of("scan", "input", "states", "stride", "trainer", "seed");

    /** A cell's value of a selection field; the scans that hold it for "scan". */
    private List<String> values(Cell c, String field) {
        return switch (field) {
            case "scan" -> scans.stream().filter(s -> s.cells().stream().anyMatch(x -> x.key().equals(c.key())))
                    .map(Scan::name).toList(); // by key: a Cell's Pipeline compares by identity
            case "input" -> List.of(c.input());
            case "states" -> List.of(c.states());
            case "stride" -> List.of(Integer.toString(c.stride()));
            case "trainer" -> List.of(c.trainer());
            case "seed" -> List.of(Long.toString(c.trainingSeed()));
            default -> throw new IllegalArgumentException(field);
        };
    }

    /**
     * The cells that meet every condition of {@code only} ({@code FIELD=V1,V2,...}; none: the whole study). A field
     * named twice, a field or value the study's cells do not have, or conditions that no cell meets all of, are
     * refused before any work, with what the study has.
     */
    Selection select(List<String> only) {
        if (only == null || only.isEmpty()) {
            return Selection.ALL;
        }
        Map<String, Set<String>> wanted = new LinkedHashMap<>();
        for (String condition : only) {
            int eq = condition.indexOf('=');
            String field = eq < 0 ? condition.strip() : condition.substring(0, eq).strip();
            if (eq < 0 || !SELECT_FIELDS.contains(field)) {
                throw new ConfigurationException("--only " + condition + ": expected FIELD=V1,V2,... with FIELD one "
                        + "of " + String.join(", ", SELECT_FIELDS) + ", e.g. --only trainer=LSTM --only stride=10,20");
            }
            Set<String> present = new TreeSet<>((x, y) -> x.matches("\\d+") && y.matches("\\d+") ? Long.compare(
                    Long.parseLong(x), Long.parseLong(y)) : x.compareTo(y)); // strides and seeds in numeric order
            cells.values().forEach(c -> present.addAll(values(c, field)));
            Set<String> listed = new java.util.LinkedHashSet<>();
            for (String v : condition.substring(eq + 1).split(",")) {
                if (!present.contains(v.strip())) {
                    throw new ConfigurationException("--only " + condition + ": no cell of " + source + " has "
                            + field + " '" + v.strip() + "' (its cells have " + String.join(", ", present) + ")");
                }
                listed.add(v.strip());
            }
            if (wanted.put(field, listed) != null) {
                throw new ConfigurationException("--only names '" + field + "' twice; list its values in one "
                        + "condition, e.g. " + field + "=" + String.join(",", present.stream().limit(2).toList()));
            }
        }
        java.util.function.Predicate<Cell> test = c -> wanted.entrySet().stream().allMatch(w -> values(c, w.getKey())
                .stream().anyMatch(w.getValue()::contains));
        if (cells.values().stream().noneMatch(test)) {
            throw new ConfigurationException("--only " + String.join(" --only ", only) + ": no cell of " + source
                    + " meets all of them");
        }
        StringBuilder text = new StringBuilder();
        wanted.forEach((f, v) -> text.append(text.length() == 0 ? "" : "; ").append(f).append('=').append(
                String.join(",", v)));
        return new Selection(text.toString(), test);
    }

    /**
     * Two scans can hold cells with one label and different settings (say, generation): such cells are named with
     * the first scan that holds them (one scan holds at most one cell per label).
     */
    private void nameCellsApart() {
        Map<String, Long> perLabel = new HashMap<>();
        cells.values().forEach(c -> perLabel.merge(c.label(), 1L, Long::sum));
        for (Scan s : scans) {
            for (Cell c : s.cells()) {
                names.putIfAbsent(c.key(), perLabel.get(c.label()) > 1 ? c.label() + " (scan " + s.name() + ")"
                        : c.label());
            }
        }
    }

    private StudySpec(ObjectNode json, String source, boolean quick, Path baseDir, StageRegistry stages) {
        this.json = json;
        this.source = source;
        this.quick = quick;
        this.baseDir = baseDir;
        this.stages = stages;
        requireOnly(json, TOP, source);
        this.name = text(json, "name", source);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new ConfigurationException(source + ": name \"" + name + "\" must be 1 to 100 letters, digits, '.', "
                    + "'_' or '-' (it names the output folder)");
        }
        this.seed = json.path("seed").asLong(1);
        this.parallel = json.path("parallel").asInt(Math.max(1, Runtime.getRuntime().availableProcessors()));
        if (parallel < 1 || parallel > 1024) {
            throw new ConfigurationException(source + ": parallel = " + parallel + " must be 1 to 1024");
        }
        named(json, "inputs", source).forEach((k, v) -> {
            requireOnly(v, INPUT, source + ": inputs." + k);
            if (!v.has("training")) {
                throw new ConfigurationException(source + ": inputs." + k + " needs 'training' (a pipeline input)");
            }
            inputs.put(k, v);
        });
        named(json, "states", source).forEach((k, v) -> {
            requireOnly(v, STATES, source + ": states." + k);
            states.put(k, v);
        });
        named(json, "trainers", source).forEach(trainers::put);
        JsonNode scanList = json.path("scans");
        if (!scanList.isArray() || scanList.isEmpty()) {
            throw new ConfigurationException(source + ": 'scans' must be a non-empty list");
        }
        for (JsonNode s : scanList) {
            scans.add(scan(s, stages));
        }
        nameCellsApart();
        for (JsonNode e : json.path("estimates")) {
            String where = source + ": estimate '" + e.path("title").asText("") + "'";
            requireOnly(e, ESTIMATE, where);
            if (!trainers.containsKey(e.path("trainer").asText())) {
                throw new ConfigurationException(where + ": unknown trainer '" + e.path("trainer").asText()
                        + "' (defined: " + String.join(", ", trainers.keySet()) + ")");
            }
            if (!inputs.containsKey(e.path("input").asText())) {
                throw new ConfigurationException(where + ": unknown input '" + e.path("input").asText() + "'");
            }
            for (JsonNode st : list(e, "states", where)) {
                if (!states.containsKey(st.asText())) {
                    throw new ConfigurationException(where + ": unknown states '" + st.asText() + "'");
                }
            }
            for (JsonNode stride : list(e, "stride", where)) {
                if (!stride.canConvertToInt() || stride.asInt() < 1) {
                    throw new ConfigurationException(where + ": stride " + stride + " must be a positive integer");
                }
            }
        }
        validateClaims();
    }

    /**
     * Checks the rules and every claim before any cell runs, so that a misspelt name fails at once rather than after
     * hours of cells (or, where it matched no cell, as a claim silently "not resolved").
     */
    private void validateClaims() {
        JsonNode rules = json.path("rules");
        if (!rules.isMissingNode()) {
            requireOnly(rules, RULES, source + ": rules");
            rules.fields().forEachRemaining(e -> {
                if (!e.getValue().isNumber() || !(e.getValue().asDouble() >= 0)) {
                    throw new ConfigurationException(source + ": rules." + e.getKey() + " must be a number >= 0, not "
                            + e.getValue());
                }
            });
            if (!(rules.path("reproduced").asDouble(0.25) < rules.path("failed").asDouble(0.5))) {
                throw new ConfigurationException(source + ": rules.reproduced must be less than rules.failed");
            }
        }
        JsonNode claims = json.path("claims");
        if (claims.isMissingNode()) {
            return;
        }
        if (!claims.isArray()) {
            throw new ConfigurationException(source + ": 'claims' must be a list");
        }
        for (JsonNode claim : claims) {
            String where = source + ": claim '" + claim.path("title").asText("") + "'";
            requireOnly(claim, CLAIM, where);
            text(claim, "title", source + ": a claim");
            String scanName = text(claim, "scan", where);
            Scan scan = scans.stream().filter(x -> x.name().equals(scanName)).findFirst().orElseThrow(
                    () -> new ConfigurationException(where + ": unknown scan '" + scanName + "' (defined: " + String
                            .join(", ", scans.stream().map(Scan::name).toList()) + ")"));
            String measure = text(claim, "measure", where);
            JsonNode input = inputs.get(scan.input());
            if (!input.path("measures").has(measure)) {
                throw new ConfigurationException(where + ": input '" + scan.input() + "' of scan '" + scanName
                        + "' defines no measure '" + measure + "'");
            }
            String kind = text(claim, "kind", where);
            switch (kind) {
            case "accuracy" -> filter(claim, scan, where);
            case "truth" -> {
                if (!input.path("truth").has(measure)) {
                    throw new ConfigurationException(where + ": needs inputs." + scan.input() + ".truth." + measure);
                }
                for (String side : List.of("good", "bad")) {
                    if (!claim.path(side).isObject()) {
                        throw new ConfigurationException(where + ": needs '" + side + "' (an object of filters)");
                    }
                    requireOnly(claim.get(side), FILTER, where + ": " + side);
                    filter(claim.get(side), scan, where + ": " + side);
                }
            }
            case "notBetter" -> {
                for (String side : List.of("better", "than")) {
                    String trainer = text(claim, side, where);
                    if (scan.cells().stream().noneMatch(c -> c.trainer().equals(trainer))) {
                        throw new ConfigurationException(where + ": " + side + " = '" + trainer + "' is no trainer "
                                + "of scan '" + scanName + "'");
                    }
                }
                filter(claim, scan, where);
            }
            default -> throw new ConfigurationException(where + ": kind must be accuracy, truth or notBetter, not '"
                    + kind + "'");
            }
        }
    }

    /** Each value of a claim's filters (trainer, states, stride) must name some cell of its scan. */
    private static void filter(JsonNode filter, Scan scan, String where) {
        Map<String, java.util.function.Function<Cell, String>> fields = Map.of("trainer", Cell::trainer, "states",
                Cell::states, "stride", c -> Integer.toString(c.stride()));
        fields.forEach((field, of) -> {
            JsonNode values = filter.path(field);
            for (JsonNode v : values.isArray() ? values : values.isMissingNode() ? List.<JsonNode>of()
                    : List.of(values)) {
                if (scan.cells().stream().noneMatch(c -> of.apply(c).equals(v.asText()))) {
                    throw new ConfigurationException(where + ": " + field + " " + v + " matches no cell of scan '"
                            + scan.name() + "'");
                }
            }
        });
    }

    /** Reads a study file; with {@code quick}, its {@code quick} object is merged over it first. */
    public static StudySpec read(Path file, boolean quick, StageRegistry stages) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException(file + ": no such study file");
        } catch (IOException e) {
            throw new ConfigurationException(file + ": cannot read: " + e.getMessage());
        }
        JsonNode json = Pipeline.readJson(text, file.toString());
        if (json == null || !json.isObject()) {
            throw new ConfigurationException(file + ": a study must be a JSON object");
        }
        ObjectNode study = (ObjectNode) json;
        if (quick) {
            if (!study.path("quick").isObject()) {
                throw new ConfigurationException(file + ": --quick needs a 'quick' object in the study (the settings "
                        + "to merge over it for a small run)");
            }
            study = merge(study.deepCopy(), (ObjectNode) study.get("quick"));
        }
        study.remove("quick");
        Path dir = file.toAbsolutePath().getParent();
        return new StudySpec(study, file.toString(), quick, dir, stages);
    }

    /** The same study with another number of cells at a time. */
    StudySpec withParallel(int cells) {
        ObjectNode copy = json.deepCopy();
        copy.put("parallel", cells);
        return new StudySpec(copy, source, quick, baseDir, stages);
    }

    /** JSON merge patch (RFC 7396): objects merge field by field, null removes, anything else replaces. */
    static ObjectNode merge(ObjectNode target, ObjectNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) {
                target.remove(e.getKey());
            } else if (e.getValue().isObject() && target.path(e.getKey()).isObject()) {
                merge((ObjectNode) target.get(e.getKey()), (ObjectNode) e.getValue());
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return target;
    }

    private Scan scan(JsonNode s, StageRegistry stages) {
        String scanName = text(s, "name", source + ": scans");
        String where = source + ": scan '" + scanName + "'";
        requireOnly(s, SCAN, where);
        String input = text(s, "input", where);
        if (!inputs.containsKey(input)) {
            throw new ConfigurationException(where + ": unknown input '" + input + "' (defined: "
                    + String.join(", ", inputs.keySet()) + ")");
        }
        List<ObjectNode> combos = new ArrayList<>();
        if (s.has("cells")) {
            for (JsonNode c : s.get("cells")) {
                if (!c.isObject()) {
                    throw new ConfigurationException(where + ": each of 'cells' must be an object");
                }
                combos.add((ObjectNode) c);
            }
        } else {
            for (JsonNode st : list(s, "states", where)) {
                for (JsonNode stride : list(s, "stride", where)) {
                    for (JsonNode trainer : list(s, "trainer", where)) {
                        for (JsonNode ts : s.has("trainingSeed") ? list(s, "trainingSeed", where)
                                : JsonNodeFactory.instance.arrayNode().add(1)) {
                            ObjectNode c = JsonNodeFactory.instance.objectNode();
                            c.set("states", st);
                            c.set("stride", stride);
                            c.set("trainer", trainer);
                            c.set("trainingSeed", ts);
                            combos.add(c);
                        }
                    }
                }
            }
        }
        JsonNode generate = s.path("generate");
        if (!generate.isMissingNode() && !generate.isObject()) {
            throw new ConfigurationException(where + ": 'generate' must be an object (settings of the study's "
                    + "'generate' block that this scan's cells change)");
        }
        List<Cell> scanCells = new ArrayList<>();
        for (ObjectNode c : combos) {
            Cell cell = cell(input, c, generate.isObject() ? (ObjectNode) generate : null, where, stages);
            scanCells.add(cells.computeIfAbsent(cell.key(), k -> cell));
        }
        return new Scan(scanName, s.path("title").asText(scanName), s.path("text").asText(""), input,
                s.path("plot").asText("bars"), scanCells);
    }

    private Cell cell(String input, ObjectNode c, ObjectNode generate, String where, StageRegistry stages) {
        String st = c.path("states").asText(null), trainer = c.path("trainer").asText(null);
        int stride = c.path("stride").asInt(1);
        long trainingSeed = c.path("trainingSeed").asLong(1);
        if (st == null || !states.containsKey(st)) {
            throw new ConfigurationException(where + ": unknown states '" + st + "' (defined: "
                    + String.join(", ", states.keySet()) + ")");
        }
        if (trainer == null || !trainers.containsKey(trainer)) {
            throw new ConfigurationException(where + ": unknown trainer '" + trainer + "' (defined: "
                    + String.join(", ", trainers.keySet()) + ")");
        }
        ObjectNode p = pipelineJson(input, "training");
        if (generate != null) {
            merge((ObjectNode) p.get("generate"), generate.deepCopy());
        }
        ObjectNode model = states.get(st);
        p.put("stride", stride);
        p.put("seed", trainingSeed);
        p.set("featurizer", model.get("featurizer"));
        p.set("partition", model.get("partition"));
        p.set("filter", model.has("filter") ? model.get("filter")
                : JsonNodeFactory.instance.objectNode().put("id", "recrossing.none"));
        p.set("trainer", trainers.get(trainer));
        Pipeline pipeline = Pipeline.parse(p.toString(), where + ", cell " + st + "/" + stride + "/" + trainer,
                baseDir, stages);
        // the key holds everything that decides the cell's result, defaults included
        ObjectNode keyJson = pipeline.toJson();
        keyJson.remove("name");
        // input files by content, not by path: a moved study keeps its cells, a changed file runs them again
        ObjectNode in = (ObjectNode) keyJson.path("input");
        for (String field : List.of("files", "dtrajs")) {
            if (in.has(field)) {
                com.fasterxml.jackson.databind.node.ArrayNode digests = in.putArray(field);
                pipeline.files().forEach(f -> digests.add(digest(f)));
            }
        }
        if (pipeline.topology() != null) {
            in.put("topology", digest(pipeline.topology()));
        }
        keyJson.set("heldOut", inputs.get(input).path("heldOut"));
        keyJson.set("basins", inputs.get(input).path("basins"));
        keyJson.set("measures", inputs.get(input).path("measures"));
        keyJson.put("studySeed", seed);
        keyJson.put("format", StudyRunner.CELL_FORMAT);
        String key = st + "-s" + stride + "-" + trainer + "-" + trainingSeed + "-"
                + sha256(keyJson.toString()).substring(0, 12);
        return new Cell(input, st, stride, trainer, trainingSeed, pipeline, key.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    /**
     * A pipeline JSON over one part of an input ("training" or "heldOut"); stages are filled in by the caller. For a
     * time split, both parts read the training input.
     */
    ObjectNode pipelineJson(String input, String part) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("name", name);
        JsonNode in = inputs.get(input).get(part);
        p.set("input", in.has("split") ? inputs.get(input).get("training") : in);
        p.set("generate", merge(json.path("generate").isObject() ? json.get("generate").deepCopy()
                : JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.objectNode().put("baseline",
                        false)));
        if (json.has("kinetics")) {
            p.set("kinetics", json.get("kinetics"));
        }
        return p;
    }

    /** Fraction of each trajectory that trains, for a time split; NaN for separate held-out trajectories. */
    double split(String input) {
        JsonNode h = inputs.get(input).path("heldOut");
        if (h.isMissingNode()) {
            throw new ConfigurationException(source + ": inputs." + input + " needs 'heldOut': separate trajectories "
                    + "(a pipeline input) or {\"split\": fraction of each trajectory that trains}");
        }
        if (!h.has("split")) {
            return Double.NaN;
        }
        double f = h.get("split").asDouble();
        if (!(f > 0 && f < 1)) {
            throw new ConfigurationException(source + ": inputs." + input + ".heldOut.split = " + f
                    + " must lie between 0 and 1");
        }
        return f;
    }

    private static Map<String, ObjectNode> named(JsonNode json, String field, String source) {
        JsonNode n = json.path(field);
        if (!n.isObject() || n.isEmpty()) {
            throw new ConfigurationException(source + ": '" + field + "' must be a non-empty object of named entries");
        }
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> {
            if (!e.getValue().isObject()) {
                throw new ConfigurationException(source + ": " + field + "." + e.getKey() + " must be an object");
            }
            out.put(e.getKey(), (ObjectNode) e.getValue());
        });
        return out;
    }

    private static ArrayNode list(JsonNode s, String field, String where) {
        JsonNode n = s.path(field);
        if (n.isMissingNode()) {
            throw new ConfigurationException(where + ": needs '" + field + "' (a list) or 'cells'");
        }
        return n.isArray() ? (ArrayNode) n : JsonNodeFactory.instance.arrayNode().add(n);
    }

    private static String text(JsonNode json, String field, String where) {
        JsonNode n = json.path(field);
        if (!n.isTextual() || n.asText().isEmpty()) {
            throw new ConfigurationException(where + ": needs '" + field + "' (text)");
        }
        return n.asText();
    }

    private static void requireOnly(JsonNode node, Set<String> allowed, String where) {
        node.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                throw new ConfigurationException(where + ": unknown field '" + f + "' (known: "
                        + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        });
    }

    private final Map<Path, String> digests = new java.util.HashMap<>();

    private String digest(Path file) {
        return digests.computeIfAbsent(file, f -> {
            try {
                return org.slowdyn.core.FileDigest.sha256(f);
            } catch (IOException e) {
                throw new ConfigurationException(f + ": cannot read: " + e.getMessage());
            }
        });
    }

    static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
