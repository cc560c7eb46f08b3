package org.slowdyn.core;

import java.util.List;

import org.slowdyn.core.data.StateSequence;

/**
 * The filtered sequences and the accounting of what a recrossing filter did: state changes before and after, frames
 * whose state was changed, and frames dropped (for example before a trajectory's first core visit).
 */
public final class FilterResult {
    private final List<StateSequence> sequences;
    private final long transitionsBefore;
    private final long transitionsAfter;
    private final long framesRelabelled;
    private final long framesDropped;
    private final long framesIn;

    public FilterResult(List<StateSequence> sequences, long transitionsBefore, long transitionsAfter,
            long framesRelabelled, long framesDropped, long framesIn) {
        this.sequences = List.copyOf(sequences);
        this.transitionsBefore = transitionsBefore;
        this.transitionsAfter = transitionsAfter;
        this.framesRelabelled = framesRelabelled;
        this.framesDropped = framesDropped;
        this.framesIn = framesIn;
    }

    /** Accounting for sequences that are passed through or rewritten frame by frame (nothing dropped). */
    public static FilterResult compare(List<StateSequence> before, List<StateSequence> after) {
        if (before.size() != after.size()) {
            throw new IllegalArgumentException("before and after differ in number of trajectories");
        }
        long tb = 0, ta = 0, relabelled = 0, frames = 0;
        for (int t = 0; t < before.size(); t++) {
            StateSequence b = before.get(t), a = after.get(t);
            if (a.length() != b.length()) {
                throw new IllegalArgumentException("trajectory " + t + " changed length");
            }
            tb += transitions(b);
            ta += transitions(a);
            frames += b.length();
            for (int i = 0; i < b.length(); i++) {
                if (a.state(i) != b.state(i)) {
                    relabelled++;
                }
            }
        }
        return new FilterResult(after, tb, ta, relabelled, 0, frames);
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
}
