package org.slowdyn.core;

import java.util.List;

import org.slowdyn.core.data.StateSequence;

/**
 * The filtered sequences and the accounting of what a recrossing filter did: state changes before and after, frames
 * whose state was changed, frames and whole trajectories dropped (for example before a trajectory's first core
 * visit), dwell-time distributions before and after, and, when the filter changes the state space (cores defined in
 * feature space), the labels of the new states.
 */
public final class FilterResult {
    private final List<StateSequence> sequences;
    private final long transitionsBefore;
    private final long transitionsAfter;
    private final long framesRelabelled;
    private final long framesDropped;
    private final long framesIn;
    private final int trajectoriesDropped;
    private final DwellTimes dwellBefore;
    private final DwellTimes dwellAfter;
    private final List<String> stateLabels;

    public FilterResult(List<StateSequence> before, List<StateSequence> sequences, long transitionsAfter,
            long framesRelabelled, long framesDropped, int trajectoriesDropped, List<String> stateLabels) {
        this.sequences = List.copyOf(sequences);
        long tb = 0, frames = 0;
        for (StateSequence s : before) {
            tb += transitions(s);
            frames += s.length();
        }
        this.transitionsBefore = tb;
        this.transitionsAfter = transitionsAfter;
        this.framesRelabelled = framesRelabelled;
        this.framesDropped = framesDropped;
        this.framesIn = frames;
        this.trajectoriesDropped = trajectoriesDropped;
        this.dwellBefore = DwellTimes.of(before);
        this.dwellAfter = DwellTimes.of(sequences);
        this.stateLabels = stateLabels == null ? null : List.copyOf(stateLabels);
    }

    /** Accounting for sequences that are passed through or rewritten frame by frame (nothing dropped). */
    public static FilterResult compare(List<StateSequence> before, List<StateSequence> after) {
        if (before.size() != after.size()) {
            throw new IllegalArgumentException("before and after differ in number of trajectories");
        }
        long ta = 0, relabelled = 0;
        for (int t = 0; t < before.size(); t++) {
            StateSequence b = before.get(t), a = after.get(t);
            if (a.length() != b.length()) {
                throw new IllegalArgumentException("trajectory " + t + " changed length");
            }
            ta += transitions(a);
            for (int i = 0; i < b.length(); i++) {
                if (a.state(i) != b.state(i)) {
                    relabelled++;
                }
            }
        }
        return new FilterResult(before, after, ta, relabelled, 0, 0, null);
    }

    /** Number of frames i with state(i) != state(i-1). */
    public static long transitions(StateSequence s) {
        long n = 0;
        for (int i = 1; i < s.length(); i++) {
            if (s.state(i) != s.state(i - 1)) {
                n++;
            }
        }
        return n;
    }

    public List<StateSequence> sequences() {
        return sequences;
    }

    public long transitionsBefore() {
        return transitionsBefore;
    }

    public long transitionsAfter() {
        return transitionsAfter;
    }

    public long framesRelabelled() {
        return framesRelabelled;
    }

    public long framesDropped() {
        return framesDropped;
    }

    public long framesIn() {
        return framesIn;
    }

    /** Trajectories left out entirely (for example ones that never reach a core). */
    public int trajectoriesDropped() {
        return trajectoriesDropped;
    }

    public DwellTimes dwellBefore() {
        return dwellBefore;
    }

    public DwellTimes dwellAfter() {
        return dwellAfter;
    }

    /** Labels of the filtered states when the filter defines its own states; empty when the partition's apply. */
    public java.util.Optional<List<String>> stateLabels() {
        return java.util.Optional.ofNullable(stateLabels);
    }
}
