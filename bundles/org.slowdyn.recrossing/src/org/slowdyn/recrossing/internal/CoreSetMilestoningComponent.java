package org.slowdyn.recrossing.internal;

import org.osgi.service.component.annotations.Component;
import org.slowdyn.core.RecrossingFilter;
import org.slowdyn.core.Stage;
import org.slowdyn.recrossing.CoreSetMilestoning;

/** Publishes {@link CoreSetMilestoning} as a recrossing-filter service. */
@Component(service = RecrossingFilter.class, property = Stage.ID_PROPERTY + "=" + CoreSetMilestoning.ID)
public class CoreSetMilestoningComponent extends CoreSetMilestoning {
}
