package org.slowdyn.core;

import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.Settings;

/** Service contract: removes recrossing events from state sequences and says what it did. */
public interface RecrossingFilter extends Stage {
    FilterResult filter(List<StateSequence> sequences, Settings settings, IProgressMonitor monitor);
}
