package org.slowdyn.kinetics;

import java.util.ArrayList;
import java.util.List;

import org.slowdyn.core.data.StateSequence;

/**
 * Independent units for a bootstrap over trajectories: with at least {@value #MIN_TRAJECTORIES} trajectories, the
 * trajectories dealt round-robin into at most {@value #MAX_UNITS} groups; with fewer, each trajectory cut into
 * contiguous blocks so that there are {@value #BLOCKS} in all.
 */
final class BootstrapUnits {
    static final int MIN_TRAJECTORIES = 10;
    static final int MAX_UNITS = 100;
    static final int BLOCKS = 20;

    private BootstrapUnits() {
    }

    static List<List<StateSequence>> of(List<StateSequence> sequences) {
        List<List<StateSequence>> units = new ArrayList<>();
        if (sequences.size() >= MIN_TRAJECTORIES) {
            int groups = Math.min(MAX_UNITS, sequences.size());
            for (int g = 0; g < groups; g++) {
                units.add(new ArrayList<>());
            }
            for (int t = 0; t < sequences.size(); t++) {
                units.get(t % groups).add(sequences.get(t));
            }
        } else {
            int perTrajectory = (BLOCKS + sequences.size() - 1) / sequences.size();
            for (StateSequence s : sequences) {
                for (int b = 0; b < perTrajectory; b++) {
                    int from = (int) ((long) s.length() * b / perTrajectory);
                    int to = (int) ((long) s.length() * (b + 1) / perTrajectory);
                    units.add(List.of(s.slice(from, to)));
                }
            }
        }
        return units;
    }
}
