package org.slowdyn.kinetics;

import java.util.Arrays;

/**
 * How reference and generated kinetics are compared. Lags and commit times are in frames of the reference.
 *
 * @param bootstrap       resamples for the errors of populations and direct MFPTs (over trajectories, or blocks)
 * @param maxMfptStates   MFPTs between every pair of states are estimated when there are at most this many states
 * @param lags            lags of the implied timescales
 * @param timescales      implied timescales per lag, the slowest first
 * @param msmLag          lag of the Markov model whose MFPTs and Chapman-Kolmogorov test are reported
 * @param reversible      estimate the analysis Markov models with detailed balance
 * @param msmBootstrap    resamples for the errors of implied timescales and MSM MFPTs
 * @param commitTimes     commit times for counting committed transitions
 * @param ckMultiples     multiples k of the MSM lag in the Chapman-Kolmogorov test; empty: chosen from the
 *                        reference's slowest implied timescale (up to three times it), so that the test can fail
 */
public record ComparisonOptions(int bootstrap, int maxMfptStates, int[] lags, int timescales, int msmLag,
        boolean reversible, int msmBootstrap, int[] commitTimes, int[] ckMultiples) {

    public ComparisonOptions {
        lags = lags.clone();
        commitTimes = commitTimes.clone();
        ckMultiples = ckMultiples.clone();
        if (msmLag < 1 || timescales < 1 || msmBootstrap < 0 || bootstrap < 0 || Arrays.stream(lags).anyMatch(l -> l < 1)
                || Arrays.stream(commitTimes).anyMatch(t -> t < 1) || Arrays.stream(ckMultiples).anyMatch(k -> k < 1)) {
            throw new IllegalArgumentException("lags, commit times, the MSM lag and CK multiples must be positive");
        }
    }

    /** The same options with the Chapman-Kolmogorov test at these multiples of the MSM lag. */
    public ComparisonOptions withCkMultiples(int[] multiples) {
        return new ComparisonOptions(bootstrap, maxMfptStates, lags, timescales, msmLag, reversible, msmBootstrap,
                commitTimes, multiples);
    }

    @Override
    public int[] lags() {
        return lags.clone();
    }

    @Override
    public int[] commitTimes() {
        return commitTimes.clone();
    }

    @Override
    public int[] ckMultiples() {
        return ckMultiples.clone();
    }
}
