package org.slowdyn.app;

import java.util.List;
import java.util.Map;

import org.slowdyn.core.FilterResult;
import org.slowdyn.kinetics.KineticsSummary;

/** Everything a run measured, for the report. */
public final class RunResult {
    final Pipeline pipeline;
    final Map<String, Long> seeds;
    final List<String> stateLabels;
    final List<String> partitionNotes;
    final double[] boltzmann;
    final FilterResult filterResult;
    final KineticsSummary reference;
    final KineticsSummary generated;
    /** Transitions at each of kinetics.commitTimes; -1 where a commit time is not a whole number of steps. */
    final long[] referenceCommitted;
    final long[] generatedCommitted;
    final MarkovAnalysis referenceMarkov;
    final MarkovAnalysis generatedMarkov;
    final Map<String, Double> stageSeconds;
    final String inputDescription;
    /** The Markov baseline's generated kinetics, or null when the run has none. */
    KineticsSummary baseline;
    /** Reference frames per baseline step. */
    int baselineStep = 1;
    /** The model's training log, or null. */
    org.slowdyn.core.TrainingLog trainingLog;

    RunResult(Pipeline pipeline, Map<String, Long> seeds, List<String> stateLabels, List<String> partitionNotes,
            double[] boltzmann, FilterResult filterResult, KineticsSummary reference, KineticsSummary generated,
            long[] referenceCommitted, long[] generatedCommitted,
            MarkovAnalysis referenceMarkov, MarkovAnalysis generatedMarkov, Map<String, Double> stageSeconds,
            String inputDescription) {
        this.referenceCommitted = referenceCommitted;
        this.generatedCommitted = generatedCommitted;
        this.pipeline = pipeline;
        this.seeds = seeds;
        this.stateLabels = stateLabels;
        this.partitionNotes = partitionNotes;
        this.referenceMarkov = referenceMarkov;
        this.generatedMarkov = generatedMarkov;
        this.boltzmann = boltzmann;
        this.filterResult = filterResult;
        this.reference = reference;
        this.generated = generated;
        this.stageSeconds = stageSeconds;
        this.inputDescription = inputDescription;
    }

    public KineticsSummary reference() {
        return reference;
    }

    public KineticsSummary generated() {
        return generated;
    }

    /** Boltzmann populations of the partition's states by grid integration, or null when not known. */
    public double[] boltzmann() {
        return boltzmann == null ? null : boltzmann.clone();
    }

    /** The Markov baseline's generated kinetics, or null when the run has none. */
    public KineticsSummary baseline() {
        return baseline;
    }

    public MarkovAnalysis referenceMarkov() {
        return referenceMarkov;
    }

    public MarkovAnalysis generatedMarkov() {
        return generatedMarkov;
    }

    public List<String> stateLabels() {
        return stateLabels;
    }

    public FilterResult filterResult() {
        return filterResult;
    }
}
