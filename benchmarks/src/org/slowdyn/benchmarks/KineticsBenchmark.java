package org.slowdyn.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.kinetics.ImpliedTimescales;
import org.slowdyn.kinetics.MsmEstimator;
import org.slowdyn.partition.KMeansPartition;
import org.slowdyn.simulate.LangevinSimulator;

/**
 * The Markov analysis of the comparison on the paper study's 100-state partition (P3, 2D k-means) at saving interval
 * 10: the four-well system, 10 trajectories of 1e5 frames 10 time units apart, k-means (100, seed 7), then implied
 * timescales at the study's lags with its 20 bootstrap resamples (a reversible maximum-likelihood estimate each), and
 * one reversible estimate per lag. Prints RESULT lines: case, lag (frames), seconds, and the slowest timescale.
 */
public final class KineticsBenchmark {
    public static void main(String[] args) {
        Settings sim = LangevinSimulator.SCHEMA.defaults().with(LangevinSimulator.TRAJECTORIES, 10)
                .with(LangevinSimulator.FRAMES, 100_000).with(LangevinSimulator.STEPS_PER_FRAME, 1000);
        List<FeatureSeries> xy = LangevinSimulator.fourWell().simulate(sim, 2021, null);
        Settings k = KMeansPartition.SCHEMA.defaults().with(KMeansPartition.CLUSTERS, 100)
                .with(KMeansPartition.SEED, 7L).with(KMeansPartition.THREADS, 1);
        FittedPartition p = new KMeansPartition().fit(xy, k, null);
        List<StateSequence> states = new ArrayList<>();
        for (FeatureSeries s : xy) {
            states.add(p.assign(s));
        }
        int[] lags = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000 };
        for (int repeat = 0; repeat < 2; repeat++) { // the first warms the JIT up
            double all = 0;
            for (int lag : lags) {
                long t0 = System.nanoTime();
                double slowest = MsmEstimator.estimate(states, lag, true).timescales(1)[0];
                double one = (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                ImpliedTimescales.estimate(states, new int[] { lag }, 3, true, 20, 7, null);
                double its = (System.nanoTime() - t0) / 1e9;
                all += its;
                if (repeat == 1) {
                    System.out.printf(Locale.ROOT, "RESULT\treversible-msm\t%d\t%.4f\t%.6g%n", lag, one, slowest);
                    System.out.printf(Locale.ROOT, "RESULT\ttimescales-20-resamples\t%d\t%.3f\t%n", lag, its);
                }
            }
            if (repeat == 1) {
                System.out.printf(Locale.ROOT, "RESULT\ttimescales-20-resamples\tall\t%.3f\t%n", all);
            }
        }
    }
}
