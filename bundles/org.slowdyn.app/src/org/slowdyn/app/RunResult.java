package org.slowdyn.app;

import java.util.List;
import java.util.Map;

import org.slowdyn.core.FilterResult;
import org.slowdyn.core.TrainingLog;
import org.slowdyn.kinetics.KineticsComparison;
import org.slowdyn.kinetics.KineticsMeasures;

/**
 * Everything one run measured, for its report.
 *
 * @param expectedPopulations populations the input knows exactly for the partition (Boltzmann integrals), or null
 * @param trainingLog         the model's training log, or null for models not trained in epochs
 * @param seconds             wall time per step
 */
public record RunResult(Pipeline pipeline, Map<String, Long> seeds, String inputDescription, List<String> stateLabels,
        List<String> partitionNotes, double[] expectedPopulations, FilterResult filterResult,
        KineticsComparison comparison, TrainingLog trainingLog, Map<String, Double> seconds) {

    public KineticsMeasures reference() {
        return comparison.reference();
    }

    /** The trained model's generated trajectories. */
    public KineticsMeasures generated() {
        return comparison.generators().get(0);
    }

    /** The baseline's generated trajectories, or null when the run has no baseline. */
    public KineticsMeasures baseline() {
        return comparison.generators().size() > 1 ? comparison.generators().get(1) : null;
    }
}
