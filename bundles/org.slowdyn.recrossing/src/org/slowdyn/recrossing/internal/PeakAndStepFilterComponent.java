package org.slowdyn.recrossing.internal;

import org.osgi.service.component.annotations.Component;
import org.slowdyn.core.RecrossingFilter;
import org.slowdyn.core.Stage;
import org.slowdyn.recrossing.PeakAndStepFilter;

/** Publishes {@link PeakAndStepFilter} as a recrossing-filter service. */
@Component(service = RecrossingFilter.class, property = Stage.ID_PROPERTY + "=" + PeakAndStepFilter.ID)
public class PeakAndStepFilterComponent extends PeakAndStepFilter {
}
