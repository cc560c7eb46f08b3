package org.slowdyn.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.ExpectedPopulations;
import org.slowdyn.core.SlowDynException;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

/**
 * Langevin dynamics of a 2D potential with unit mass, integrated with the O / velocity-Verlet / O splitting of Bussi
 * and Parrinello (2007) as used by Tsai et al.: {@code v <- c1 v + c2 N(0,1)}, a velocity-Verlet step, and the O step
 * again, with {@code c1 = exp(-gamma h / 2)} and {@code c2 = sqrt((1 - c1^2) / beta)}.
 *
 * <p>Several independent trajectories run in parallel; each has its own random stream split from the seed in
 * trajectory order, so results do not depend on the number of threads. Time is in reduced units: with the defaults
 * (h = 0.01, 100 steps per frame) one frame is 1 time unit.
 */
public final class LangevinSimulator {
    public static final Setting<Integer> TRAJECTORIES = Setting.integer("trajectories", 8, 1, 100_000, "",
            "number of independent trajectories");
    public static final Setting<Integer> FRAMES = Setting.integer("frames", 250_000, 1, 500_000_000, "frames",
            "frames saved per trajectory");
    public static final Setting<Integer> STEPS_PER_FRAME = Setting.integer("stepsPerFrame", 100, 1, 1_000_000,
            "steps", "integration steps between saved frames");
    public static final Setting<Double> TIME_STEP = Setting.real("timeStep", 0.01, 1e-6, 1.0, "reduced time",
            "integration time step h");
    public static final Setting<Double> BETA = Setting.real("beta", 9.5, 1e-3, 1e3, "1/energy",
            "inverse temperature 1/kT");
    public static final Setting<Double> GAMMA = Setting.real("gamma", 1.0, 0.0, 1e4, "1/reduced time",
            "friction coefficient (both coordinates)");
    public static final Setting<String> START = Setting.choice("start", "boltzmann", List.of("boltzmann", "wells"),
            "initial positions: sampled from exp(-beta U) (stationary from the first frame), or the well centers in turn");
    public static final Setting<Integer> THREADS = Setting.integer("threads", 0, 0, 1024, "",
            "worker threads; 0 uses every available core");
    public static final SettingsSchema SCHEMA = SettingsSchema.of(TRAJECTORIES, FRAMES, STEPS_PER_FRAME, TIME_STEP,
            BETA, GAMMA, START, THREADS);

    /** Box from which Boltzmann initial positions are drawn; exp(-beta U) is negligible outside it. */
    private static final double SAMPLING_BOX = 4.0;

    private final Potential2D potential;
    private final double[][] wellCenters;

    /**
     * @param wellCenters starting points for {@code start = wells}
     */
    public LangevinSimulator(Potential2D potential, double[][] wellCenters) {
        this.potential = potential;
        this.wellCenters = wellCenters.clone();
    }

    /** The simulator of Tsai's four-state potential. */
    public static LangevinSimulator fourWell() {
        return new LangevinSimulator(new FourWellPotential(), FourWellPotential.WELLS);
    }

    /**
     * The exact equilibrium populations of any partition fitted on the coordinates "x" and/or "y" of trajectories
     * simulated with these settings (grid integration of the Boltzmann weight at the settings' beta over
     * [-4, 4]^2); null for partitions of other features.
     */
    public ExpectedPopulations expectedPopulations(Settings settings) {
        BoltzmannGrid grid = new BoltzmannGrid(potential, settings.get(BETA), 4.0, 801);
        return (partition, labels) -> labels.stream().allMatch(l -> l.equals("x") || l.equals("y"))
                ? grid.populations(partition, labels) : null;
    }

    /**
     * Runs the trajectories. Each result has columns "x" and "y" and one frame per {@code stepsPerFrame} steps.
     *
     * @throws OperationCanceledException if the monitor is cancelled
     */
    public List<FeatureSeries> simulate(Settings settings, long seed, IProgressMonitor monitor) {
        int n = settings.get(TRAJECTORIES);
        int frames = settings.get(FRAMES);
        long totalFrames = (long) n * frames;
        if (totalFrames * 2 > Integer.MAX_VALUE * 8L) {
            throw new SlowDynException("too many frames requested: " + totalFrames);
        }
        SubMonitor progress = SubMonitor.convert(monitor, "Simulating " + n + " Langevin trajectories of " + frames
                + " frames", 1000);
        SplittableRandom master = new SplittableRandom(seed);
        List<SplittableRandom> streams = new ArrayList<>(n);
        for (int t = 0; t < n; t++) {
            streams.add(master.split());
        }
        int threads = settings.get(THREADS) == 0 ? Runtime.getRuntime().availableProcessors() : settings.get(THREADS);
        threads = Math.max(1, Math.min(threads, n));
        double uMin = "boltzmann".equals(settings.get(START)) ? lowestEnergy() : 0;
        AtomicLong done = new AtomicLong();
        AtomicBoolean cancelled = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread th = new Thread(r, "slowdyn-langevin");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<FeatureSeries>> futures = new ArrayList<>(n);
            for (int t = 0; t < n; t++) {
                final int index = t;
                futures.add(pool.submit(() -> run(settings, index, streams.get(index), uMin, done, cancelled)));
            }
            long reported = 0;
            long started = System.nanoTime();
            List<FeatureSeries> result = new ArrayList<>(n);
            for (Future<FeatureSeries> f : futures) {
                boolean finished = false;
                while (!finished) {
                    try {
                        result.add(f.get(200, java.util.concurrent.TimeUnit.MILLISECONDS));
                        finished = true;
                    } catch (java.util.concurrent.TimeoutException e) {
                        // report progress while waiting
                    }
                    // reported after every trajectory too: many short trajectories rarely make the wait time out
                    long framesDone = done.get();
                    long now = framesDone * 1000 / totalFrames;
                    if (now > reported) {
                        progress.worked((int) (now - reported));
                        reported = now;
                        double seconds = (System.nanoTime() - started) / 1e9;
                        progress.subTask(String.format(java.util.Locale.ROOT, "%,d of %,d frames, %,.0f frames/s",
                                framesDone, totalFrames, framesDone / Math.max(seconds, 1e-9)));
                    }
                    if (progress.isCanceled()) {
                        cancelled.set(true);
                        throw new OperationCanceledException();
                    }
                }
            }
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelled.set(true);
            throw new OperationCanceledException();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OperationCanceledException) {
                throw (OperationCanceledException) e.getCause();
            }
            throw new SlowDynException("simulation failed: " + e.getCause(), e.getCause());
        } finally {
            cancelled.set(true);
            pool.shutdownNow();
            progress.done();
        }
    }

    private FeatureSeries run(Settings settings, int index, SplittableRandom rng, double uMin, AtomicLong done,
            AtomicBoolean cancelled) {
        int frames = settings.get(FRAMES);
        int stepsPerFrame = settings.get(STEPS_PER_FRAME);
        double h = settings.get(TIME_STEP);
        double beta = settings.get(BETA);
        double gamma = settings.get(GAMMA);
        double c1 = Math.exp(-gamma * h / 2);
        double c2 = Math.sqrt((1 - c1 * c1) / beta);
        double halfH = h / 2;

        double[] pos = "wells".equals(settings.get(START)) ? wellCenters[index % wellCenters.length].clone()
                : sampleBoltzmann(rng, beta, uMin);
        double x = pos[0], y = pos[1];
        double sigmaV = Math.sqrt(1 / beta);
        double vx = sigmaV * rng.nextGaussian(), vy = sigmaV * rng.nextGaussian();
        double[] f = new double[2];
        potential.force(x, y, f);
        double fx = f[0], fy = f[1];
        double[] out = new double[frames * 2];
        for (int frame = 0; frame < frames; frame++) {
            for (int s = 0; s < stepsPerFrame; s++) {
                vx = c1 * vx + c2 * rng.nextGaussian();
                vy = c1 * vy + c2 * rng.nextGaussian();
                vx += halfH * fx;
                vy += halfH * fy;
                x += h * vx;
                y += h * vy;
                potential.force(x, y, f);
                fx = f[0];
                fy = f[1];
                vx += halfH * fx;
                vy += halfH * fy;
                vx = c1 * vx + c2 * rng.nextGaussian();
                vy = c1 * vy + c2 * rng.nextGaussian();
            }
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                throw new SlowDynException("trajectory " + index + " diverged at frame " + frame
                        + ": reduce the time step (now " + h + ")");
            }
            out[2 * frame] = x;
            out[2 * frame + 1] = y;
            if ((frame & 1023) == 1023) {
                done.addAndGet(1024);
                if (cancelled.get()) {
                    throw new OperationCanceledException();
                }
            }
        }
        done.addAndGet(frames & 1023);
        return FeatureSeries.wrap(out, List.of("x", "y"), stepsPerFrame * h, "reduced",
                "langevin trajectory " + index);
    }

    /** Lowest energy on a grid over the sampling box, less a margin for the minimum between grid points. */
    private double lowestEnergy() {
        double uMin = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= 800; i++) {
            for (int j = 0; j <= 800; j++) {
                uMin = Math.min(uMin, potential.energy(-SAMPLING_BOX + i * 0.01, -SAMPLING_BOX + j * 0.01));
            }
        }
        return uMin - 0.01;
    }

    /** Rejection sampling of exp(-beta U) on a box: exact as long as U >= uMin everywhere. */
    private double[] sampleBoltzmann(SplittableRandom rng, double beta, double uMin) {
        while (true) {
            double x = -SAMPLING_BOX + 2 * SAMPLING_BOX * rng.nextDouble();
            double y = -SAMPLING_BOX + 2 * SAMPLING_BOX * rng.nextDouble();
            if (rng.nextDouble() < Math.exp(-beta * (potential.energy(x, y) - uMin))) {
                return new double[] { x, y };
            }
        }
    }
}
