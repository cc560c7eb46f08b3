package org.slowdyn.core;

import java.util.List;

/**
 * Equilibrium populations that an input knows exactly for a fitted partition, independently of any trajectory: for a
 * simulated model potential, the Boltzmann integral over each state's region. A run reports them next to the
 * populations measured; the runner itself knows no potential.
 */
@FunctionalInterface
public interface ExpectedPopulations {
    /** An input without such knowledge. */
    ExpectedPopulations NONE = (partition, featureLabels) -> null;

    /**
     * @param featureLabels the features the partition was fitted on
     * @return the population of each of the partition's states, summing to 1, or null when not known for these
     *         features
     */
    double[] of(FittedPartition partition, List<String> featureLabels);
}
