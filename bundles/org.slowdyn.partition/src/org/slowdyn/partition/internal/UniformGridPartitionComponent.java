package org.slowdyn.partition.internal;

import org.osgi.service.component.annotations.Component;
import org.slowdyn.core.Stage;
import org.slowdyn.core.StatePartition;
import org.slowdyn.partition.UniformGridPartition;

/** Publishes {@link UniformGridPartition} as a state-partition service. */
@Component(service = StatePartition.class, property = Stage.ID_PROPERTY + "=" + UniformGridPartition.ID)
public class UniformGridPartitionComponent extends UniformGridPartition {
}
