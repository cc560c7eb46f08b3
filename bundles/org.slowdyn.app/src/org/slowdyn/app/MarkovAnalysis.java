package org.slowdyn.app;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.kinetics.ChapmanKolmogorovTest;
import org.slowdyn.kinetics.ImpliedTimescales;
import org.slowdyn.kinetics.MsmEstimator;
import org.slowdyn.kinetics.MsmMfpt;

/**
 * Implied timescales and MSM mean first-passage times of one set of trajectories, with lags given in frames of the
 * reference. For trajectories whose frames are {@code step} reference frames apart (generated at a model lag), only
 * lags that are multiples of the step are used; all times are reported in reference frames.
 */
public final class MarkovAnalysis {
    final int step;
    final int[] referenceLags;
    final ImpliedTimescales timescales;
    final MsmMfpt mfpt;
    final String mfptNote;
    final ChapmanKolmogorovTest ck;

    /** Multiples k of the MSM lag for the Chapman-Kolmogorov test. */
    static final int[] CK_MULTIPLES = { 1, 2, 5, 10 };

    private MarkovAnalysis(int step, int[] referenceLags, ImpliedTimescales timescales, MsmMfpt mfpt,
            String mfptNote, ChapmanKolmogorovTest ck) {
        this.step = step;
        this.referenceLags = referenceLags;
        this.timescales = timescales;
        this.mfpt = mfpt;
        this.mfptNote = mfptNote;
        this.ck = ck;
    }

    static MarkovAnalysis of(List<StateSequence> sequences, int step, Settings k, long seed, IProgressMonitor monitor) {
        SubMonitor progress = SubMonitor.convert(monitor, "Markov analysis", 2);
        int longest = sequences.stream().mapToInt(StateSequence::length).max().orElse(0);
        List<Integer> lags = new ArrayList<>();
        for (int lag : k.get(Pipeline.LAGS)) {
            if (lag % step == 0 && lag / step < longest) {
                lags.add(lag);
            }
        }
        int[] referenceLags = lags.stream().mapToInt(Integer::intValue).toArray();
        int[] ownLags = lags.stream().mapToInt(l -> l / step).toArray();
        int bootstrap = k.get(Pipeline.MSM_BOOTSTRAP);
        boolean reversible = k.get(Pipeline.REVERSIBLE);
        ImpliedTimescales its = ImpliedTimescales.estimate(sequences, ownLags, k.get(Pipeline.TIMESCALES), reversible,
                bootstrap, seed, progress.split(1));
        int msmLag = k.get(Pipeline.MSM_LAG);
        MsmMfpt mfpt = null;
        ChapmanKolmogorovTest ck = null;
        String note = null;
        if (msmLag % step != 0) {
            note = "not estimated: msmLag " + msmLag + " is not a multiple of the generated step of " + step
                    + " frames";
        } else if (sequences.get(0).numberOfStates() > k.get(Pipeline.MAX_MFPT_STATES)) {
            note = "not estimated: more than maxMfptStates states";
        } else {
            mfpt = MsmMfpt.estimate(sequences, msmLag / step, reversible, bootstrap, seed + 1);
            int n = sequences.get(0).numberOfStates();
            List<int[]> sets = new ArrayList<>();
            for (int s = 0; s < n; s++) {
                sets.add(new int[] { s });
            }
            int maxMultiple = CK_MULTIPLES[CK_MULTIPLES.length - 1];
            if ((long) msmLag / step * maxMultiple < longest) {
                ck = ChapmanKolmogorovTest.run(sequences, MsmEstimator.estimate(sequences, msmLag / step, reversible),
                        sets, CK_MULTIPLES);
            }
        }
        progress.split(1);
        return new MarkovAnalysis(step, referenceLags, its, mfpt, note, ck);
    }

    /** Implied timescale k at reference lag {@code lag} in reference frames, or NaN if that lag was not used. */
    public double timescale(int lag, int k) {
        int l = index(lag);
        return l < 0 ? Double.NaN : timescales.timescale(l, k) * step;
    }

    public double timescaleError(int lag, int k) {
        int l = index(lag);
        return l < 0 ? Double.NaN : timescales.error(l, k) * step;
    }

    private int index(int lag) {
        for (int i = 0; i < referenceLags.length; i++) {
            if (referenceLags[i] == lag) {
                return i;
            }
        }
        return -1;
    }

    /** MSM MFPT a -> b in reference frames, or NaN. */
    public double mfpt(int a, int b) {
        return mfpt == null ? Double.NaN : mfpt.mfpt(a, b) * step;
    }

    public double mfptError(int a, int b) {
        return mfpt == null ? Double.NaN : mfpt.error(a, b) * step;
    }
}
