package org.slowdyn.featurize.internal;

import org.osgi.service.component.annotations.Component;
import org.slowdyn.core.Featurizer;
import org.slowdyn.core.Stage;
import org.slowdyn.featurize.CombinedFeaturizer;

/** Publishes {@link CombinedFeaturizer} as a featurizer service. */
@Component(service = Featurizer.class, property = Stage.ID_PROPERTY + "=" + CombinedFeaturizer.ID)
public class CombinedFeaturizerComponent extends CombinedFeaturizer {
}
