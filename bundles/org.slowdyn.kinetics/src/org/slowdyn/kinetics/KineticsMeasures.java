package org.slowdyn.kinetics;

import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.data.StateSequence;

/**
 * Every kinetic measure of one set of trajectories (the reference, a model's generated trajectories, a baseline's),
 * each estimated once: populations, direct MFPTs and lag-1 counts with bootstrap errors, the Markov-model view
 * (implied timescales, MSM MFPTs, Chapman-Kolmogorov test), transitions committed at each commit time, and dwell-time
 * distributions. Trajectories whose frames are {@code step} reference frames apart report every time in reference
 * frames.
 */
public final class KineticsMeasures {
    private final String name;
    private final int step;
    private final List<StateSequence> sequences;
    private final KineticsSummary summary;
    private final MarkovMeasures markov;
    private final long[] committed;
    private final DwellDistribution dwell;

    private KineticsMeasures(String name, int step, List<StateSequence> sequences, KineticsSummary summary,
            MarkovMeasures markov, long[] committed, DwellDistribution dwell) {
        this.name = name;
        this.step = step;
        this.sequences = sequences;
        this.summary = summary;
        this.markov = markov;
        this.committed = committed;
        this.dwell = dwell;
    }

    /**
     * @param name the generator's name as reports show it (for example "reference", a trainer id)
     * @param step reference frames per frame of {@code sequences}
     */
    public static KineticsMeasures of(String name, List<StateSequence> sequences, int step, ComparisonOptions o,
            long seed, IProgressMonitor monitor) {
        SubMonitor progress = SubMonitor.convert(monitor, "Kinetics of " + name, 3);
        KineticsSummary summary = KineticsSummary.of(sequences, o.bootstrap(), seed);
        progress.worked(1);
        MarkovMeasures markov = MarkovMeasures.of(sequences, step, o, seed + 1, progress.split(2));
        int[] times = o.commitTimes();
        long[] committed = new long[times.length];
        for (int x = 0; x < times.length; x++) {
            committed[x] = times[x] % step != 0 ? -1
                    : CommitTimeCounts.totals(sequences, new int[] { times[x] / step })[0];
        }
        return new KineticsMeasures(name, step, List.copyOf(sequences), summary, markov, committed,
                DwellDistribution.of(sequences, step));
    }

    public String name() {
        return name;
    }

    /** Reference frames per frame of these trajectories. */
    public int step() {
        return step;
    }

    public List<StateSequence> sequences() {
        return sequences;
    }

    public int numberOfStates() {
        return summary.numberOfStates();
    }

    public int trajectories() {
        return summary.trajectories();
    }

    public long frames() {
        return summary.frames();
    }

    public double population(int s) {
        return summary.population(s);
    }

    public double populationError(int s) {
        return summary.populationError(s);
    }

    /** Direct MFPT a -> b (mean time from entering a to first reaching b) in reference frames. */
    public double mfpt(int a, int b) {
        return step * summary.mfpt(a, b);
    }

    public double mfptError(int a, int b) {
        return step * summary.mfptError(a, b);
    }

    /** Completed passages a -> b behind {@link #mfpt}. */
    public long passages(int a, int b) {
        return summary.passages(a, b);
    }

    /** Transitions a -> b between consecutive frames (one step of these trajectories). */
    public long count(int a, int b) {
        return summary.count(a, b);
    }

    public MarkovMeasures markov() {
        return markov;
    }

    /** Transitions committed at commit time x of the options; -1 where it is not a multiple of the step. */
    public long committed(int x) {
        return committed[x];
    }

    public DwellDistribution dwell() {
        return dwell;
    }
}
