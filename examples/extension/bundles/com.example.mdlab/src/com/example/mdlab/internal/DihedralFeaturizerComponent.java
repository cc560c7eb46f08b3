package com.example.mdlab.internal;

import org.osgi.service.component.annotations.Component;
import org.slowdyn.core.Featurizer;
import org.slowdyn.core.Stage;

import com.example.mdlab.DihedralFeaturizer;

/** Publishes {@link DihedralFeaturizer} as a SlowDyn featurizer service. */
@Component(service = Featurizer.class, property = Stage.ID_PROPERTY + "=" + DihedralFeaturizer.ID)
public class DihedralFeaturizerComponent extends DihedralFeaturizer {
}
