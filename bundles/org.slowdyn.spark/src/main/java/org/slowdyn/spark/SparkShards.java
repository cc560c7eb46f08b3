package org.slowdyn.spark;

import java.io.Serializable;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.slowdyn.partition.KMeansShard;
import org.slowdyn.partition.KMeansShards;

/**
 * k-means shards on Spark executors: one shard per RDD partition, each step applied to a copy of the shard (an RDD
 * keeps each step's state as a new, cached value, so a lost partition is recomputed from its lineage, not from state
 * that another step changed; a state that does not fit in memory is spilled to local disk). The lineage is cut every
 * {@value #CHECKPOINT_EVERY} steps with a local checkpoint.
 */
final class SparkShards implements KMeansShards {
    static final int CHECKPOINT_EVERY = 20;

    /** A shard after a step, with the step's result. */
    record Stepped(KMeansShard shard, Object result) implements Serializable {
    }

    private JavaRDD<Stepped> current;
    private int steps;

    SparkShards(JavaRDD<KMeansShard> shards) {
        this.current = shards.map(s -> new Stepped(s, null)).persist(StorageLevel.MEMORY_AND_DISK());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> List<R> apply(Step<R> step) {
        JavaRDD<Stepped> next = current.map(s -> {
            KMeansShard copy = s.shard().copy();
            return new Stepped(copy, step.apply(copy));
        }).persist(StorageLevel.MEMORY_AND_DISK());
        if (++steps % CHECKPOINT_EVERY == 0) {
            next.rdd().localCheckpoint();
        }
        List<Object> results = next.map(Stepped::result).collect();
        current.unpersist(false);
        current = next;
        return (List<R>) results;
    }

    @Override
    public <R> List<R> read(Step<R> step) {
        return current.map(s -> step.apply(s.shard())).collect();
    }

    /** One task, on the partition that holds the shard (one shard per partition). */
    @Override
    public <R> R readOne(int index, Step<R> step) {
        return current.map(s -> step.apply(s.shard())).collectPartitions(new int[] { index })[0].get(0);
    }

    void release() {
        current.unpersist(false);
    }
}
