package com.example.mdlab.internal;

import org.osgi.service.component.annotations.Component;
import org.slowdyn.core.Stage;
import org.slowdyn.core.StatePartition;

import com.example.mdlab.GaussianMixturePartition;

/** Publishes {@link GaussianMixturePartition} as a SlowDyn state-partition service. */
@Component(service = StatePartition.class, property = Stage.ID_PROPERTY + "=" + GaussianMixturePartition.ID)
public class GaussianMixturePartitionComponent extends GaussianMixturePartition {
}
