package org.slowdyn.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The installed implementations of one service family, looked up by id. */
public final class StageCatalog<T extends Stage> {
    private final String family;
    private final Map<String, T> byId = new LinkedHashMap<>();

    /**
     * @param family what the family is called in messages, e.g. "state partition"
     * @throws IllegalArgumentException if two implementations share an id
     */
    public StageCatalog(String family, Collection<? extends T> stages) {
        this.family = family;
        List<T> sorted = new ArrayList<>(stages);
        sorted.sort(Comparator.comparing(Stage::id));
        for (T stage : sorted) {
            T previous = byId.putIfAbsent(stage.id(), stage);
            if (previous != null && previous != stage) {
                throw new IllegalArgumentException("two " + family + " implementations have the id '" + stage.id()
                        + "': " + previous.getClass().getName() + " and " + stage.getClass().getName());
            }
        }
    }

    public String family() {
        return family;
    }

    /** @throws ConfigurationException naming the unknown id and listing the ids that exist */
    public T get(String id) {
        T stage = byId.get(id);
        if (stage == null) {
            String available = byId.isEmpty() ? "none is installed" : "available: " + String.join(", ", byId.keySet());
            throw new ConfigurationException("unknown " + family + " id '" + id + "' (" + available + ")");
        }
        return stage;
    }

    public List<T> all() {
        return List.copyOf(byId.values());
    }

    public List<String> ids() {
        return byId.keySet().stream().collect(Collectors.toUnmodifiableList());
    }
}
