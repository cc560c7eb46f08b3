package org.slowdyn.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The installed stages of all four families, kept live: stages come and go while the registry is in use (in OSGi a
 * Declarative Services component adds and removes them as bundles start and stop; on a plain classpath the caller
 * adds them). Two providers may claim the same id: both are kept and listed, and only a lookup of that id fails,
 * naming both. Thread-safe.
 */
public class StageRegistry implements StageResolver {
    /** One installed stage: its family, id, the implementation and where it comes from. */
    public record Entry(StageFamily<?> family, String id, Stage stage, StageProvider provider) {
    }

    /** A provider that failed to contribute a stage: a component that did not activate, a bundle that did not start. */
    public record Problem(StageProvider provider, String what, String reason) {
        @Override
        public String toString() {
            return provider + ": " + what + ": " + reason;
        }
    }

    private static final Comparator<Entry> ORDER = Comparator.comparing(Entry::id)
            .thenComparing(e -> e.provider().toString());

    private final Map<StageFamily<?>, List<Entry>> entries = new LinkedHashMap<>();
    private final List<Problem> reported = new ArrayList<>();
    private volatile Map<String, String> environment = Map.of();

    public StageRegistry() {
        for (StageFamily<?> f : StageFamily.ALL) {
            entries.put(f, new ArrayList<>());
        }
    }

    /** A registry of the given stages on a plain classpath, each added to every family it implements. */
    public static StageRegistry of(Stage... stages) {
        StageRegistry r = new StageRegistry();
        for (Stage s : stages) {
            r.addToFamilies(s, StageProvider.CLASSPATH);
        }
        return r;
    }

    /** Adds {@code stage} to every family whose contract it implements. */
    public void addToFamilies(Stage stage, StageProvider provider) {
        boolean any = false;
        for (StageFamily<?> f : StageFamily.ALL) {
            if (f.type().isInstance(stage)) {
                addUnchecked(f, stage, provider);
                any = true;
            }
        }
        if (!any) {
            throw new IllegalArgumentException(stage.getClass().getName() + " implements none of the four families");
        }
    }

    public <T extends Stage> void add(StageFamily<T> family, T stage, StageProvider provider) {
        addUnchecked(family, family.type().cast(stage), provider);
    }

    private synchronized void addUnchecked(StageFamily<?> family, Stage stage, StageProvider provider) {
        String id = stage.id();
        if (id == null || id.isBlank()) {
            reported.add(new Problem(provider, stage.getClass().getName(), "the " + family + " has no id"));
            return;
        }
        entries.get(family).add(new Entry(family, id, stage, provider));
    }

    /** Removes the stage (the same instance) from every family it was added to. */
    public synchronized void remove(Stage stage) {
        for (List<Entry> list : entries.values()) {
            list.removeIf(e -> e.stage() == stage);
        }
    }

    /** The installed stages of a family, by id (entries sharing an id are all listed). */
    public synchronized List<Entry> entries(StageFamily<?> family) {
        List<Entry> list = new ArrayList<>(entries.get(family));
        list.sort(ORDER);
        return list;
    }

    /** The distinct ids of a family, sorted. */
    public List<String> ids(StageFamily<?> family) {
        TreeSet<String> ids = new TreeSet<>();
        entries(family).forEach(e -> ids.add(e.id()));
        return List.copyOf(ids);
    }

    /** The ids of a family that more than one provider claims, with those providers' entries. */
    public Map<String, List<Entry>> clashes(StageFamily<?> family) {
        Map<String, List<Entry>> byId = new TreeMap<>();
        for (Entry e : entries(family)) {
            byId.computeIfAbsent(e.id(), k -> new ArrayList<>()).add(e);
        }
        byId.values().removeIf(l -> l.size() < 2);
        return byId;
    }

    @Override
    public <T extends Stage> T get(StageFamily<T> family, String id) {
        List<Entry> found = new ArrayList<>();
        for (Entry e : entries(family)) {
            if (e.id().equals(id)) {
                found.add(e);
            }
        }
        if (found.size() == 1) {
            return family.type().cast(found.get(0).stage());
        }
        if (found.isEmpty()) {
            List<String> ids = ids(family);
            String available = ids.isEmpty() ? "none is installed" : "available: " + String.join(", ", ids);
            StringBuilder m = new StringBuilder("unknown " + family + " id '" + id + "' (" + available + ")");
            for (Problem p : problems()) {
                m.append("; not available because of a failure: ").append(p);
            }
            throw new ConfigurationException(m.toString());
        }
        List<String> providers = new ArrayList<>();
        found.forEach(e -> providers.add(e.provider() + " (" + e.stage().getClass().getName() + ")"));
        throw new ConfigurationException("the " + family + " id '" + id + "' is provided by " + found.size()
                + " installed bundles: " + String.join(" and ", providers) + "; uninstall all but one");
    }

    /** The provider of this stage instance, or null when it is not registered. */
    public synchronized StageProvider provider(Stage stage) {
        for (List<Entry> list : entries.values()) {
            for (Entry e : list) {
                if (e.stage() == stage) {
                    return e.provider();
                }
            }
        }
        return null;
    }

    /** Versions of the platform the stages run on (framework, DS runtime), for run manifests. */
    public Map<String, String> environment() {
        return environment;
    }

    public void setEnvironment(Map<String, String> versions) {
        environment = java.util.Collections.unmodifiableMap(new TreeMap<>(versions));
    }

    /** Records a provider that failed to contribute; shown by {@code list} and in unknown-id errors. */
    public synchronized void reportProblem(Problem problem) {
        reported.add(problem);
    }

    /** Everything that failed to contribute a stage. Subclasses may add live sources. */
    public synchronized List<Problem> problems() {
        return List.copyOf(reported);
    }
}
