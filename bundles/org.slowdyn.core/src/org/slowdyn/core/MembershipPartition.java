package org.slowdyn.core;

import org.osgi.annotation.versioning.ConsumerType;
import org.slowdyn.core.data.FeatureSeries;

/** A fitted partition with fuzzy memberships, such as PCCA+ metastable sets. */
@ConsumerType
public interface MembershipPartition extends FittedPartition {
    /**
     * Memberships of every frame in every state: frames x {@link #numberOfStates()}, rows summing to 1; a row of zeros
     * where a frame has no membership (for example a microstate outside the connected set).
     */
    double[][] memberships(FeatureSeries series);
}
