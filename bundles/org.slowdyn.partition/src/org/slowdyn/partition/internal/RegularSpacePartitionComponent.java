package org.slowdyn.partition.internal;

import org.osgi.service.component.annotations.Component;
import org.slowdyn.core.Stage;
import org.slowdyn.core.StatePartition;
import org.slowdyn.partition.RegularSpacePartition;

/** Publishes {@link RegularSpacePartition} as a state-partition service. */
@Component(service = StatePartition.class, property = Stage.ID_PROPERTY + "=" + RegularSpacePartition.ID)
public class RegularSpacePartitionComponent extends RegularSpacePartition {
}
