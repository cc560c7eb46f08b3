package org.slowdyn.app;

import java.util.List;
import java.util.Map;

import org.slowdyn.core.FilterResult;
import org.slowdyn.core.data.StateSequence;
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
    final List<StateSequence> referenceSequences;
    final List<StateSequence> generatedSequences;
    final MarkovAnalysis referenceMarkov;
    final MarkovAnalysis generatedMarkov;
    final Map<String, Double> stageSeconds;
    final String inputDescription;

    RunResult(Pipeline pipeline, Map<String, Long> seeds, List<String> stateLabels, List<String> partitionNotes,
            double[] boltzmann, FilterResult filterResult, KineticsSummary reference, KineticsSummary generated,
            List<StateSequence> referenceSequences, List<StateSequence> generatedSequences,
            MarkovAnalysis referenceMarkov, MarkovAnalysis generatedMarkov, Map<String, Double> stageSeconds,
            String inputDescription) {
        this.referenceSequences = referenceSequences;
        this.generatedSequences = generatedSequences;
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
