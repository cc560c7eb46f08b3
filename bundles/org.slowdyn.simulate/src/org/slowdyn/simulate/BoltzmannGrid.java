package org.slowdyn.simulate;

import java.util.List;

import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;

/**
 * Equilibrium state populations of a 2D potential by numerical integration: exp(-beta U) summed over a square grid,
 * each grid point assigned to a state by a fitted partition over the features "x" and/or "y". This is the exact
 * answer a long enough simulation must reproduce for that partition.
 */
public final class BoltzmannGrid {
    private final Potential2D potential;
    private final double beta;
    private final double halfWidth;
    private final int pointsPerSide;

    /**
     * @param halfWidth     the grid covers [-halfWidth, halfWidth]^2
     * @param pointsPerSide grid points per side
     */
    public BoltzmannGrid(Potential2D potential, double beta, double halfWidth, int pointsPerSide) {
        this.potential = potential;
        this.beta = beta;
        this.halfWidth = halfWidth;
        this.pointsPerSide = pointsPerSide;
    }

    /**
     * @param labels the features the partition was fitted on: each must be "x" or "y"
     * @return population per state, summing to 1
     */
    public double[] populations(FittedPartition partition, List<String> labels) {
        for (String l : labels) {
            if (!l.equals("x") && !l.equals("y")) {
                throw new IllegalArgumentException("feature '" + l + "' is not a coordinate of the potential");
            }
        }
        int m = pointsPerSide;
        double spacing = 2 * halfWidth / (m - 1);
        double[] values = new double[m * m * labels.size()];
        double[] weights = new double[m * m];
        double uMin = Double.POSITIVE_INFINITY;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                weights[i * m + j] = potential.energy(-halfWidth + i * spacing, -halfWidth + j * spacing);
                uMin = Math.min(uMin, weights[i * m + j]);
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                int p = i * m + j;
                weights[p] = Math.exp(-beta * (weights[p] - uMin));
                for (int k = 0; k < labels.size(); k++) {
                    values[p * labels.size() + k] = labels.get(k).equals("x") ? -halfWidth + i * spacing
                            : -halfWidth + j * spacing;
                }
            }
        }
        StateSequence states = partition.assign(FeatureSeries.wrap(values, labels, 1.0, "reduced", "Boltzmann grid"));
        double[] pop = new double[partition.numberOfStates()];
        double total = 0;
        for (int p = 0; p < weights.length; p++) {
            pop[states.state(p)] += weights[p];
            total += weights[p];
        }
        for (int s = 0; s < pop.length; s++) {
            pop[s] /= total;
        }
        return pop;
    }
}
