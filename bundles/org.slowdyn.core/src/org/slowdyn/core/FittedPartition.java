package org.slowdyn.core;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A fitted partition: immutable; assigns a state to every frame of a feature series. */
@ConsumerType
public interface FittedPartition {
    String partitionId();

    int numberOfStates();

    /** A short label per state, e.g. the center it stands for. */
    List<String> stateLabels();

    /**
     * @throws ConfigurationException if the series does not have the features the partition was fitted on
     */
    StateSequence assign(FeatureSeries series);

    /** Everything needed to restore this partition with {@link StatePartition#load}. */
    ObjectNode toJson();

    /** What a user should know about the fit (convergence, warnings), one sentence each; shown in the report. */
    default List<String> notes() {
        return List.of();
    }
}
