package org.slowdyn.train.markov.internal;

import org.osgi.service.component.annotations.Component;
import org.slowdyn.core.ModelTrainer;
import org.slowdyn.core.Stage;
import org.slowdyn.train.markov.MarkovChainTrainer;

/** Publishes {@link MarkovChainTrainer} as a model-trainer service. */
@Component(service = ModelTrainer.class, property = Stage.ID_PROPERTY + "=" + MarkovChainTrainer.ID)
public class MarkovChainTrainerComponent extends MarkovChainTrainer {
}
