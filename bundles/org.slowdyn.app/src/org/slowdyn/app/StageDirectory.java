package org.slowdyn.app;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

import org.slowdyn.core.Featurizer;
import org.slowdyn.core.ModelTrainer;
import org.slowdyn.core.RecrossingFilter;
import org.slowdyn.core.StageCatalog;
import org.slowdyn.core.StatePartition;

/**
 * The installed implementations of the four services, and the versions of the software, as the runner sees them.
 * In OSGi they come from the service registry; on a plain classpath the caller lists them.
 */
public final class StageDirectory {
    private final StageCatalog<Featurizer> featurizers;
    private final StageCatalog<StatePartition> partitions;
    private final StageCatalog<RecrossingFilter> filters;
    private final StageCatalog<ModelTrainer> trainers;
    private final Map<String, String> versions;

    public StageDirectory(Collection<? extends Featurizer> featurizers, Collection<? extends StatePartition> partitions,
            Collection<? extends RecrossingFilter> filters, Collection<? extends ModelTrainer> trainers,
            Map<String, String> versions) {
        this.featurizers = new StageCatalog<>("featurizer", featurizers);
        this.partitions = new StageCatalog<>("state partition", partitions);
        this.filters = new StageCatalog<>("recrossing filter", filters);
        this.trainers = new StageCatalog<>("model trainer", trainers);
        this.versions = new TreeMap<>(versions);
    }

    public StageCatalog<Featurizer> featurizers() {
        return featurizers;
    }

    public StageCatalog<StatePartition> partitions() {
        return partitions;
    }

    public StageCatalog<RecrossingFilter> filters() {
        return filters;
    }

    public StageCatalog<ModelTrainer> trainers() {
        return trainers;
    }

    /** Component name to version, for the run manifest. */
    public Map<String, String> versions() {
        return versions;
    }
}
