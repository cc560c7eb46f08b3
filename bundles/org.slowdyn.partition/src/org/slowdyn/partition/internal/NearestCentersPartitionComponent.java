package org.slowdyn.partition.internal;

import org.osgi.service.component.annotations.Component;
import org.slowdyn.core.Stage;
import org.slowdyn.core.StatePartition;
import org.slowdyn.partition.NearestCentersPartition;

/** Publishes {@link NearestCentersPartition} as a state-partition service. */
@Component(service = StatePartition.class, property = Stage.ID_PROPERTY + "=" + NearestCentersPartition.ID)
public class NearestCentersPartitionComponent extends NearestCentersPartition {
}
