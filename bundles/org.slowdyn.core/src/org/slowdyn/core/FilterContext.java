package org.slowdyn.core;

import java.util.List;
import java.util.Optional;

import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;

/**
 * What a recrossing filter may look at: the state sequences, and, when the pipeline has them, the feature series they
 * were assigned from (same order, same number of frames) and the fitted partition (for example for fuzzy
 * memberships).
 */
public final class FilterContext {
    private final List<StateSequence> states;
    private final List<FeatureSeries> features;
    private final FittedPartition partition;

    /**
     * @throws IllegalArgumentException if features are given but do not match the sequences one to one
     */
    public FilterContext(List<StateSequence> states, List<FeatureSeries> features, FittedPartition partition) {
        this.states = List.copyOf(states);
        this.features = features == null ? List.of() : List.copyOf(features);
        this.partition = partition;
        if (!this.features.isEmpty()) {
            if (this.features.size() != this.states.size()) {
                throw new IllegalArgumentException(this.features.size() + " feature series for " + this.states.size()
                        + " state sequences");
            }
            for (int t = 0; t < this.states.size(); t++) {
                if (this.features.get(t).frames() != this.states.get(t).length()) {
                    throw new IllegalArgumentException("trajectory " + t + " has " + this.features.get(t).frames()
                            + " feature frames and " + this.states.get(t).length() + " states");
                }
            }
        }
    }

    public static FilterContext of(List<StateSequence> states) {
        return new FilterContext(states, null, null);
    }

    public List<StateSequence> states() {
        return states;
    }

    /** The feature series, or an empty list when the filter runs on state sequences alone. */
    public List<FeatureSeries> features() {
        return features;
    }

    public Optional<FittedPartition> partition() {
        return Optional.ofNullable(partition);
    }
}
