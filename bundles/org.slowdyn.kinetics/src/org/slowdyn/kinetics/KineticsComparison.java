package org.slowdyn.kinetics;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.data.StateSequence;

/**
 * The comparison of a reference with the trajectories of one or more generators (a trained model and, optionally, a
 * baseline), on the same states. Every measure of every set is estimated once, here; reports only render it.
 */
public final class KineticsComparison {
    private final ComparisonOptions options;
    private final KineticsMeasures reference;
    private final List<KineticsMeasures> generators;

    private KineticsComparison(ComparisonOptions options, KineticsMeasures reference,
            List<KineticsMeasures> generators) {
        this.options = options;
        this.reference = reference;
        this.generators = generators;
    }

    /** Trajectories of one generator, with the reference frames per generated frame. */
    public record Generated(String name, List<StateSequence> sequences, int step) {
    }

    /**
     * @param reference  the reference trajectories (frames of the reference: step 1)
     * @param generators the generated trajectories to compare, the model first; on the reference's states
     */
    public static KineticsComparison compare(List<StateSequence> reference, List<Generated> generators,
            ComparisonOptions options, long seed, IProgressMonitor monitor) {
        SubMonitor progress = SubMonitor.convert(monitor, "Comparing kinetics", 1 + generators.size());
        int n = Checks.numberOfStates(reference);
        KineticsMeasures ref = KineticsMeasures.of("reference", reference, 1, options, seed, progress.split(1));
        if (options.ckMultiples().length == 0 && ref.markov().chapmanKolmogorov() != null) {
            // every generator is tested at the lags chosen for the reference, so that the curves compare
            options = options.withCkMultiples(ref.markov().chapmanKolmogorov().multiples());
        }
        List<KineticsMeasures> gens = new ArrayList<>();
        long s = seed;
        for (Generated g : generators) {
            if (Checks.numberOfStates(g.sequences()) != n) {
                throw new IllegalArgumentException(g.name() + " has " + Checks.numberOfStates(g.sequences())
                        + " states, the reference " + n);
            }
            s += 10;
            gens.add(KineticsMeasures.of(g.name(), g.sequences(), g.step(), options, s, progress.split(1)));
        }
        return new KineticsComparison(options, ref, List.copyOf(gens));
    }

    public ComparisonOptions options() {
        return options;
    }

    public KineticsMeasures reference() {
        return reference;
    }

    /** The generators in the order given: the model first. */
    public List<KineticsMeasures> generators() {
        return generators;
    }

    public int numberOfStates() {
        return reference.numberOfStates();
    }

    /** Whether MFPTs between every pair of states are estimated (few enough states). */
    public boolean pairwiseMfpts() {
        return numberOfStates() <= options.maxMfptStates();
    }

    /**
     * Generated transitions a -> b (a != b, in one frame) of pairs that the reference never makes in one frame: events
     * that cannot happen in the reference dynamics. -1 when the generator's frame is not the reference's frame.
     */
    public long spuriousTransitions(KineticsMeasures generated) {
        return spurious(generated)[1];
    }

    /** Distinct pairs a -> b that the generator makes in one frame and the reference never does; -1 as above. */
    public int spuriousPairs(KineticsMeasures generated) {
        return (int) spurious(generated)[0];
    }

    /** {pairs, events} of spurious transitions, or {-1, -1} for a generator on another frame interval. */
    private long[] spurious(KineticsMeasures generated) {
        if (generated.step() != 1) {
            return new long[] { -1, -1 };
        }
        long pairs = 0, events = 0;
        for (int a = 0; a < numberOfStates(); a++) {
            for (int b = 0; b < numberOfStates(); b++) {
                if (a != b && reference.count(a, b) == 0 && generated.count(a, b) > 0) {
                    pairs++;
                    events += generated.count(a, b);
                }
            }
        }
        return new long[] { pairs, events };
    }
}
