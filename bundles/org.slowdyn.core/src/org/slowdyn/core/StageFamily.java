package org.slowdyn.core;

import java.util.List;

/**
 * One of the four service families a pipeline is made of, with the name users see in messages.
 *
 * @param <T> the service contract
 */
public final class StageFamily<T extends Stage> {
    public static final StageFamily<Featurizer> FEATURIZER = new StageFamily<>(Featurizer.class, "featurizer");
    public static final StageFamily<StatePartition> PARTITION = new StageFamily<>(StatePartition.class,
            "state partition");
    public static final StageFamily<RecrossingFilter> FILTER = new StageFamily<>(RecrossingFilter.class,
            "recrossing filter");
    public static final StageFamily<ModelTrainer> TRAINER = new StageFamily<>(ModelTrainer.class, "model trainer");

    /** The four families, in pipeline order. */
    public static final List<StageFamily<?>> ALL = List.of(FEATURIZER, PARTITION, FILTER, TRAINER);

    private final Class<T> type;
    private final String name;

    private StageFamily(Class<T> type, String name) {
        this.type = type;
        this.name = name;
    }

    /** The family whose contract is {@code type}. */
    @SuppressWarnings("unchecked")
    public static <T extends Stage> StageFamily<T> of(Class<T> type) {
        for (StageFamily<?> f : ALL) {
            if (f.type == type) {
                return (StageFamily<T>) f;
            }
        }
        throw new IllegalArgumentException(type.getName() + " is not a SlowDyn service family");
    }

    public Class<T> type() {
        return type;
    }

    /** What users call it, e.g. "state partition". */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
