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
import org.slowdyn.core.settings.SettingsSchema;
import org.slowdyn.io.FrameChunk;
import org.slowdyn.io.Topology;
import org.slowdyn.io.TrajectoryFiles;
import org.slowdyn.io.TrajectoryReader;

/**
 * Base of the featurizers that stream coordinate trajectories (XTC, TRR, DCD, GRO) with a topology: each file is one
 * trajectory, read in chunks, each frame turned into a row of features. The frame interval comes from the time
 * stamps (they must be evenly spaced) unless a subclass's settings override it.
 *
 * <p>This is the base for a third-party molecular featurizer: implement {@link #plan} (which atoms, which labels, the
 * features of one frame), build the schema with {@link #schema(java.util.function.Consumer, Setting...)} so that the
 * reading settings (start, stop, stride, joined files, threads) are there, and the featurizer reads files in
 * parallel, reports progress, honours cancellation and can be a part of {@code featurize.combined}.
 */
public abstract class TrajectoryFeaturizer implements Featurizer {
    /** Frames decoded at a time. */
    static final int CHUNK = 4096;
    /** Relative tolerance on the spacing of time stamps. */
    static final double SPACING_TOLERANCE = 1e-4;

    /** The features of one trajectory file: labels and a function filling a row per frame. */
    public interface Plan {
        List<String> labels();

        /** Writes the features of frame f of the chunk into out at offset. */
        void compute(FrameChunk chunk, int f, double[] out, int offset);
    }

    /**
     * What to compute for a topology: called once per run, before any frame is read. Throw
     * {@link ConfigurationException} when the settings do not fit the topology (an atom that does not exist).
     *
     * @param topologyFile the file the topology was read from
     */
    public abstract Plan plan(Topology topology, Path topologyFile, Settings settings);

    /**
     * The largest frame interval a setting accepts: 1e12 ps (one second), far beyond any saving interval of MD, so
     * that times of up to a million frames stay below 2^63 ps and print as numbers.
     */
    public static final double MAX_FRAME_INTERVAL = 1e12;

    /** Time between frames, shared by the trajectory featurizers' settings. */
    public static final Setting<Double> FRAME_INTERVAL = Setting.real("frameInterval", 0.0, 0.0,
            MAX_FRAME_INTERVAL, "ps", "time between frames of the file; 0 takes it from the file's time stamps");
    /** First frame read (0-based, counted over the joined trajectory when files are joined). */
    public static final Setting<Long> START = Setting.longInteger("start", 0L, 0L, Long.MAX_VALUE, "frames",
            "first frame of each trajectory to featurize (0-based)");
    /** Frame at which reading stops (exclusive); 0 reads to the end. */
    public static final Setting<Long> STOP = Setting.longInteger("stop", 0L, 0L, Long.MAX_VALUE, "frames",
            "frame at which to stop, exclusive (0 reads to the end)");
    /** Every stride-th frame from start is read; the frames between are not decoded. */
    public static final Setting<Integer> STRIDE = Setting.integer("stride", 1, 1, 1_000_000, "frames",
            "read every stride-th frame from 'start' (the frames between are skipped without decoding them)");
    /** All files as one continuous trajectory. */
    public static final Setting<Boolean> JOIN_FILES = Setting.bool("joinFiles", false,
            "read the files, in order, as one continuous trajectory (a repeated frame at a part boundary is dropped) "
                    + "instead of one trajectory per file");
    /** Worker threads, shared by the trajectory featurizers' settings: files are featurized in parallel. */
    public static final Setting<Integer> THREADS = Setting.integer("threads", 0, 0, 1024, "",
            "trajectory files featurized at once; 0 uses every core (the results do not depend on it)");

    /** Frame interval in ps from the settings; 0 takes it from the file. */
    double frameInterval(Settings settings) {
        return settings.get(FRAME_INTERVAL);
    }

    /** The reading settings every trajectory featurizer has, after its own. */
    public static final List<Setting<?>> READING = List.of(FRAME_INTERVAL, START, STOP, STRIDE, JOIN_FILES, THREADS);

    /** A featurizer's schema: its own settings, then the reading settings; its check runs after theirs. */
    protected static SettingsSchema schema(java.util.function.Consumer<Settings> check, Setting<?>... own) {
        List<Setting<?>> all = new ArrayList<>(List.of(own));
        all.addAll(READING);
        return SettingsSchema.of(s -> {
            checkReading(s);
            check.accept(s);
        }, all.toArray(new Setting<?>[0]));
    }

    /** A featurizer's schema without checks of its own. */
    protected static SettingsSchema schema(Setting<?>... own) {
        return schema(s -> {
        }, own);
    }

    /** Checks the reading settings: a stop, when given, comes after the start. */
    private static void checkReading(Settings s) {
        if (s.get(STOP) != 0 && s.get(STOP) <= s.get(START)) {
            throw new org.slowdyn.core.settings.InvalidSettingException(STOP.name(), "setting 'stop' = "
                    + s.get(STOP) + " must be after 'start' = " + s.get(START) + " (or 0 to read to the end)");
        }
    }

    @Override
    public List<FeatureSeries> featurize(TrajectoryInput input, Settings settings, IProgressMonitor monitor) {
        if (input.files().isEmpty()) {
            throw new ConfigurationException(id() + ": needs trajectory files (input.files) and a topology");
        }
        Path topologyFile = input.topology().orElseThrow(() -> new ConfigurationException(id()
                + ": needs a topology file (input.topology: " + String.join(", ", TrajectoryFiles.STRUCTURE_FORMATS)
                + ")"));
        Topology topology = TrajectoryFiles.topology(topologyFile);
        Plan plan = plan(topology, topologyFile, settings);
        List<List<Path>> trajectories = new ArrayList<>();
        if (settings.get(JOIN_FILES)) {
            trajectories.add(input.files());
        } else {
            for (Path file : input.files()) {
                trajectories.add(List.of(file));
            }
        }
        SubMonitor progress = SubMonitor.convert(monitor, label(), trajectories.size());
        int threads = settings.get(THREADS) == 0 ? Runtime.getRuntime().availableProcessors() : settings.get(THREADS);
        threads = Math.max(1, Math.min(threads, trajectories.size()));
        if (threads == 1) {
            List<FeatureSeries> result = new ArrayList<>();
            for (List<Path> files : trajectories) {
                progress.subTask(files.get(0).getFileName().toString());
                result.add(featurizeFiles(files, topology, plan, settings, progress.split(1)));
            }
            return result;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<FeatureSeries>> futures = new ArrayList<>();
            for (List<Path> files : trajectories) {
                futures.add(pool.submit(() -> featurizeFiles(files, topology, plan, settings, null)));
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
                if (progress.isCanceled()) {
                    throw new org.eclipse.core.runtime.OperationCanceledException();
                }
            }
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.eclipse.core.runtime.OperationCanceledException();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Frames a stride keeps among the next {@code frames}, without overflow for "read to the end". */
    private static long ceilDiv(long frames, int stride) {
        return frames / stride + (frames % stride == 0 ? 0 : 1);
    }

    /**
     * Featurizes one trajectory: one file, or several joined. Frames from {@code start} (inclusive) to {@code stop}
     * (exclusive) with the stride are read; the frame interval is that of the frames kept.
     */
    FeatureSeries featurizeFiles(List<Path> files, Topology topology, Plan plan, Settings settings,
            IProgressMonitor m) {
        SubMonitor progress = SubMonitor.convert(m, 100);
        int d = plan.labels().size();
        int stride = settings.get(STRIDE);
        long start = settings.get(START), stop = settings.get(STOP) == 0 ? Long.MAX_VALUE : settings.get(STOP);
        String source = files.size() == 1 ? files.get(0).toString() : String.join(" + ", files.stream()
                .map(Path::toString).toList());
        double[] values = new double[1 << 16];
        int frames = 0;
        double t0 = Double.NaN, t1 = Double.NaN, lastTime = Double.NaN;
        try (TrajectoryReader reader = TrajectoryFiles.openJoined(files)) {
            if (reader.atoms() != topology.atoms()) {
                throw new InputException(reader.source() + ": " + reader.atoms() + " atoms per frame, but the "
                        + "topology " + topology.source() + " has " + topology.atoms());
            }
            if (start > 0 && reader.skip(start) < start) {
                throw new InputException(source + ": 'start' = " + start + " but the trajectory has only "
                        + reader.position() + " frames");
            }
            FrameChunk chunk;
            while (reader.position() < stop && (chunk = reader.read((int) Math.min(CHUNK,
                    ceilDiv(stop - reader.position(), stride)), stride)) != null) {
                if ((long) (frames + chunk.frames()) * d > Integer.MAX_VALUE - 8) {
                    throw new InputException(source + ": more features than fit one series (" + frames
                            + " frames x " + d + " features)");
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
                            throw new InputException(reader.source() + ", frame " + (chunk.firstFrame() + (long) f
                                    * stride) + ": time " + t + " ps breaks the even spacing of " + dt
                                    + " ps (a gap or a restart?)");
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
            if (reader instanceof org.slowdyn.io.JoinedReader joined && joined.overlapsDropped() > 0) {
                source += " (" + joined.overlapsDropped() + " repeated frames at part boundaries dropped)";
            }
        }
        if (frames == 0) {
            throw new InputException(source + ": no frames");
        }
        double interval = frameInterval(settings) * stride;
        if (interval == 0) {
            if (frames < 2 || !(t1 > t0)) {
                throw new ConfigurationException(source + ": the time stamps give no frame interval; set "
                        + "'frameInterval' in the featurizer settings");
            }
            interval = Double.parseDouble(String.format(java.util.Locale.ROOT, "%.6g", t1 - t0));
        }
        return FeatureSeries.wrap(java.util.Arrays.copyOf(values, frames * d), plan.labels(), interval, "ps",
                source);
    }
}
