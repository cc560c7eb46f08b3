package org.slowdyn.featurize.internal;

import org.osgi.service.component.annotations.Component;
import org.slowdyn.core.Featurizer;
import org.slowdyn.core.Stage;
import org.slowdyn.featurize.RmsdFeaturizer;

/** Publishes {@link RmsdFeaturizer} as a featurizer service. */
@Component(service = Featurizer.class, property = Stage.ID_PROPERTY + "=" + RmsdFeaturizer.ID)
public class RmsdFeaturizerComponent extends RmsdFeaturizer {
}
