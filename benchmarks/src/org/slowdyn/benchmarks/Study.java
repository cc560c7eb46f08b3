package org.slowdyn.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.slowdyn.core.FilterContext;
import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.ModelTrainer;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.data.TrajectoryInput;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.featurize.TicaFeaturizer;
import org.slowdyn.featurize.TorsionFeaturizer;
import org.slowdyn.io.Npy;
import org.slowdyn.kinetics.ImpliedTimescales;
import org.slowdyn.kinetics.KineticsSummary;
import org.slowdyn.partition.KMeansPartition;
import org.slowdyn.partition.MetastablePartition;
import org.slowdyn.partition.NearestCentersPartition;
import org.slowdyn.recrossing.CoreSetMilestoning;
import org.slowdyn.recrossing.MinimumDwellFilter;
import org.slowdyn.recrossing.PeakAndStepFilter;
import org.slowdyn.simulate.LangevinSimulator;
import org.slowdyn.train.markov.MarkovChainTrainer;
import org.slowdyn.train.neural.LstmTrainer;
import org.slowdyn.train.neural.TransformerTrainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The study of issue 8: Zeng et al.'s three factors (partition, temporal resolution, dimensionality) and the three
 * generators (Markov baseline, LSTM, Transformer) on the built-in 4-state Langevin system and on alanine dipeptide.
 * Writes {@code results.md}, SVG plots and {@code manifest.json} into the output folder.
 *
 *   Study OUT_DIR [--quick] [--data ../shared/data]
 */
public final class Study {
    /** The stages that nested settings (TICA's featurizer, PCCA+'s microstates) are looked up in. */
    static final org.slowdyn.core.StageRegistry STAGES = org.slowdyn.core.StageRegistry.of(new KMeansPartition(),
            new org.slowdyn.featurize.ColumnFeaturizer());

    /** Wells of the built-in potential and the fast pair each belongs to (SCIENCE.md). */
    static final double[][] WELLS = { { -2, 1 }, { 0.5, 2 }, { -0.5, -2 }, { 2, -1 } };
    static final int[] PAIR = { 0, 0, 1, 1 };
    static final String[] WELL_NAMES = { "(-2,1)", "(0.5,2)", "(-0.5,-2)", "(2,-1)" };

    final boolean quick;
    final Path out;
    final Path data;
    final long seed = 2021;
    final int trainTrajectories, heldOutTrajectories, frames;
    final int[] strides = { 1, 2, 5, 10, 20 };
    final int[] dwells = { 1, 2, 5, 10, 20, 50 };
    final int[] itsLags; // in frames of the original interval
    final int neuralStride, neuralEpochs;
    final ObjectMapper json = new ObjectMapper();
    final ObjectNode manifest = json.createObjectNode();
    final StringBuilder md = new StringBuilder();
    final long started = System.nanoTime();

    Study(Path out, Path data, boolean quick) {
        this.out = out;
        this.data = data;
        this.quick = quick;
        trainTrajectories = quick ? 4 : 10;
        heldOutTrajectories = quick ? 4 : 10;
        frames = quick ? 100_000 : 1_000_000;
        itsLags = new int[] { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000 };
        neuralStride = 20;
        neuralEpochs = quick ? 2 : 4;
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        boolean quick = false;
        Path data = Path.of("../shared/data");
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                quick = true;
            } else if (args[i].equals("--data")) {
                data = Path.of(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Files.createDirectories(out);
        new Study(out, data, quick).run();
    }

    void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[%6.0f s] %s%n", (System.nanoTime() - started) / 1e9,
                String.format(Locale.ROOT, format, args));
    }

    // ---------------------------------------------------------------- data

    List<FeatureSeries> simulate(int trajectories, long seed) {
        Settings s = LangevinSimulator.SCHEMA.defaults().with(LangevinSimulator.TRAJECTORIES, trajectories)
                .with(LangevinSimulator.FRAMES, frames);
        return LangevinSimulator.fourWell().simulate(s, seed, null);
    }

    /**
     * Every {@code stride}-th frame of x, y with the running mean of x over the last 50 time units (Tsai's smoothing,
     * 50 frames at interval 1) and {@code noise} fast noise columns.
     */
    static FeatureSeries features(FeatureSeries xy, int stride, int noise, long seed) {
        FeatureSeries s = xy.stride(stride, 0);
        int n = s.frames(), d = 3 + noise, window = Math.max(1, Math.round(50f / stride));
        double[] v = new double[n * d];
        double sum = 0;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] ou = new double[noise];
        for (int t = 0; t < n; t++) {
            double x = s.get(t, 0);
            sum += x;
            if (t >= window) {
                sum -= s.get(t - window, 0);
            }
            v[t * d] = x;
            v[t * d + 1] = s.get(t, 1);
            v[t * d + 2] = sum / Math.min(t + 1, window);
            for (int k = 0; k < noise; k++) {
                // an Ornstein-Uhlenbeck coordinate with a correlation time of 1 frame and unit variance: fast noise
                ou[k] = Math.exp(-1) * ou[k] + Math.sqrt(1 - Math.exp(-2)) * gauss(rng);
                v[t * d + 3 + k] = ou[k];
            }
        }
        List<String> labels = new ArrayList<>(List.of("x", "y", "xmean"));
        for (int k = 0; k < noise; k++) {
            labels.add("noise" + k);
        }
        return FeatureSeries.wrap(v, labels, s.frameInterval(), s.timeUnit(), s.source());
    }

    static double gauss(SplittableRandom rng) {
        double u = rng.nextDouble(), w = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * w);
    }

    // ---------------------------------------------------------------- partitions

    /** A partition fitted on training features; {@code assign} maps features to states, recrossing filter included. */
    record Scheme(String name, FittedPartition partition, Function<List<FeatureSeries>, List<StateSequence>> assign) {
    }

    static List<StateSequence> assignAll(FittedPartition p, List<FeatureSeries> f) {
        List<StateSequence> s = new ArrayList<>();
        for (FeatureSeries x : f) {
            s.add(p.assign(x));
        }
        return s;
    }

    static Settings nearest(List<String> features, List<List<Double>> centers) {
        return NearestCentersPartition.SCHEMA.defaults().edit().set(NearestCentersPartition.FEATURES, features)
                .set(NearestCentersPartition.CENTERS, centers).done();
    }

    static final List<List<Double>> X_CENTERS = List.of(List.of(-2.0), List.of(-0.5), List.of(0.5), List.of(2.0));

    /**
     * The partition schemes P1..P5 (and the dwell variants), fitted on {@code train}. {@code dwell} > 0 replaces the
     * recrossing filter of P2 and adds one to P5: a minimum dwell of that many frames.
     */
    Scheme scheme(String id, List<FeatureSeries> train, int dwell, int stride) {
        NearestCentersPartition nc = new NearestCentersPartition();
        switch (id) {
        case "P1": {
            FittedPartition p = nc.fit(train, nearest(List.of("x"), X_CENTERS), null);
            return new Scheme("P1 raw nearest-x", p, f -> assignAll(p, f));
        }
        case "P2": {
            FittedPartition p = nc.fit(train, nearest(List.of("xmean"), X_CENTERS), null);
            Function<List<StateSequence>, List<StateSequence>> filter = dwell > 0 ? s -> minDwell(s, dwell)
                    : s -> new PeakAndStepFilter().filter(new FilterContext(s, null, p), PeakAndStepFilter.SCHEMA
                            .defaults().with(PeakAndStepFilter.THRESHOLD, Math.max(1, Math.round(100f / stride))), null)
                            .sequences();
            return new Scheme("P2 Tsai (mean-50 x, nearest-x, " + (dwell > 0 ? "min-dwell " + dwell : "peak-and-step")
                    + ")", p, f -> filter.apply(assignAll(p, f)));
        }
        case "P3": {
            FittedPartition p = kmeans(train, List.of("x", "y"), 100);
            return new Scheme("P3 2D k-means (100)", p, f -> assignAll(p, f));
        }
        case "P4": {
            ObjectNode pcca = json.createObjectNode().put("lag", 10).put("sets", 4);
            pcca.putObject("micro").put("id", KMeansPartition.ID).set("settings", json.createObjectNode()
                    .put("clusters", 100).put("miniBatch", 20_000).put("maxIterations", 50)
                    .put("seed", 7).set("features", json.createArrayNode().add("x").add("y")));
            Settings s = MetastablePartition.SCHEMA.fromJson(pcca, "study", STAGES);
            FittedPartition p = new MetastablePartition().fit(train, s, null);
            return new Scheme("P4 PCCA+ (4) of P3", p, f -> assignAll(p, f));
        }
        case "P5": {
            FittedPartition p = nc.fit(train, nearest(List.of("x", "y"), toLists(WELLS)), null);
            Settings cs = CoreSetMilestoning.SCHEMA.defaults().with(CoreSetMilestoning.FEATURES, List.of("x", "y"));
            // the milestoning filter needs the features
            return new Scheme("P5 2D core sets (r 0.6), milestoning" + (dwell > 0 ? " + min-dwell " + dwell : ""), p,
                    f -> {
                        List<StateSequence> m = new CoreSetMilestoning().filter(new FilterContext(assignAll(p, f), f,
                                p), cs, null).sequences();
                        return dwell > 0 ? minDwell(m, dwell) : m;
                    });
        }
        default:
            throw new IllegalArgumentException(id);
        }
    }

    static List<StateSequence> minDwell(List<StateSequence> s, int k) {
        return new MinimumDwellFilter().filter(new FilterContext(s, null, null), MinimumDwellFilter.SCHEMA.defaults()
                .with(MinimumDwellFilter.MIN_DWELL, k), null).sequences();
    }

    FittedPartition kmeans(List<FeatureSeries> train, List<String> features, int k) {
        Settings s = KMeansPartition.SCHEMA.defaults().edit().set(KMeansPartition.FEATURES, features)
                .set(KMeansPartition.CLUSTERS, k).set(KMeansPartition.MINI_BATCH, 20_000)
                .set(KMeansPartition.MAX_ITERATIONS, 50).set(KMeansPartition.SEED, 7L).done();
        return new KMeansPartition().fit(train, s, null);
    }

    static List<List<Double>> toLists(double[][] a) {
        List<List<Double>> l = new ArrayList<>();
        for (double[] r : a) {
            l.add(List.of(r[0], r[1]));
        }
        return l;
    }

    /** Each state's well: the well nearest to the mean (x, y) of the training frames in that state. */
    static int[] wellOfState(List<StateSequence> states, List<FeatureSeries> features, int n) {
        double[] sx = new double[n], sy = new double[n];
        long[] c = new long[n];
        for (int i = 0; i < states.size(); i++) {
            StateSequence s = states.get(i);
            FeatureSeries f = features.get(i);
            int offset = f.frames() - s.length(); // milestoning drops the frames before the first core
            for (int t = 0; t < s.length(); t++) {
                sx[s.state(t)] += f.get(t + offset, 0);
                sy[s.state(t)] += f.get(t + offset, 1);
                c[s.state(t)]++;
            }
        }
        int[] well = new int[n];
        for (int k = 0; k < n; k++) {
            double best = Double.MAX_VALUE;
            for (int w = 0; w < 4; w++) {
                double dx = sx[k] / Math.max(1, c[k]) - WELLS[w][0], dy = sy[k] / Math.max(1, c[k]) - WELLS[w][1];
                if (dx * dx + dy * dy < best) {
                    best = dx * dx + dy * dy;
                    well[k] = w;
                }
            }
        }
        return well;
    }

    static List<StateSequence> relabel(List<StateSequence> s, int[] map, int n) {
        List<StateSequence> out = new ArrayList<>();
        for (StateSequence x : s) {
            int[] a = x.toArray();
            for (int t = 0; t < a.length; t++) {
                a[t] = map[a[t]];
            }
            out.add(StateSequence.wrap(a, n, x.frameInterval(), x.timeUnit(), x.source()));
        }
        return out;
    }

    // ---------------------------------------------------------------- measures

    /** Kinetic measures of a set of trajectories on a scheme's states; times in the original time unit. */
    record Measures(double slowMfpt, double slowErr, double fastMfpt, double fastErr, double[] populations,
            double[] its, long frames) {
    }

    Measures measure(List<StateSequence> s, int[] well, int[] lags) {
        double dt = s.get(0).frameInterval();
        int[] pair = new int[well.length];
        for (int k = 0; k < well.length; k++) {
            pair[k] = PAIR[well[k]];
        }
        KineticsSummary p = KineticsSummary.of(relabel(s, pair, 2), 100, seed);
        KineticsSummary w = KineticsSummary.of(relabel(s, well, 4), 100, seed);
        double slow = (p.mfpt(0, 1) + p.mfpt(1, 0)) / 2 * dt;
        double slowErr = Math.hypot(p.mfptError(0, 1), p.mfptError(1, 0)) / 2 * dt;
        // fast: within each pair, both directions
        double fast = (w.mfpt(0, 1) + w.mfpt(1, 0) + w.mfpt(2, 3) + w.mfpt(3, 2)) / 4 * dt;
        double fastErr = Math.sqrt(sq(w.mfptError(0, 1)) + sq(w.mfptError(1, 0)) + sq(w.mfptError(2, 3))
                + sq(w.mfptError(3, 2))) / 4 * dt;
        double[] pop = new double[4];
        for (int k = 0; k < 4; k++) {
            pop[k] = w.population(k);
        }
        double[] its = new double[lags.length];
        if (lags.length > 0) {
            ImpliedTimescales t = ImpliedTimescales.estimate(s, lags, 1, true, 0, seed, null);
            for (int l = 0; l < lags.length; l++) {
                its[l] = t.timescale(l, 0) * dt;
            }
        }
        long frames = 0;
        for (StateSequence x : s) {
            frames += x.length();
        }
        return new Measures(slow, slowErr, fast, fastErr, pop, its, frames);
    }

    static double sq(double x) {
        return x * x;
    }

    /** Distinct transitions i -> j (i != j) in {@code generated} that never occur in {@code reference}, and their events. */
    static long[] spurious(List<StateSequence> generated, List<StateSequence> reference, int n) {
        boolean[][] seen = new boolean[n][n];
        for (StateSequence s : reference) {
            for (int t = 1; t < s.length(); t++) {
                seen[s.state(t - 1)][s.state(t)] = true;
            }
        }
        long[][] c = new long[n][n];
        for (StateSequence s : generated) {
            for (int t = 1; t < s.length(); t++) {
                c[s.state(t - 1)][s.state(t)]++;
            }
        }
        long kinds = 0, events = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j && !seen[i][j] && c[i][j] > 0) {
                    kinds++;
                    events += c[i][j];
                }
            }
        }
        return new long[] { kinds, events };
    }

    /** Lags (in frames of the strided data) that correspond to the original lags, those that fit. */
    int[] stridedLags(int stride, long shortest) {
        List<Integer> l = new ArrayList<>();
        for (int lag : itsLags) {
            if (lag % stride == 0 && lag / stride < shortest / 4) {
                l.add(lag / stride);
            }
        }
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    // ---------------------------------------------------------------- generators

    /**
     * Trains {@code trainer} on {@code train} and generates {@code count} trajectories of {@code length} frames, each
     * starting from the first state of a training trajectory.
     */
    List<StateSequence> generate(ModelTrainer trainer, Settings settings, List<StateSequence> train, int count,
            int length) {
        KineticModel m = trainer.train(train, settings, seed, null);
        List<int[]> prefixes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            prefixes.add(new int[] { train.get(i % train.size()).state(0) });
        }
        return m.generate(prefixes, length, seed + 1, 1.0, null);
    }

    Settings lstmSettings() {
        return LstmTrainer.SCHEMA.defaults().edit().set(LstmTrainer.EPOCHS, neuralEpochs)
                .set(LstmTrainer.LEARNING_RATE, 1e-2).set(LstmTrainer.SCHEDULE, "cosine").done();
    }

    Settings transformerSettings() {
        return TransformerTrainer.SCHEMA.defaults().edit().set(TransformerTrainer.EPOCHS, neuralEpochs)
                .set(TransformerTrainer.LEARNING_RATE, 1e-2).set(TransformerTrainer.SCHEDULE, "cosine").done();
    }

    // ---------------------------------------------------------------- the study

    record Row(String scheme, int stride, String generator, Measures m, Measures ref, long[] spurious, double seconds) {
        double slowError() {
            return m.slowMfpt / ref.slowMfpt - 1;
        }

        double fastError() {
            return m.fastMfpt / ref.fastMfpt - 1;
        }
    }

    final List<Row> rows = new ArrayList<>();
    final Map<String, double[][]> itsCurves = new LinkedHashMap<>(); // scheme -> {lags, its} of the reference at stride 1

    void run() throws IOException {
        manifest.put("command", "benchmarks/study.sh" + (quick ? " --quick" : ""));
        manifest.put("seed", seed);
        manifest.put("trainingTrajectories", trainTrajectories);
        manifest.put("heldOutTrajectories", heldOutTrajectories);
        manifest.put("framesPerTrajectory", frames);
        manifest.put("simulator", LangevinSimulator.SCHEMA.defaults().toJson());
        log("simulating %d + %d trajectories of %d frames", trainTrajectories, heldOutTrajectories, frames);
        List<FeatureSeries> trainXy = simulate(trainTrajectories, seed);
        List<FeatureSeries> heldXy = simulate(heldOutTrajectories, seed + 1000);
        log("simulated");

        // Partition and temporal resolution: every scheme at every stride with the Markov baseline
        // the neural generators on P1, P2, P4 and P5 at one interval (P3's 100 microstates are left to the Markov
        // baseline: the time budget of the default run)
        for (String id : List.of("P1", "P2", "P3", "P4", "P5")) {
            for (int stride : strides) {
                study(id, 0, stride, trainXy, heldXy, stride == neuralStride && !id.equals("P3"));
            }
        }
        // Recrossing: the minimum-dwell scan on P2 and P5 at stride 1
        for (String id : List.of("P2", "P5")) {
            for (int dwell : dwells) {
                study(id, dwell, 1, trainXy, heldXy, false);
            }
        }
        // Dimensionality
        dimensionality(trainXy, heldXy);
        alanine();
        write();
    }

    void study(String id, int dwell, int stride, List<FeatureSeries> trainXy, List<FeatureSeries> heldXy,
            boolean neural) {
        List<FeatureSeries> train = new ArrayList<>(), held = new ArrayList<>();
        for (FeatureSeries f : trainXy) {
            train.add(features(f, stride, 0, 0));
        }
        for (FeatureSeries f : heldXy) {
            held.add(features(f, stride, 0, 0));
        }
        Scheme sc = scheme(id, train, dwell, stride);
        List<StateSequence> trainStates = sc.assign().apply(train), heldStates = sc.assign().apply(held);
        evaluate(sc.name(), stride, sc.partition().numberOfStates(), train, trainStates,
                heldStates, neural, dwell == 0 && stride == 1 ? id : null);
    }

    void evaluate(String name, int stride, int n, List<FeatureSeries> train, List<StateSequence> trainStates,
            List<StateSequence> heldStates, boolean neural, String itsKey) {
        int[] well = wellOfState(trainStates, train, n);
        long shortest = heldStates.stream().mapToLong(StateSequence::length).min().orElse(0);
        int[] lags = stridedLags(stride, shortest);
        Measures ref = measure(heldStates, well, lags);
        if (itsKey != null) {
            double[][] curve = new double[2][lags.length];
            for (int l = 0; l < lags.length; l++) {
                curve[0][l] = lags[l] * stride;
                curve[1][l] = ref.its()[l];
            }
            itsCurves.put(name, curve);
        }
        List<StateSequence> all = new ArrayList<>(trainStates);
        all.addAll(heldStates);
        int length = (int) shortest;
        List<String> generators = new ArrayList<>(List.of(MarkovChainTrainer.class.getSimpleName()));
        if (neural) {
            generators.add("LSTM");
            generators.add("Transformer");
        }
        for (String g : generators) {
            try {
                generator(g, name, stride, n, well, ref, trainStates, heldStates, all, length);
            } catch (RuntimeException e) {
                // one failed configuration does not end the study: it is listed on the results page
                failures.add(name + ", interval " + stride + ", " + g + ": " + e);
                log("FAILED %s stride %d %s: %s", name, stride, g, e);
            }
        }
    }

    final List<String> failures = new ArrayList<>();

    private void generator(String g, String name, int stride, int n, int[] well, Measures ref,
            List<StateSequence> trainStates, List<StateSequence> heldStates, List<StateSequence> all, int length) {
        long t0 = System.nanoTime();
        int count = heldStates.size();
        List<StateSequence> gen = switch (g) {
        case "LSTM" -> generate(new LstmTrainer(), lstmSettings(), trainStates, count, length);
        case "Transformer" -> generate(new TransformerTrainer(), transformerSettings(), trainStates,
                quick ? 20 : 100, Math.min(length, quick ? 1_000 : 2_000));
        default -> generate(new MarkovChainTrainer(), MarkovChainTrainer.SCHEMA.defaults(), trainStates, count,
                length);
        };
        // the implied timescales are reported for the reference only: none for the generated trajectories
        Measures m = measure(gen, well, new int[0]);
        String label = g.equals("MarkovChainTrainer") ? "Markov" : g;
        Row r = new Row(name, stride, label, m, ref, spurious(gen, all, n), (System.nanoTime() - t0) / 1e9);
        rows.add(r);
        log("%-55s stride %2d %-11s slow MFPT %8.0f (ref %8.0f, %+.0f%%) fast %6.0f (ref %6.0f) spurious %d/%d",
                name, stride, label, m.slowMfpt(), ref.slowMfpt(), 100 * r.slowError(), m.fastMfpt(),
                ref.fastMfpt(), r.spurious()[0], r.spurious()[1]);
    }

    /** x only, (x, y), and (x, y) plus 8 fast noise coordinates, with and without TICA (2 components, lag 10). */
    void dimensionality(List<FeatureSeries> trainXy, List<FeatureSeries> heldXy) throws IOException {
        int stride = 1;
        List<FeatureSeries> train = new ArrayList<>(), held = new ArrayList<>();
        for (int i = 0; i < trainXy.size(); i++) {
            train.add(features(trainXy.get(i), stride, 8, seed + i));
        }
        for (int i = 0; i < heldXy.size(); i++) {
            held.add(features(heldXy.get(i), stride, 8, seed + 500 + i));
        }
        List<String> noisy = new ArrayList<>(List.of("x", "y"));
        for (int k = 0; k < 8; k++) {
            noisy.add("noise" + k);
        }
        for (Object[] c : new Object[][] { { "D1 x only, k-means (100)", List.of("x") },
                { "D2 x and y, k-means (100)", List.of("x", "y") },
                { "D3 x, y + 8 noise, k-means (100)", noisy } }) {
            @SuppressWarnings("unchecked")
            FittedPartition p = kmeans(train, (List<String>) c[1], 100);
            evaluate((String) c[0], stride, 100, train, assignAll(p, train), assignAll(p, held), false, null);
        }
        // TICA of the 10 columns to 2 components, then k-means: the slow coordinates come back out of the noise
        List<List<FeatureSeries>> t = tica(train, held, noisy);
        FittedPartition p = kmeans(t.get(0), List.of("tic0", "tic1"), 100);
        evaluate("D4 x, y + 8 noise, TICA (2, lag 10) + k-means (100)", stride, 100, t.get(0),
                assignAll(p, t.get(0)), assignAll(p, t.get(1)), false, null);
    }

    /**
     * TICA through the product's featurizer (featurize.tica over featurize.columns reading .npy files), fitted on the
     * training and held-out trajectories together (it uses no labels). Each returned series holds x, y (for the well
     * map only) and the components tic0, tic1.
     */
    List<List<FeatureSeries>> tica(List<FeatureSeries> train, List<FeatureSeries> held, List<String> columns)
            throws IOException {
        Path dir = Files.createTempDirectory("slowdyn-study-tica");
        List<FeatureSeries> all = new ArrayList<>(train);
        all.addAll(held);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            FeatureSeries s = all.get(i).selectColumns(all.get(i).indicesOf(columns, "tica"));
            Path file = dir.resolve("part" + i + ".npy");
            Npy.write(file, new int[] { s.frames(), s.features() }, s.toArray(), true);
            files.add(file);
        }
        ObjectNode settings = json.createObjectNode().put("lag", 10).put("dimensions", 2);
        settings.putObject("features").put("id", "featurize.columns").putObject("settings").put("frameInterval",
                all.get(0).frameInterval());
        manifest.set("tica", settings);
        List<FeatureSeries> tics = new TicaFeaturizer().featurize(TrajectoryInput.ofFiles(files, null),
                TicaFeaturizer.SCHEMA.fromJson(settings, "study", STAGES), null);
        List<List<FeatureSeries>> out = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < all.size(); i++) {
            FeatureSeries xy = all.get(i), tic = tics.get(i);
            double[] v = new double[xy.frames() * 4];
            for (int t = 0; t < xy.frames(); t++) {
                v[4 * t] = xy.get(t, 0);
                v[4 * t + 1] = xy.get(t, 1);
                v[4 * t + 2] = tic.get(t, 0);
                v[4 * t + 3] = tic.get(t, 1);
            }
            out.get(i < train.size() ? 0 : 1).add(FeatureSeries.wrap(v, List.of("x", "y", "tic0", "tic1"),
                    xy.frameInterval(), xy.timeUnit(), xy.source()));
            Files.delete(files.get(i));
        }
        Files.delete(dir);
        return out;
    }

    // ---------------------------------------------------------------- alanine dipeptide

    /** alpha_R (0) or beta/PPII (1) or other (2, alpha_L side), from phi and psi in radians. */
    static int basin(double phi, double psi) {
        if (phi > 0) {
            return 2;
        }
        return psi > -2.2 && psi < 1.0 ? 0 : 1;
    }

    record AlaRow(String scheme, String generator, double[] mfpt, double[] err, double[] ref, double[] refErr,
            long[] spurious, int states) {
    }

    final List<AlaRow> alaRows = new ArrayList<>();

    void alanine() throws IOException {
        Path top = data.resolve("ala2.pdb");
        List<FeatureSeries> parts = new ArrayList<>();
        for (String f : List.of("ala2_0-10ns.xtc", "ala2_10-20ns.xtc")) {
            if (!Files.exists(data.resolve(f))) {
                log("alanine dipeptide skipped: %s not found", data.resolve(f));
                return;
            }
            FeatureSeries t = new TorsionFeaturizer().featurize(TrajectoryInput.ofFiles(List.of(data.resolve(f)), top),
                    TorsionFeaturizer.SCHEMA.defaults(), null).get(0);
            double[] v = new double[t.frames() * 6];
            for (int i = 0; i < t.frames(); i++) {
                double phi = t.get(i, 0), psi = t.get(i, 1);
                double[] row = { phi, psi, Math.cos(phi), Math.sin(phi), Math.cos(psi), Math.sin(psi) };
                System.arraycopy(row, 0, v, 6 * i, 6);
            }
            parts.add(FeatureSeries.wrap(v, List.of("phi", "psi", "cphi", "sphi", "cpsi", "spsi"), t.frameInterval(),
                    t.timeUnit(), f));
        }
        List<FeatureSeries> train = List.of(parts.get(0)), held = List.of(parts.get(1));
        List<String> sincos = List.of("cphi", "sphi", "cpsi", "spsi");
        manifest.putObject("alanine").put("training", "ala2_0-10ns.xtc (10,000 frames, 1 ps)")
                .put("heldOut", "ala2_10-20ns.xtc").put("features", "phi, psi as cos/sin");
        FittedPartition micro = kmeans(train, sincos, 50);
        alaEvaluate("A1 k-means (50) on phi/psi", micro.numberOfStates(), train, assignAll(micro, train),
                assignAll(micro, held));
        ObjectNode pccaJson = json.createObjectNode().put("lag", 10).put("sets", 2);
        pccaJson.putObject("micro").put("id", KMeansPartition.ID).set("settings", json.createObjectNode()
                .put("clusters", 50).put("seed", 7).set("features", json.valueToTree(sincos)));
        Settings pcca = MetastablePartition.SCHEMA.fromJson(pccaJson, "study", STAGES);
        FittedPartition macro = new MetastablePartition().fit(train, pcca, null);
        alaEvaluate("A2 PCCA+ (2) of A1", 2, train, assignAll(macro, train), assignAll(macro, held));
        // core sets on the unit circles of phi and psi: alpha_R at (-1.4, -0.6), beta/PPII at (-1.9, 2.6) rad
        List<List<Double>> centers = List.of(circle(-1.4, -0.6), circle(-1.9, 2.6));
        FittedPartition voronoi = new NearestCentersPartition().fit(train, nearest(sincos, centers), null);
        Settings cores = CoreSetMilestoning.SCHEMA.defaults().edit().set(CoreSetMilestoning.FEATURES, sincos)
                .set(CoreSetMilestoning.CENTERS, centers).set(CoreSetMilestoning.RADIUS, 0.7).done();
        Function<List<FeatureSeries>, List<StateSequence>> milestone = f -> new CoreSetMilestoning().filter(
                new FilterContext(assignAll(voronoi, f), f, voronoi), cores, null).sequences();
        alaEvaluate("A3 core sets (chord radius 0.7), milestoning", 2, train, milestone.apply(train),
                milestone.apply(held));
    }

    static List<Double> circle(double phi, double psi) {
        return List.of(Math.cos(phi), Math.sin(phi), Math.cos(psi), Math.sin(psi));
    }

    void alaEvaluate(String name, int n, List<FeatureSeries> train, List<StateSequence> trainStates,
            List<StateSequence> heldStates) {
        // each state's basin: the basin most of its training frames lie in
        long[][] votes = new long[n][3];
        for (int i = 0; i < trainStates.size(); i++) {
            StateSequence s = trainStates.get(i);
            FeatureSeries f = train.get(i);
            int offset = f.frames() - s.length();
            for (int t = 0; t < s.length(); t++) {
                votes[s.state(t)][basin(f.get(t + offset, 0), f.get(t + offset, 1))]++;
            }
        }
        int[] map = new int[n];
        for (int k = 0; k < n; k++) {
            map[k] = votes[k][1] > votes[k][0] ? 1 : 0; // alpha_L is absent from the data (README of the data)
        }
        KineticsSummary ref = KineticsSummary.of(relabel(heldStates, map, 2), 100, seed);
        List<StateSequence> all = new ArrayList<>(trainStates);
        all.addAll(heldStates);
        int length = heldStates.get(0).length();
        for (String g : List.of("Markov", "LSTM")) {
            // 10,000 frames make 100 windows side by side: windows start every 10 frames instead
            List<StateSequence> gen = g.equals("LSTM") ? generate(new LstmTrainer(), lstmSettings().edit()
                    .set(LstmTrainer.EPOCHS, quick ? 3 : 8).set(LstmTrainer.SHIFT, 10).done(), trainStates, 10, length)
                    : generate(new MarkovChainTrainer(), MarkovChainTrainer.SCHEMA.defaults(), trainStates, 10, length);
            KineticsSummary m = KineticsSummary.of(relabel(gen, map, 2), 100, seed);
            double dt = heldStates.get(0).frameInterval();
            AlaRow r = new AlaRow(name, g, new double[] { m.mfpt(0, 1) * dt, m.mfpt(1, 0) * dt },
                    new double[] { m.mfptError(0, 1) * dt, m.mfptError(1, 0) * dt },
                    new double[] { ref.mfpt(0, 1) * dt, ref.mfpt(1, 0) * dt },
                    new double[] { ref.mfptError(0, 1) * dt, ref.mfptError(1, 0) * dt }, spurious(gen, all, n), n);
            alaRows.add(r);
            log("%-45s %-7s MFPT aR->b %6.1f ps (ref %6.1f), b->aR %6.1f ps (ref %6.1f), spurious %d/%d", name, g,
                    r.mfpt()[0], r.ref()[0], r.mfpt()[1], r.ref()[1], r.spurious()[0], r.spurious()[1]);
        }
    }

    // ---------------------------------------------------------------- output

    static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%+.0f%%", 100 * v) : "n/a";
    }

    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%,.0f", v) : "n/a";
    }

    static String pm(double v, double e) {
        return Double.isFinite(e) ? num(v) + " ± " + num(e) : num(v);
    }

    /** Relative error with its standard error (both estimates' bootstrap errors propagated). */
    static String relErr(double v, double ev, double r, double er) {
        double q = v / r - 1, e = (v / r) * Math.hypot(ev / v, er / r);
        return Double.isFinite(e) ? String.format(Locale.ROOT, "%+.0f ± %.0f%%", 100 * q, 100 * e) : pct(q);
    }

    Row find(String schemePrefix, int stride, String generator) {
        for (Row r : rows) {
            if (r.scheme().startsWith(schemePrefix) && r.stride() == stride && r.generator().equals(generator)) {
                return r;
            }
        }
        return null;
    }

    static double maxPopulationError(Row r) {
        double e = 0;
        for (int k = 0; k < 4; k++) {
            e = Math.max(e, Math.abs(r.m().populations()[k] - r.ref().populations()[k]));
        }
        return e;
    }

    void write() throws IOException {
        Row truthRow = find("P5", 1, "Markov");
        double truth = truthRow == null ? Double.NaN : truthRow.ref().slowMfpt();
        double truthFast = truthRow == null ? Double.NaN : truthRow.ref().fastMfpt();
        StringBuilder m = md;
        m.append("# SlowDyn study: the three factors of Zeng et al. (2021), measured\n\n");
        m.append("Generated by `benchmarks/study.sh").append(quick ? " --quick" : "").append("` (")
                .append(String.format(Locale.ROOT, "%.0f", (System.nanoTime() - started) / 6e10))
                .append(" min on this machine); seeds and settings in [manifest.json](manifest.json).")
                .append(quick ? " **Quick run: small data, numbers are indicative only.**" : "").append("\n\n");
        m.append("## Setup\n\n");
        m.append(String.format(Locale.ROOT, "- Reference: the built-in 4-state Langevin system (SCIENCE.md), %d training "
                + "trajectories and %d held-out trajectories of %,d frames each (frame interval 1 time unit), "
                + "simulated with seeds %d and %d. Every measure of the reference is taken on the held-out set, every "
                + "model is trained on the training set.%n", trainTrajectories, heldOutTrajectories, frames, seed,
                seed + 1000));
        m.append("- Partitions: P1 nearest of x = -2, -0.5, 0.5, 2 on raw x; P2 Tsai's pipeline (running mean of x over "
                + "50 time units, nearest-x, peak-and-step with a threshold of 100 time units); P3 2D k-means with 100 microstates; "
                + "P4 PCCA+ into 4 macrostates of P3 (lag 10); P5 2D core sets of radius 0.6 around the wells with "
                + "last-core milestoning. Partitions are fitted on the training data at each saving interval.\n");
        m.append("- Temporal resolution: every k-th frame (k = 1, 2, 5, 10, 20), offset 0; the models work in saved "
                + "frames (one generated frame = k time units), P2's smoothing window and threshold are fixed in time. "
                + "Times below are always in the original time unit (frames at interval 1).\n");
        m.append("- Measures, on the states of each partition mapped to the four wells (each state goes to the well "
                + "nearest to the mean (x, y) of its training frames): slow MFPT = mean of the direct first-passage "
                + "times between the two well pairs {(-2,1), (0.5,2)} and {(-0.5,-2), (2,-1)}; fast MFPT = mean of the "
                + "four within-pair MFPTs; well populations; slowest implied timescale (reversible maximum-likelihood MSM on "
                + "the partition's states); spurious transitions = distinct state pairs i -> j that a generator produces "
                + "but that never occur in the training or held-out data. Errors: bootstrap over trajectories "
                + "(100 resamples), propagated to the relative errors.\n");
        m.append(String.format(Locale.ROOT, "- Generators: Markov baseline (`train.markov`, lag 1) for every "
                + "configuration; LSTM (`train.lstm`, Tsai size: embedding 8, 64 units, %d "
                + "epochs) and Transformer (`train.transformer`, width 64, 4 heads, 2 blocks, "
                + "context 100, %d epochs), both with a cosine learning-rate schedule from 1e-2, at saving interval %d. The Markov baseline and the LSTM "
                + "generate as many trajectories as the held-out set, each as long as a held-out trajectory; the "
                + "Transformer, whose generation is the slowest, %d trajectories of at most %,d frames. Each "
                + "trajectory starts from the first state of a training trajectory. The epochs and the Transformer's "
                + "shorter trajectories are what the 45-minute budget of the default run allows (the Transformer "
                + "recomputes its window at every generated frame: about 2,000 frames/s for 100 trajectories here).%n%n",
                neuralEpochs,
                neuralEpochs, neuralStride, quick ? 20 : 100, quick ? 1_000 : 2_000));
        m.append(String.format(Locale.ROOT, "Ground truth for the slow process: P5 held-out at interval 1 gives a slow "
                + "MFPT of %s and a fast MFPT of %s time units (SCIENCE.md: about 19,600 and 3,200 from 1.6e7 frames).%n%n",
                num(truth), num(truthFast)));

        m.append("## 1. Partition and generator at saving interval ").append(neuralStride).append("\n\n");
        m.append("| partition | generator | slow MFPT | reference (same states) | rel. error | vs ground truth | "
                + "fast MFPT rel. error | max population error | spurious transitions (kinds / events) | seconds |\n");
        m.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            if (r.stride() == neuralStride && r.scheme().startsWith("P") && !r.scheme().contains("min-dwell")) {
                m.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %.3f | %d / %d | %.0f |%n",
                        r.scheme(), r.generator(), pm(r.m().slowMfpt(), r.m().slowErr()),
                        pm(r.ref().slowMfpt(), r.ref().slowErr()), relErr(r.m().slowMfpt(), r.m().slowErr(),
                                r.ref().slowMfpt(), r.ref().slowErr()), pct(r.m().slowMfpt() / truth - 1),
                        relErr(r.m().fastMfpt(), r.m().fastErr(), r.ref().fastMfpt(), r.ref().fastErr()),
                        maxPopulationError(r), r.spurious()[0], r.spurious()[1], r.seconds()));
            }
        }
        SvgPlot popPlot = new SvgPlot("Well populations at interval " + neuralStride + ": generated vs reference",
                "reference population", "generated population", false, false);
        popPlot.dashed("y = x", new double[] { 0, 0.5 }, new double[] { 0, 0.5 });
        for (String g : List.of("Markov", "LSTM", "Transformer")) {
            List<double[]> xy = new ArrayList<>();
            for (Row r : rows) {
                if (r.stride() == neuralStride && r.generator().equals(g) && r.scheme().startsWith("P")) {
                    for (int k = 0; k < 4; k++) {
                        xy.add(new double[] { r.ref().populations()[k], r.m().populations()[k] });
                    }
                }
            }
            popPlot.points(g + " (P1-P5, 4 wells)", xy.stream().mapToDouble(v -> v[0]).toArray(),
                    xy.stream().mapToDouble(v -> v[1]).toArray());
        }
        popPlot.write(out.resolve("populations.svg"));
        m.append("\n![populations](populations.svg)\n\n");

        m.append("## 2. Temporal resolution: slow MFPT of the Markov baseline and of the reference per saving "
                + "interval\n\n| partition | ");
        for (int k : strides) {
            m.append("k = ").append(k).append(" | ");
        }
        m.append("\n|---|");
        for (int k : strides) {
            m.append("---|");
        }
        m.append("\n");
        SvgPlot mfptPlot = new SvgPlot("Slow MFPT relative error vs saving interval (against the reference on the same "
                + "states)", "saving interval k (frames)", "relative error of the slow MFPT", true, false);
        SvgPlot truthPlot = new SvgPlot("Slow MFPT of the held-out reference vs saving interval",
                "saving interval k (frames)", "slow MFPT (time units)", true, true).horizontal(truth);
        for (String p : List.of("P1", "P2", "P3", "P4", "P5")) {
            Row first = find(p, strides[0], "Markov");
            if (first == null) {
                continue;
            }
            m.append("| ").append(first.scheme()).append(" | ");
            double[] x = new double[strides.length], y = new double[strides.length], ref = new double[strides.length];
            for (int i = 0; i < strides.length; i++) {
                Row r = find(p, strides[i], "Markov");
                x[i] = strides[i];
                y[i] = r.slowError();
                ref[i] = r.ref().slowMfpt();
                m.append(num(r.m().slowMfpt())).append(" vs ").append(num(r.ref().slowMfpt())).append(" (")
                        .append(pct(r.slowError())).append(") | ");
            }
            m.append("\n");
            mfptPlot.line(p + " Markov", x, y);
            truthPlot.line(p + " reference", x, ref);
            for (String g : List.of("LSTM", "Transformer")) {
                Row r = find(p, neuralStride, g);
                if (r != null) {
                    mfptPlot.points(p + " " + g, new double[] { neuralStride }, new double[] { r.slowError() });
                }
            }
        }
        mfptPlot.horizontal(0).write(out.resolve("mfpt-vs-stride.svg"));
        truthPlot.write(out.resolve("reference-mfpt-vs-stride.svg"));
        m.append("\nEach cell: Markov baseline vs held-out reference (relative error). The dotted line in the second "
                + "plot is the ground truth.\n\n![mfpt](mfpt-vs-stride.svg)\n\n![reference](reference-mfpt-vs-stride.svg)\n\n");

        m.append("## 3. Recrossing: minimum-dwell scan at saving interval 1 (Markov baseline)\n\n");
        m.append("| scheme | reference slow MFPT | vs ground truth | reference fast MFPT | Markov slow MFPT rel. error |\n");
        m.append("|---|---|---|---|---|\n");
        for (Row r : rows) {
            if (r.scheme().contains("min-dwell")) {
                m.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", r.scheme(), pm(r.ref().slowMfpt(),
                        r.ref().slowErr()), pct(r.ref().slowMfpt() / truth - 1), num(r.ref().fastMfpt()),
                        pct(r.slowError())));
            }
        }
        m.append("\n## 4. Dimensionality (saving interval 1, Markov baseline)\n\n");
        m.append("| input | reference slow MFPT | vs ground truth | slowest ITS at lag 1 / lag 100 | Markov slow MFPT rel. "
                + "error | spurious |\n|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            if (r.scheme().startsWith("D")) {
                double[] its = r.ref().its();
                m.append(String.format(Locale.ROOT, "| %s | %s | %s | %s / %s | %s | %d |%n", r.scheme(),
                        pm(r.ref().slowMfpt(), r.ref().slowErr()), pct(r.ref().slowMfpt() / truth - 1), num(its[0]),
                        num(its.length > 6 ? its[6] : Double.NaN), pct(r.slowError()), r.spurious()[0]));
            }
        }
        m.append("\n## 5. Implied timescales of the reference (saving interval 1)\n\n| partition | ");
        SvgPlot itsPlot = new SvgPlot("Slowest implied timescale of the held-out reference", "lag (time units)",
                "slowest implied timescale (time units)", true, true);
        boolean header = false;
        for (Map.Entry<String, double[][]> e : itsCurves.entrySet()) {
            double[][] c = e.getValue();
            if (!header) {
                for (double l : c[0]) {
                    m.append("lag ").append(num(l)).append(" | ");
                }
                m.append("\n|---|");
                for (int i = 0; i < c[0].length; i++) {
                    m.append("---|");
                }
                m.append("\n");
                header = true;
            }
            m.append("| ").append(e.getKey()).append(" | ");
            for (double v : c[1]) {
                m.append(num(v)).append(" | ");
            }
            m.append("\n");
            itsPlot.line(e.getKey().substring(0, 2), c[0], c[1]);
        }
        itsPlot.write(out.resolve("its.svg"));
        m.append("\n![its](its.svg)\n\n");

        if (!alaRows.isEmpty()) {
            m.append("## 6. Alanine dipeptide (real MD, `../shared/data`)\n\nTrained on the first 10 ns, compared with "
                    + "the next 10 ns (held out); 10 generated trajectories of 10,000 frames (1 ps); the LSTM with "
                    + "windows every 10 frames, at most " + (quick ? 3 : 8) + " epochs. Basins from "
                    + "phi/psi: alpha_R (phi < 0, -2.2 < psi < 1.0) and beta/PPII (the rest with phi < 0); each state "
                    + "goes to the basin most of its training frames lie in.\n\n");
            m.append("| states | generator | MFPT alpha_R -> beta (ps) | reference | rel. error | MFPT beta -> alpha_R "
                    + "(ps) | reference | rel. error | spurious |\n|---|---|---|---|---|---|---|---|---|\n");
            for (AlaRow r : alaRows) {
                m.append(String.format(Locale.ROOT, "| %s | %s | %.1f ± %.1f | %.1f ± %.1f | %s | %.1f ± %.1f | "
                        + "%.1f ± %.1f | %s | %d / %d |%n", r.scheme(), r.generator(), r.mfpt()[0], r.err()[0],
                        r.ref()[0], r.refErr()[0], relErr(r.mfpt()[0], r.err()[0], r.ref()[0], r.refErr()[0]),
                        r.mfpt()[1], r.err()[1], r.ref()[1], r.refErr()[1], relErr(r.mfpt()[1], r.err()[1],
                                r.ref()[1], r.refErr()[1]), r.spurious()[0], r.spurious()[1]));
            }
            m.append("\n");
        }
        claims(truth);
        if (!failures.isEmpty()) {
            m.append("\n## Configurations that failed\n\n");
            for (String f : failures) {
                m.append("- ").append(f).append("\n");
            }
        }
        Files.writeString(out.resolve("results.md"), md);
        ArrayNode a = manifest.putArray("rows");
        for (Row r : rows) {
            a.addObject().put("scheme", r.scheme()).put("stride", r.stride()).put("generator", r.generator())
                    .put("slowMfpt", r.m().slowMfpt()).put("slowMfptError", r.m().slowErr())
                    .put("referenceSlowMfpt", r.ref().slowMfpt()).put("referenceSlowMfptError", r.ref().slowErr())
                    .put("fastMfpt", r.m().fastMfpt()).put("referenceFastMfpt", r.ref().fastMfpt())
                    .put("spuriousKinds", r.spurious()[0]).put("spuriousEvents", r.spurious()[1])
                    .put("generatedFrames", r.m().frames()).put("referenceFrames", r.ref().frames())
                    .put("seconds", r.seconds());
        }
        manifest.set("lstm", lstmSettings().toJson());
        manifest.set("transformer", transformerSettings().toJson());
        Files.writeString(out.resolve("manifest.json"), json.writerWithDefaultPrettyPrinter()
                .writeValueAsString(manifest));
        log("wrote %s", out.resolve("results.md"));
    }

    /** The verdicts, by stated rules on the numbers above. */
    void claims(double truth) {
        StringBuilder m = md;
        m.append("## Claims\n\nRules: a relative error within 25% counts as reproduced, beyond 50% as failed, in "
                + "between as not resolved; a comparison between two numbers counts only when the difference exceeds "
                + "twice the combined bootstrap error.\n\n");
        // 1: an LSTM reproduces the slow kinetics on a good low-dimensional partition
        Row l5 = find("P5", neuralStride, "LSTM"), l2 = find("P2", neuralStride, "LSTM"),
                l4 = find("P4", neuralStride, "LSTM");
        if (l5 != null) {
            double e = Math.abs(l5.slowError());
            m.append(String.format(Locale.ROOT, "1. **An LSTM on a good low-dimensional partition learns the slow "
                    + "kinetics: %s.** Slow-MFPT error of the LSTM against the held-out reference at interval %d: "
                    + "P5 core sets %s, P4 PCCA+ %s, P2 Tsai %s.%n", verdict(e), neuralStride, pct(l5.slowError()),
                    l4 == null ? "n/a" : pct(l4.slowError()), l2 == null ? "n/a" : pct(l2.slowError())));
        }
        // 2: the three factors decide
        Row p1 = find("P1", 1, "Markov"), p5 = find("P5", 1, "Markov");
        Row d2 = find("D2", 1, "Markov"), d3 = find("D3", 1, "Markov"), d4 = find("D4", 1, "Markov");
        m.append("2. **Dimensionality, temporal resolution and partition decide whether the slow process is "
                + "captured.** ");
        if (p1 != null && p5 != null) {
            m.append(String.format(Locale.ROOT, "Partition: on the held-out data at interval 1 the slow MFPT measured on "
                    + "P1 states is %s of the ground truth, on P5 states %s (%s). ", pct(p1.ref().slowMfpt() / truth - 1),
                    pct(p5.ref().slowMfpt() / truth - 1), Math.abs(p1.ref().slowMfpt() / truth - 1) > 0.5
                            && Math.abs(p5.ref().slowMfpt() / truth - 1) < 0.25 ? "confirmed" : "not resolved"));
        }
        Row p1s = find("P1", strides[strides.length - 1], "Markov");
        if (p1 != null && p1s != null) {
            m.append(String.format(Locale.ROOT, "Resolution: on P1 the reference slow MFPT goes from %s (k = 1) to %s "
                    + "(k = %d) of the ground truth as the saving interval grows, and the Markov baseline's error "
                    + "from %s to %s (see section 2). ", pct(p1.ref().slowMfpt() / truth - 1),
                    pct(p1s.ref().slowMfpt() / truth - 1), strides[strides.length - 1], pct(p1.slowError()),
                    pct(p1s.slowError())));
        }
        if (d2 != null && d3 != null && d4 != null) {
            m.append(String.format(Locale.ROOT, "Dimensionality: k-means on (x, y) gives a Markov slow-MFPT error of %s, "
                    + "on (x, y) plus 8 noise coordinates %s, after TICA %s; the reference on those states is %s, %s "
                    + "and %s of the ground truth.%n", pct(d2.slowError()), pct(d3.slowError()), pct(d4.slowError()),
                    pct(d2.ref().slowMfpt() / truth - 1), pct(d3.ref().slowMfpt() / truth - 1),
                    pct(d4.ref().slowMfpt() / truth - 1)));
        } else {
            m.append("\n");
        }
        // 3: coarse-graining and recrossing removal rescue the slow dynamics
        Row p2 = find("P2", 1, "Markov");
        if (p1 != null && p2 != null && p5 != null) {
            double e1 = Math.abs(p1.ref().its()[0] / p5.ref().its()[0] - 1);
            m.append(String.format(Locale.ROOT, "3. **Coarse-graining and removing recrossings rescue the slow dynamics: "
                    + "%s.** Slowest implied timescale at lag 1 of the held-out data: P1 raw %s, P2 Tsai %s, P4 PCCA+ "
                    + "%s, P5 core sets %s time units (section 5); slow MFPT vs ground truth: P1 %s, P2 %s, P5 %s.%n",
                    e1 > 0.5 && Math.abs(p5.ref().slowMfpt() / truth - 1) < 0.25 ? "confirmed" : "not resolved",
                    num(p1.ref().its()[0]), num(p2.ref().its()[0]),
                    find("P4", 1, "Markov") == null ? "n/a" : num(find("P4", 1, "Markov").ref().its()[0]),
                    num(p5.ref().its()[0]), pct(p1.ref().slowMfpt() / truth - 1), pct(p2.ref().slowMfpt() / truth - 1),
                    pct(p5.ref().slowMfpt() / truth - 1)));
        }
        // 4: a Transformer is no better than an LSTM
        double sumL = 0, sumT = 0;
        int n = 0, better = 0, worse = 0;
        StringBuilder per = new StringBuilder();
        for (String p : List.of("P1", "P2", "P3", "P4", "P5")) {
            Row l = find(p, neuralStride, "LSTM"), t = find(p, neuralStride, "Transformer");
            if (l == null || t == null) {
                continue;
            }
            double el = Math.abs(l.slowError()), et = Math.abs(t.slowError());
            double sl = l.m().slowErr() / l.ref().slowMfpt(), st = t.m().slowErr() / t.ref().slowMfpt();
            if (el - et > 2 * Math.hypot(sl, st)) {
                better++;
            } else if (et - el > 2 * Math.hypot(sl, st)) {
                worse++;
            }
            sumL += el;
            sumT += et;
            n++;
            per.append(String.format(Locale.ROOT, "%s %s vs %s; ", p, pct(t.slowError()), pct(l.slowError())));
        }
        if (n > 0) {
            m.append(String.format(Locale.ROOT, "4. **A Transformer does not do better than an LSTM: %s.** Slow-MFPT "
                    + "error, Transformer vs LSTM: %smean absolute error %.0f%% vs %.0f%%; the Transformer is "
                    + "significantly better on %d and significantly worse on %d of %d partitions.%n",
                    better == 0 ? "confirmed" : better > n / 2 ? "refuted" : "not resolved", per, 100 * sumT / n,
                    100 * sumL / n, better, worse, n));
        }
        if (!alaRows.isEmpty()) {
            m.append("5. **Alanine dipeptide:** ");
            for (AlaRow r : alaRows) {
                m.append(String.format(Locale.ROOT, "%s %s: %s / %s; ", r.scheme().substring(0, 2), r.generator(),
                        pct(r.mfpt()[0] / r.ref()[0] - 1), pct(r.mfpt()[1] / r.ref()[1] - 1)));
            }
            m.append("(relative errors of the alpha_R -> beta / beta -> alpha_R MFPTs against the held-out 10 ns).\n");
        }
    }

    static String verdict(double absoluteError) {
        return absoluteError <= 0.25 ? "reproduced" : absoluteError > 0.5 ? "failed" : "not resolved";
    }
}
