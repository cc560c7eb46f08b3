package org.slowdyn.featurize.internal;

import org.osgi.service.component.annotations.Component;
import org.slowdyn.core.Featurizer;
import org.slowdyn.core.Stage;
import org.slowdyn.featurize.DistanceFeaturizer;

/** Publishes {@link DistanceFeaturizer} as a featurizer service. */
@Component(service = Featurizer.class, property = Stage.ID_PROPERTY + "=" + DistanceFeaturizer.ID)
public class DistanceFeaturizerComponent extends DistanceFeaturizer {
}
