package org.slowdyn.featurize;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.Featurizer;
import org.slowdyn.core.InputException;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.TrajectoryInput;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.io.FrameChunk;
import org.slowdyn.io.Topology;
import org.slowdyn.io.TrajectoryFiles;
import org.slowdyn.io.TrajectoryReader;

/**
 * Base of the featurizers that stream coordinate trajectories (XTC, DCD) with a topology: each file is one
 * trajectory, read in chunks, each frame turned into a row of features. The frame interval comes from the time
 * stamps (they must be evenly spaced) unless a subclass's settings override it.
 */
abstract class TrajectoryFeaturizer implements Featurizer {
    /** Frames decoded at a time. */
    static final int CHUNK = 4096;
    /** Relative tolerance on the spacing of time stamps. */
    static final double SPACING_TOLERANCE = 1e-4;

    /** The features of one trajectory file: labels and a function filling a row per frame. */
    interface Plan {
        List<String> labels();

        /** Writes the features of frame f of the chunk into out at offset. */
        void compute(FrameChunk chunk, int f, double[] out, int offset);
    }

    /** @param topologyFile the file the topology was read from */
    abstract Plan plan(Topology topology, Path topologyFile, Settings settings);

    /** Time between frames, shared by the trajectory featurizers' settings. */
    public static final Setting<Double> FRAME_INTERVAL = Setting.real("frameInterval", 0.0, 0.0,
            Double.POSITIVE_INFINITY, "ps", "time between frames; 0 takes it from the file's time stamps");

    /** Frame interval in ps from the settings; 0 takes it from the file. */
    double frameInterval(Settings settings) {
        return settings.get(FRAME_INTERVAL);
    }

    /** Worker threads, shared by the trajectory featurizers' settings: files are featurized in parallel. */
    public static final Setting<Integer> THREADS = Setting.integer("threads", 0, 0, 1024, "",
            "trajectory files featurized at once; 0 uses every core (the results do not depend on it)");

    @Override
    public List<FeatureSeries> featurize(TrajectoryInput input, Settings settings, IProgressMonitor monitor) {
        if (input.files().isEmpty()) {
            throw new ConfigurationException(id() + ": needs trajectory files (input.files) and a topology");
        }
        Path topologyFile = input.topology().orElseThrow(() -> new ConfigurationException(id()
                + ": needs a topology file (input.topology, a PDB)"));
        Topology topology = TrajectoryFiles.topology(topologyFile);
        Plan plan = plan(topology, topologyFile, settings);
        SubMonitor progress = SubMonitor.convert(monitor, label(), input.files().size());
        int threads = settings.get(THREADS) == 0 ? Runtime.getRuntime().availableProcessors() : settings.get(THREADS);
        threads = Math.max(1, Math.min(threads, input.files().size()));
        if (threads == 1) {
            List<FeatureSeries> result = new ArrayList<>();
            for (Path file : input.files()) {
                progress.subTask(file.getFileName().toString());
                result.add(featurizeFile(file, topology, plan, settings, progress.split(1)));
            }
            return result;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<FeatureSeries>> futures = new ArrayList<>();
            for (Path file : input.files()) {
                futures.add(pool.submit(() -> featurizeFile(file, topology, plan, settings, null)));
            }
            List<FeatureSeries> result = new ArrayList<>();
            for (java.util.concurrent.Future<FeatureSeries> f : futures) {
                try {
                    result.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException) {
                        throw (RuntimeException) e.getCause();
                    }
                    throw new InputException("featurizing failed: " + e.getCause(), e.getCause());
                }
                progress.split(1);
            }
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.eclipse.core.runtime.OperationCanceledException();
        } finally {
            pool.shutdownNow();
        }
    }

    FeatureSeries featurizeFile(Path file, Topology topology, Plan plan, Settings settings, IProgressMonitor m) {
        SubMonitor progress = SubMonitor.convert(m, 100);
        int d = plan.labels().size();
        double[] values = new double[1 << 16];
        int frames = 0;
        double t0 = Double.NaN, t1 = Double.NaN, lastTime = Double.NaN;
        try (TrajectoryReader reader = TrajectoryFiles.open(file)) {
            if (reader.atoms() != topology.atoms()) {
                throw new InputException(file + ": " + reader.atoms() + " atoms per frame, but the topology "
                        + topology.source() + " has " + topology.atoms());
            }
            FrameChunk chunk;
            while ((chunk = reader.read(CHUNK, 1)) != null) {
                if ((long) (frames + chunk.frames()) * d > Integer.MAX_VALUE - 8) {
                    throw new InputException(file + ": more features than fit one series (" + frames + " frames x "
                            + d + " features)");
                }
                if (values.length < (frames + chunk.frames()) * d) {
                    values = java.util.Arrays.copyOf(values, Math.max(values.length * 2, (frames + chunk.frames()) * d));
                }
                for (int f = 0; f < chunk.frames(); f++) {
                    double t = chunk.time(f);
                    if (frames + f == 0) {
                        t0 = t;
                    } else if (frames + f == 1) {
                        t1 = t;
                    } else {
                        double dt = t1 - t0;
                        if (Math.abs((t - lastTime) - dt) > SPACING_TOLERANCE * Math.abs(dt)) {
                            throw new InputException(file + ", frame " + (frames + f) + ": time " + t
                                    + " ps breaks the even spacing of " + dt + " ps (a gap or a restart?)");
                        }
                    }
                    lastTime = t;
                    plan.compute(chunk, f, values, (frames + f) * d);
                }
                frames += chunk.frames();
                progress.setWorkRemaining(100).worked(1);
                if (progress.isCanceled()) {
                    throw new org.eclipse.core.runtime.OperationCanceledException();
                }
            }
        }
        if (frames == 0) {
            throw new InputException(file + ": no frames");
        }
        double interval = frameInterval(settings);
        if (interval == 0) {
            if (frames < 2 || !(t1 > t0)) {
                throw new ConfigurationException(file + ": the time stamps give no frame interval; set "
                        + "'frameInterval' in the featurizer settings");
            }
            interval = Double.parseDouble(String.format(java.util.Locale.ROOT, "%.6g", t1 - t0));
        }
        return FeatureSeries.wrap(java.util.Arrays.copyOf(values, frames * d), plan.labels(), interval, "ps",
                file.toString());
    }
}
