package org.slowdyn.core;

import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.osgi.annotation.versioning.ConsumerType;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.Settings;

/** Service contract: removes recrossing events from state sequences and says what it did. */
@ConsumerType
public interface RecrossingFilter extends Stage {
    /** Filters state sequences alone. */
    FilterResult filter(List<StateSequence> sequences, Settings settings, IProgressMonitor monitor);

    /**
     * Filters with the feature series and the fitted partition at hand, for filters that need them (cores defined in
     * feature space or by memberships). The pipeline calls this one; by default it filters the states alone.
     */
    default FilterResult filter(FilterContext context, Settings settings, IProgressMonitor monitor) {
        return filter(context.states(), settings, monitor);
    }
}
