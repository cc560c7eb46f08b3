package org.slowdyn.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.junit.jupiter.api.Test;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.settings.Settings;

class LangevinSimulatorTest {
    private static final double BETA = 9.5;

    /**
     * Independent reference: Boltzmann weights exp(-beta U) summed on a fine grid (spacing 0.005 on [-4, 4]^2), each
     * point assigned to its nearest well center. Gives 0.2687, 0.2313, 0.2313, 0.2687 (SCIENCE.md: about 0.269, 0.231).
     */
    static double[] gridBasinPopulations() {
        FourWellPotential u = new FourWellPotential();
        double[] p = new double[4];
        double spacing = 0.005, sum = 0;
        for (int i = 0; i <= 1600; i++) {
            for (int j = 0; j <= 1600; j++) {
                double x = -4 + i * spacing, y = -4 + j * spacing;
                double w = Math.exp(-BETA * (u.energy(x, y) + 0.98));
                p[nearestWell(x, y)] += w;
                sum += w;
            }
        }
        for (int k = 0; k < 4; k++) {
            p[k] /= sum;
        }
        return p;
    }

    static int nearestWell(double x, double y) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int k = 0; k < 4; k++) {
            double dx = x - FourWellPotential.WELLS[k][0], dy = y - FourWellPotential.WELLS[k][1];
            double d = dx * dx + dy * dy;
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best;
    }

    @Test
    void gridReferenceMatchesScienceNotes() {
        double[] p = gridBasinPopulations();
        assertEquals(0.269, p[0], 0.001);
        assertEquals(0.231, p[1], 0.001);
        assertEquals(0.231, p[2], 0.001);
        assertEquals(0.269, p[3], 0.001);
    }

    @Test
    void forceIsMinusTheGradientOfTheEnergy() {
        FourWellPotential u = new FourWellPotential();
        double[] f = new double[2];
        double h = 1e-6;
        for (double[] pt : new double[][] { { 0.3, -0.7 }, { -2.1, 1.2 }, { 1.7, -0.9 }, { 3.0, 2.5 } }) {
            u.force(pt[0], pt[1], f);
            double gx = (u.energy(pt[0] + h, pt[1]) - u.energy(pt[0] - h, pt[1])) / (2 * h);
            double gy = (u.energy(pt[0], pt[1] + h) - u.energy(pt[0], pt[1] - h)) / (2 * h);
            assertEquals(-gx, f[0], 1e-7);
            assertEquals(-gy, f[1], 1e-7);
        }
    }

    /**
     * Basin populations of 1,200 stationary trajectories of 2,500 frames (3e8 integration steps) against the grid
     * integral, within four standard errors estimated from the spread between the independent trajectories.
     */
    @Test
    void basinPopulationsMatchBoltzmannGridIntegral() {
        int n = 1200, frames = 2500;
        Settings s = LangevinSimulator.SCHEMA.defaults().with(LangevinSimulator.TRAJECTORIES, n)
                .with(LangevinSimulator.FRAMES, frames);
        List<FeatureSeries> trajectories = LangevinSimulator.fourWell().simulate(s, 2024, new NullProgressMonitor());
        assertEquals(n, trajectories.size());
        double[][] perTrajectory = new double[n][4];
        for (int t = 0; t < n; t++) {
            FeatureSeries tr = trajectories.get(t);
            assertEquals(frames, tr.frames());
            for (int i = 0; i < frames; i++) {
                perTrajectory[t][nearestWell(tr.get(i, 0), tr.get(i, 1))] += 1.0 / frames;
            }
        }
        double[] reference = gridBasinPopulations();
        for (int k = 0; k < 4; k++) {
            double mean = 0, var = 0;
            for (double[] p : perTrajectory) {
                mean += p[k] / n;
            }
            for (double[] p : perTrajectory) {
                var += (p[k] - mean) * (p[k] - mean) / (n - 1);
            }
            double standardError = Math.sqrt(var / n);
            assertTrue(standardError < 0.015, "standard error " + standardError + " too large for a meaningful test");
            assertEquals(reference[k], mean, 4 * standardError,
                    "basin " + k + ": simulated " + mean + " +- " + standardError + ", grid " + reference[k]);
        }
    }

    /**
     * Harmonic well U = (x^2 + y^2) / 2: the exact stationary variance of each coordinate is 1 / beta, which checks the
     * thermostat constants c1 and c2 independently of the four-well surface.
     */
    @Test
    void harmonicWellHasExactVariance() {
        Potential2D harmonic = new Potential2D() {
            @Override
            public double energy(double x, double y) {
                return 0.5 * (x * x + y * y);
            }

            @Override
            public void force(double x, double y, double[] out) {
                out[0] = -x;
                out[1] = -y;
            }
        };
        LangevinSimulator sim = new LangevinSimulator(harmonic, new double[][] { { 0, 0 } });
        Settings s = LangevinSimulator.SCHEMA.defaults().with(LangevinSimulator.TRAJECTORIES, 4)
                .with(LangevinSimulator.FRAMES, 100_000).with(LangevinSimulator.STEPS_PER_FRAME, 20)
                .with(LangevinSimulator.START, "wells");
        double sum2 = 0;
        long count = 0;
        for (FeatureSeries tr : sim.simulate(s, 5, new NullProgressMonitor())) {
            for (int i = 100; i < tr.frames(); i++) {
                sum2 += tr.get(i, 0) * tr.get(i, 0) + tr.get(i, 1) * tr.get(i, 1);
                count += 2;
            }
        }
        // 8e5 samples about 0.2 time units apart (correlation time ~1): relative standard error about 0.4%.
        assertEquals(1 / BETA, sum2 / count, 0.02 / BETA);
    }

    @Test
    void sameSeedGivesSameTrajectoriesWhateverTheThreadCount() {
        Settings one = LangevinSimulator.SCHEMA.defaults().with(LangevinSimulator.TRAJECTORIES, 3)
                .with(LangevinSimulator.FRAMES, 500).with(LangevinSimulator.THREADS, 1);
        Settings two = one.with(LangevinSimulator.THREADS, 2);
        List<FeatureSeries> a = LangevinSimulator.fourWell().simulate(one, 99, new NullProgressMonitor());
        List<FeatureSeries> b = LangevinSimulator.fourWell().simulate(two, 99, new NullProgressMonitor());
        List<FeatureSeries> c = LangevinSimulator.fourWell().simulate(one, 100, new NullProgressMonitor());
        assertEquals(a, b);
        assertTrue(!a.get(0).equals(c.get(0)), "another seed must give another trajectory");
        assertEquals(1.0, a.get(0).frameInterval(), 1e-12);
        assertEquals(List.of("x", "y"), a.get(0).labels());
    }

    @Test
    void cancellationStopsTheRun() {
        NullProgressMonitor monitor = new NullProgressMonitor();
        monitor.setCanceled(true);
        Settings s = LangevinSimulator.SCHEMA.defaults().with(LangevinSimulator.TRAJECTORIES, 2)
                .with(LangevinSimulator.FRAMES, 50_000_000);
        assertThrows(OperationCanceledException.class,
                () -> LangevinSimulator.fourWell().simulate(s, 1, monitor));
    }

    /** Many short trajectories: progress and the rate arrive while they run, not only at the end. */
    @Test
    void progressIsReportedWhileManyShortTrajectoriesRun() {
        // one worker thread: while the caller waits for trajectory k, the worker runs k, so every finished
        // trajectory (1% of the frames, about 20 ms: longer than a scheduler's time slice, so a busy machine does not
        // hide it) can be reported; before the fix, reports came only when a 200 ms wait timed out: about 5 in the
        // second these take
        Settings s = LangevinSimulator.SCHEMA.defaults().with(LangevinSimulator.TRAJECTORIES, 100)
                .with(LangevinSimulator.FRAMES, 20000).with(LangevinSimulator.STEPS_PER_FRAME, 5)
                .with(LangevinSimulator.THREADS, 1);
        int[] calls = { 0 };
        double[] work = { 0 };
        List<String> subtasks = new java.util.ArrayList<>();
        NullProgressMonitor m = new NullProgressMonitor() {
            @Override
            public void internalWorked(double w) {
                calls[0]++;
                work[0] += w;
            }

            @Override
            public void worked(int w) {
                internalWorked(w);
            }

            @Override
            public void subTask(String name) {
                subtasks.add(name);
            }
        };
        LangevinSimulator.fourWell().simulate(s, 3, m);
        assertTrue(calls[0] >= 20, calls[0] + " progress reports");
        assertTrue(subtasks.stream().anyMatch(t -> t.contains("of 2,000,000 frames") && t.contains("frames/s")),
                subtasks.toString());
    }
}
