package org.slowdyn.featurize.internal;

import org.osgi.service.component.annotations.Component;
import org.slowdyn.core.Featurizer;
import org.slowdyn.core.Stage;
import org.slowdyn.featurize.ContactFeaturizer;

/** Publishes {@link ContactFeaturizer} as a featurizer service. */
@Component(service = Featurizer.class, property = Stage.ID_PROPERTY + "=" + ContactFeaturizer.ID)
public class ContactFeaturizerComponent extends ContactFeaturizer {
}
