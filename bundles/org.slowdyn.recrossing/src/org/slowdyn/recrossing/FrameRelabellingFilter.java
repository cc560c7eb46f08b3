package org.slowdyn.recrossing;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.FilterResult;
import org.slowdyn.core.RecrossingFilter;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.Settings;

/**
 * A recrossing filter that rewrites the states of each trajectory frame by frame, keeping its length; the accounting
 * compares before and after.
 */
abstract class FrameRelabellingFilter implements RecrossingFilter {

    /** The filtered states of one trajectory; must not modify {@code states}. */
    abstract int[] relabel(int[] states, Settings settings);

    /** A short note for the source of filtered sequences, e.g. "[min-dwell 10]". */
    abstract String note(Settings settings);

    @Override
    public FilterResult filter(List<StateSequence> sequences, Settings settings, IProgressMonitor monitor) {
        SubMonitor progress = SubMonitor.convert(monitor, label(), sequences.size());
        List<StateSequence> out = new ArrayList<>(sequences.size());
        for (StateSequence s : sequences) {
            out.add(s.withStates(relabel(s.toArray(), settings), note(settings)));
            progress.split(1);
        }
        return FilterResult.compare(sequences, out);
    }
}
