package org.slowdyn.core;

import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.osgi.annotation.versioning.ConsumerType;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.TrajectoryInput;
import org.slowdyn.core.settings.Settings;

/** Service contract: turns trajectories into feature series, one series per input trajectory. */
@ConsumerType
public interface Featurizer extends Stage {
    /**
     * @throws InputException         for unreadable or inconsistent input, naming the file and line or frame
     * @throws ConfigurationException when the settings do not fit the input (e.g. a column that does not exist)
     */
    List<FeatureSeries> featurize(TrajectoryInput input, Settings settings, IProgressMonitor monitor);
}
