package org.slowdyn.train.neural.internal;

import org.osgi.service.component.annotations.Component;
import org.slowdyn.core.ModelTrainer;
import org.slowdyn.core.Stage;
import org.slowdyn.train.neural.TransformerTrainer;

/** Publishes {@link TransformerTrainer} as a model-trainer service. */
@Component(service = ModelTrainer.class, property = Stage.ID_PROPERTY + "=" + TransformerTrainer.ID)
public class TransformerTrainerComponent extends TransformerTrainer {
}
