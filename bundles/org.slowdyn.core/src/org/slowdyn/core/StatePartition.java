package org.slowdyn.core;

import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.osgi.annotation.versioning.ConsumerType;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.settings.Settings;

import com.fasterxml.jackson.databind.JsonNode;

/** Service contract: a state partition is fitted on feature series, then assigns states to any series. */
@ConsumerType
public interface StatePartition extends Stage {
    FittedPartition fit(List<FeatureSeries> data, Settings settings, IProgressMonitor monitor);

    /** Restores a partition written by {@link FittedPartition#toJson()}. */
    FittedPartition load(JsonNode json);

    /**
     * Restores a partition written by {@link FittedPartition#toJson()} that may be built on other partitions (a
     * composite such as PCCA+ on microstates), looking them up among the installed stages. By default the same as
     * {@link #load(JsonNode)}.
     */
    default FittedPartition load(JsonNode json, StageResolver stages) {
        return load(json);
    }
}
