/**
 * SlowDyn's API: the four service contracts a pipeline is made of ({@link org.slowdyn.core.Featurizer},
 * {@link org.slowdyn.core.StatePartition}, {@link org.slowdyn.core.RecrossingFilter},
 * {@link org.slowdyn.core.ModelTrainer}), what they exchange, the live {@link org.slowdyn.core.StageRegistry}, and the
 * errors users see. A third-party bundle needs only this bundle. The package version follows OSGi semantic
 * versioning: a bundle that implements the contracts imports it as {@code [0.2,0.3)}.
 * <p>0.2.0: StageRegistry, StageFamily, StageProvider and StageResolver replace StageCatalog.
 * <p>0.2.2: ModelTrainer.cost and TrainerCost (a default method: implementations compile and run unchanged).
 */
@Version("0.2.2")
package org.slowdyn.core;

import org.osgi.annotation.versioning.Version;
