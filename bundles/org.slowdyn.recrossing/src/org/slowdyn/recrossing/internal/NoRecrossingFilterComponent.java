package org.slowdyn.recrossing.internal;

import org.osgi.service.component.annotations.Component;
import org.slowdyn.core.RecrossingFilter;
import org.slowdyn.core.Stage;
import org.slowdyn.recrossing.NoRecrossingFilter;

/** Publishes {@link NoRecrossingFilter} as a recrossing-filter service. */
@Component(service = RecrossingFilter.class, property = Stage.ID_PROPERTY + "=" + NoRecrossingFilter.ID)
public class NoRecrossingFilterComponent extends NoRecrossingFilter {
}
