package org.slowdyn.kinetics;

import java.util.List;

import org.slowdyn.core.data.StateSequence;

final class Checks {
    private Checks() {
    }

    /** The common number of states of the sequences; they must agree and there must be at least one. */
    static int numberOfStates(List<StateSequence> sequences) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("no trajectories");
        }
        int n = sequences.get(0).numberOfStates();
        for (StateSequence s : sequences) {
            if (s.numberOfStates() != n) {
                throw new IllegalArgumentException(s.source() + " has " + s.numberOfStates() + " states, "
                        + sequences.get(0).source() + " has " + n);
            }
        }
        return n;
    }
}
