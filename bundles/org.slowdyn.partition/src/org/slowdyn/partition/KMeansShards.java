package org.slowdyn.partition;

import java.io.Serializable;
import java.util.List;

/**
 * Where the {@link KMeansShard}s of a k-means fit live: in this JVM ({@link #local}), or on the executors of a cluster.
 * {@link KMeansPartition#fit(KMeansShards, List, int, org.slowdyn.core.settings.Settings,
 * org.eclipse.core.runtime.IProgressMonitor)} drives the fit through this interface, so every engine runs the same
 * algorithm with the same reductions.
 */
public interface KMeansShards {
    /** One step of the fit, run on every shard; serializable for engines that ship it to other machines. */
    interface Step<R> extends Serializable {
        R apply(KMeansShard shard);
    }

    /** Runs {@code step} on every shard (in trajectory order) and returns their results in that order. */
    <R> List<R> apply(Step<R> step);

    /** As {@link #apply}, for a step that does not change the shards (engines may skip keeping a new state). */
    default <R> List<R> read(Step<R> step) {
        return apply(step);
    }

    /**
     * Runs a step that does not change the shard on shard {@code index} only. This default counts the shards as
     * {@link #read} visits them, which holds for engines that visit them in order in this JVM; engines that run shards
     * elsewhere override it.
     */
    default <R> R readOne(int index, Step<R> step) {
        int[] visited = { 0 };
        return read(s -> visited[0]++ == index ? step.apply(s) : null).get(index);
    }

    /** Shards held in this JVM, changed in place. */
    static KMeansShards local(List<KMeansShard> shards) {
        return new KMeansShards() {
            @Override
            public <R> List<R> apply(Step<R> step) {
                return shards.stream().map(step::apply).toList();
            }
        };
    }
}
