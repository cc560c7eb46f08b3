package org.slowdyn.kinetics;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.data.StateSequence;

/**
 * The Markov-model view of one set of trajectories: implied timescales over lag, and one Markov model at the MSM lag
 * (estimated once) with its MFPTs and its Chapman-Kolmogorov test on single states. Lags are in frames of the
 * reference; for trajectories whose frames are {@code step} reference frames apart (generated at a model lag), only
 * lags that are multiples of the step are used, and every time is returned in reference frames.
 */
public final class MarkovMeasures {
    private final int step;
    private final int[] referenceLags;
    private final ImpliedTimescales timescales;
    private final MsmMfpt mfpt;
    private final String note;
    private final ChapmanKolmogorovTest ck;

    private MarkovMeasures(int step, int[] referenceLags, ImpliedTimescales timescales, MsmMfpt mfpt, String note,
            ChapmanKolmogorovTest ck) {
        this.step = step;
        this.referenceLags = referenceLags;
        this.timescales = timescales;
        this.mfpt = mfpt;
        this.note = note;
        this.ck = ck;
    }

    public static MarkovMeasures of(List<StateSequence> sequences, int step, ComparisonOptions o, long seed,
            IProgressMonitor monitor) {
        SubMonitor progress = SubMonitor.convert(monitor, "Markov analysis", 3);
        int longest = sequences.stream().mapToInt(StateSequence::length).max().orElse(0);
        List<Integer> lags = new ArrayList<>();
        for (int lag : o.lags()) {
            if (lag % step == 0 && lag / step < longest) {
                lags.add(lag);
            }
        }
        int[] referenceLags = lags.stream().mapToInt(Integer::intValue).toArray();
        int[] ownLags = lags.stream().mapToInt(l -> l / step).toArray();
        ImpliedTimescales its = ImpliedTimescales.estimate(sequences, ownLags, o.timescales(), o.reversible(),
                o.msmBootstrap(), seed, progress.split(1));
        MsmMfpt mfpt = null;
        ChapmanKolmogorovTest ck = null;
        String note = null;
        int n = sequences.get(0).numberOfStates();
        if (o.msmLag() % step != 0) {
            note = "not estimated: the MSM lag of " + o.msmLag() + " frames is not a multiple of the generated step of "
                    + step + " frames";
        } else if (n > o.maxMfptStates()) {
            note = "not estimated: more than " + o.maxMfptStates() + " states";
        } else if (o.msmLag() / step >= longest) {
            note = "not estimated: the MSM lag is longer than every trajectory";
        } else {
            MarkovStateModel msm = MsmEstimator.estimate(sequences, o.msmLag() / step, o.reversible());
            mfpt = MsmMfpt.of(msm, sequences, o.msmBootstrap(), seed + 1);
            progress.worked(1);
            List<int[]> sets = new ArrayList<>();
            for (int s = 0; s < n; s++) {
                sets.add(new int[] { s });
            }
            int[] multiples = o.ckMultiples().length > 0 ? o.ckMultiples()
                    : multiplesFor(msm.timescales(1), o.msmLag() / step, longest);
            int maxMultiple = java.util.Arrays.stream(multiples).max().orElse(1);
            if (multiples.length > 0 && (long) o.msmLag() / step * maxMultiple < longest) {
                ck = ChapmanKolmogorovTest.run(sequences, msm, sets, multiples);
            }
        }
        progress.setWorkRemaining(0);
        return new MarkovMeasures(step, referenceLags, its, mfpt, note, ck);
    }

    /**
     * Multiples k of the MSM lag for a Chapman-Kolmogorov test that can fail: up to three times the slowest implied
     * timescale (by then a Markovian model has relaxed, a non-Markovian one shows it), at most half the longest
     * trajectory, in about eight steps growing geometrically from 1.
     *
     * @param slowest the model's slowest implied timescale in frames (of these trajectories), or an empty array
     * @param lag     the model's lag in frames
     */
    static int[] multiplesFor(double[] slowest, int lag, int longest) {
        double t = slowest.length == 0 || !Double.isFinite(slowest[0]) ? 10.0 * lag : slowest[0];
        long max = Math.min(Math.round(Math.ceil(3 * t / lag)), (long) (longest / 2) / lag);
        if (max < 1) {
            return new int[0];
        }
        java.util.TreeSet<Integer> k = new java.util.TreeSet<>();
        for (int i = 0; i < 8; i++) {
            k.add((int) Math.max(1, Math.round(Math.pow(max, i / 7.0))));
        }
        return k.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Implied timescale k at reference lag {@code lag}, in reference frames; NaN where that lag was not used. */
    public double timescale(int lag, int k) {
        int l = index(lag);
        return l < 0 || k >= timescales.count() ? Double.NaN : timescales.timescale(l, k) * step;
    }

    public double timescaleError(int lag, int k) {
        int l = index(lag);
        return l < 0 || k >= timescales.count() ? Double.NaN : timescales.error(l, k) * step;
    }

    private int index(int lag) {
        for (int i = 0; i < referenceLags.length; i++) {
            if (referenceLags[i] == lag) {
                return i;
            }
        }
        return -1;
    }

    /** MFPT a -> b of the Markov model at the MSM lag, in reference frames; NaN when not estimated. */
    public double mfpt(int a, int b) {
        return mfpt == null ? Double.NaN : mfpt.mfpt(a, b) * step;
    }

    public double mfptError(int a, int b) {
        return mfpt == null ? Double.NaN : mfpt.error(a, b) * step;
    }

    /** Why the MSM MFPTs were not estimated, or null when they were. */
    public String note() {
        return note;
    }

    /** The Chapman-Kolmogorov test on single states, or null when not run. */
    public ChapmanKolmogorovTest chapmanKolmogorov() {
        return ck;
    }
}
