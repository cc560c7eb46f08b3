package org.slowdyn.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.app.report.Format;
import org.slowdyn.core.AtomicFiles;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.Featurizer;
import org.slowdyn.core.FilterResult;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.StageRegistry;
import org.slowdyn.core.TrainerCost;
import org.slowdyn.core.TrainingLog;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.data.TrajectoryInput;
import org.slowdyn.core.settings.NestedStage;
import org.slowdyn.kinetics.ComparisonOptions;
import org.slowdyn.kinetics.DwellDistribution;
import org.slowdyn.kinetics.KineticsComparison;
import org.slowdyn.kinetics.KineticsMeasures;
import org.slowdyn.kinetics.KineticsSummary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runs a {@link StudySpec}: every cell as a composition of {@link PipelineSteps}, with the work cells share done once
 * (an input is read and featurized once per featurizer; a partition is fitted, and the filter applied, once per state
 * model and saving interval), cells in parallel, finished cells kept on disk ({@code cells/KEY.json}) so that a rerun
 * skips them, a failed cell listed while the rest go on, and progress with the time left over the whole study.
 * Every cell is trained on the input's training trajectories and compared with its held-out reference on the same
 * states.
 */
public final class StudyRunner {
    static final String CELL_FORMAT = "slowdyn-study-cell v1";

    private final StageRegistry stages;
    private final StudySpec spec;
    private final Path out;
    private final PrintStream log;
    private final ObjectMapper mapper = new ObjectMapper();
    private volatile String runStarted;

    private final Memo<List<FeatureSeries>> features = new Memo<>();
    private final Memo<Prepared> prepared = new Memo<>();
    /** The basin of every training frame, by input and interval (a few bytes per frame, kept for the study). */
    private final Memo<List<StateSequence>> basinStates = new Memo<>();
    private final Map<String, AtomicInteger> pendingFeatures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> pendingPrepared = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> pendingRaw = new ConcurrentHashMap<>();
    private final Map<String, double[]> estimates = new ConcurrentHashMap<>();

    public StudyRunner(StageRegistry stages, StudySpec spec, Path out, PrintStream log) {
        this.stages = stages;
        this.spec = spec;
        this.out = out;
        this.log = log;
    }

    /**
     * What a study run produced: every cell's result (kept or computed now), the failures by cell key, this run's
     * wall time, and every run of the study into this folder (from {@code runs.json}: start, wall time, cells
     * computed), this one last.
     */
    public record Outcome(Map<String, ObjectNode> results, Map<String, String> failures, double seconds,
            ArrayNode runs) {
    }

    /** A cell's result from an earlier run, or null. */
    private ObjectNode finishedCell(Path cellDir, StudySpec.Cell c) {
        Path f = cellDir.resolve(c.key() + ".json");
        return Files.isRegularFile(f) ? readCell(f) : null;
    }

    /** The cells finished in the study folder by earlier runs, without running any (nor recording a run). */
    public Outcome finished() throws IOException {
        Path cellDir = out.resolve("cells");
        Map<String, ObjectNode> results = new LinkedHashMap<>();
        for (StudySpec.Cell c : spec.cells.values()) {
            ObjectNode done = finishedCell(cellDir, c);
            if (done != null) {
                results.put(c.key(), done);
            }
        }
        log.printf(Locale.ROOT, "slowdyn: study '%s': %d of %d cells finished in %s; none run (--report-only)%n",
                spec.name, results.size(), spec.cells.size(), cellDir);
        return new Outcome(results, Map.of(), 0, previousRuns());
    }

    public Outcome run(IProgressMonitor monitor) throws IOException {
        return run(monitor, StudySpec.Selection.ALL, false);
    }

    public Outcome run(IProgressMonitor monitor, StudySpec.Selection selection, boolean cheapestFirst)
            throws IOException {
        return run(monitor, selection, cheapestFirst, Double.POSITIVE_INFINITY);
    }

    /**
     * Runs the cells of {@code selection} that no earlier run finished; the others are kept (finished) or left for
     * another run. With {@code cheapestFirst} they start in the order of their predicted seconds
     * ({@link #predictedSeconds}), so that a run stopped early has finished as many cells as it could; else in the
     * study's order. The progress counts predicted seconds, and the time left after each cell is predicted by the
     * same rates, updated as cells finish ({@link #timeLeft}).
     * <p>
     * With a finite {@code timeLimit} (seconds of this run) a cell starts only when its predicted seconds
     * ({@link #predictedSeconds}), with {@link #TIME_LIMIT_MARGIN} to spare, end before the limit; the next cell in
     * order that fits starts instead. Cells still running at the limit are stopped (as by a cancellation) and the
     * run returns: its finished cells are kept, and the cells not run are left for another run.
     */
    public Outcome run(IProgressMonitor monitor, StudySpec.Selection selection, boolean cheapestFirst,
            double timeLimit) throws IOException {
        long t0 = System.nanoTime();
        String started = java.time.Instant.now().toString();
        runStarted = started;
        Path cellDir = Files.createDirectories(out.resolve("cells"));
        Map<String, ObjectNode> results = new LinkedHashMap<>();
        List<StudySpec.Cell> todo = new ArrayList<>();
        int notSelected = 0;
        for (StudySpec.Cell c : spec.cells.values()) {
            ObjectNode done = finishedCell(cellDir, c);
            if (done != null) {
                results.put(c.key(), done);
            } else if (!selection.test().test(c)) {
                notSelected++;
            } else {
                todo.add(c);
                for (String part : List.of("training", "heldOut")) {
                    pendingFeatures.computeIfAbsent(featureKey(c, part), k -> new AtomicInteger()).incrementAndGet();
                    pendingRaw.computeIfAbsent(rawKey(c, part), k -> new AtomicInteger()).incrementAndGet();
                }
                pendingPrepared.computeIfAbsent(preparedKey(c), k -> new AtomicInteger()).incrementAndGet();
            }
        }
        int kept = results.size();
        Map<String, double[]> rates = new LinkedHashMap<>(); // seconds and estimated work finished, by rateKey
        for (StudySpec.Cell c : spec.cells.values()) {
            if (results.containsKey(c.key())) {
                addRate(rates, c, results.get(c.key()));
            }
        }
        // each cell's share of the progress: its predicted seconds when the run starts
        Map<StudySpec.Cell, Double> weights = new java.util.HashMap<>();
        todo.forEach(c -> weights.put(c, predictedSeconds(c, rates)));
        if (cheapestFirst) {
            todo.sort(java.util.Comparator.comparingDouble(weights::get)); // stable: the study's order among equals
        }
        log.printf(Locale.ROOT, "slowdyn: study '%s': %d cells, %d kept from earlier runs in %s, %d to run%s, %d at a "
                + "time%n", spec.name, spec.cells.size(), kept, cellDir, todo.size(), selection.text()
                        .isEmpty() ? "" : " (--only " + selection.text() + "; " + notSelected + " left for "
                                + "another run)", spec.parallel);
        double totalWeight = todo.stream().mapToDouble(weights::get).sum();
        // the declared costs alone are relative, not seconds on this machine: no prediction before a cell finished
        double predicted = !todo.isEmpty() && kept > 0 ? timeLeft(new double[0], todo.stream().mapToDouble(
                weights::get).toArray(), spec.parallel) : Double.NaN;
        if (!Double.isNaN(predicted)) {
            log.printf(Locale.ROOT, "slowdyn: predicted about %s for %s (the trainers' declared costs, scaled by the "
                    + "seconds of %d finished cells)%n", seconds(predicted), todo.size() == 1 ? "the cell" : "the "
                            + todo.size() + " cells", kept);
        }
        if (Double.isFinite(timeLimit)) {
            log.printf(Locale.ROOT, "slowdyn: time limit %s: a cell starts when its prediction, with %.0f%% to spare, "
                    + "ends before it%n", seconds(timeLimit), 100 * (TIME_LIMIT_MARGIN - 1));
        }
        Map<String, String> failures = new LinkedHashMap<>();
        Object progressLock = new Object(); // the cells report progress from their own threads
        synchronized (progressLock) {
            monitor.beginTask("Study " + spec.name, Math.max(1, (int) Math.ceil(totalWeight)));
            predictTimeLeft(monitor, predicted);
        }
        ExecutorService pool = Executors.newFixedThreadPool(spec.parallel, r -> {
            Thread t = new Thread(r, "slowdyn-study-cell");
            t.setDaemon(true);
            return t;
        });
        ExecutorCompletionService<ObjectNode> completion = new ExecutorCompletionService<>(pool);
        int finished = 0;
        boolean complete = false, cancelled = false;
        ArrayNode runs = previousRuns();
        Map<Future<ObjectNode>, StudySpec.Cell> cellOf = new LinkedHashMap<>(); // in the order submitted
        Map<StudySpec.Cell, CellProgress> progress = new LinkedHashMap<>();
        List<StudySpec.Cell> waiting = new ArrayList<>(todo); // not started yet, in the order they start
        // System.nanoTime of the limit (compared by difference, which survives a wrap); beyond 30 years, none
        long deadline = timeLimit < 1e9 ? t0 + (long) (timeLimit * 1e9) : Long.MAX_VALUE;
        boolean atLimit = false, limitReached = false; // cells still running at the limit; cells left by it
        // starts waiting cells while fewer than 'parallel' run (and, with a time limit, while one fits)
        java.util.function.IntUnaryOperator fill = running -> {
            for (StudySpec.Cell n; running < spec.parallel && (n = nextToStart(waiting, rates, timeLimit,
                    (System.nanoTime() - t0) / 1e9)) != null; running++) {
                StudySpec.Cell c = n;
                CellProgress cellProgress = new CellProgress(monitor, progressLock, spec.cellName(c), weights.get(c));
                progress.put(c, cellProgress);
                cellOf.put(completion.submit(() -> runCell(c, cellProgress)), c);
            }
            return running;
        };
        try {
            int running = fill.applyAsInt(0);
            while (running > 0) { // in the order the cells finish
                StudySpec.Cell c = null;
                try {
                    Future<ObjectNode> f = next(completion, monitor, deadline);
                    if (f == null) {
                        atLimit = true;
                        break;
                    }
                    running--;
                    c = cellOf.get(f);
                    keep(c.key(), f.get(), results, cellDir);
                } catch (ExecutionException x) {
                    Throwable cause = x.getCause();
                    if (cause instanceof OperationCanceledException oce) {
                        throw oce;
                    }
                    String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
                    failures.put(c.key(), message);
                    log.println("slowdyn: cell " + spec.cellName(c) + " FAILED: " + message);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    throw new OperationCanceledException();
                }
                finished++;
                double cellSeconds = failures.containsKey(c.key()) ? Double.NaN
                        : results.get(c.key()).path("seconds").path("total").asDouble();
                if (!Double.isNaN(cellSeconds)) {
                    addRate(rates, c, results.get(c.key()));
                }
                progress.get(c).finish();
                double elapsed = (System.nanoTime() - t0) / 1e9;
                // the work left, predicted by the rates so far: the parts of the running cells they have not
                // reported (each reports in shares of its weight), and the cells not started
                double[] runningLeft = progress.entrySet().stream().filter(e -> !results.containsKey(e.getKey()
                        .key()) && !failures.containsKey(e.getKey().key())).mapToDouble(e -> predictedSeconds(e
                                .getKey(), rates) * (1 - e.getValue().reported() / Math.max(weights.get(e.getKey()),
                                        Double.MIN_NORMAL))).toArray();
                double eta = timeLeft(runningLeft, waiting.stream().mapToDouble(w -> predictedSeconds(w, rates))
                        .toArray(), spec.parallel);
                log.printf(Locale.ROOT, "slowdyn: [%d/%d] %s %s; elapsed %s, about %s left%s%n", finished,
                        todo.size(), spec.cellName(c), Double.isNaN(cellSeconds) ? "failed" : "done ("
                                + seconds(cellSeconds) + ")", seconds(elapsed), seconds(eta),
                        Double.isFinite(timeLimit) ? " (time limit in " + seconds(timeLimit - elapsed) + ")" : "");
                synchronized (progressLock) {
                    predictTimeLeft(monitor, eta);
                }
                running = fill.applyAsInt(running);
            }
            if (atLimit || !waiting.isEmpty()) {
                limitReached = true;
                log.printf(Locale.ROOT, "slowdyn: time limit %s: %s%s left for another run%s%n", seconds(timeLimit),
                        atLimit ? "stopped " + cells(cellOf.size() - finished) + " still running; " : "",
                        cells(todo.size() - finished), waiting.isEmpty() ? "" : cheapestLeft(waiting, rates));
            } else {
                complete = true;
            }
        } catch (OperationCanceledException e) {
            cancelled = true;
            throw e;
        } finally {
            pool.shutdownNow();
            synchronized (progressLock) { // cells still stopping report no more
                progress.values().forEach(CellProgress::close);
                monitor.done();
            }
            if (!complete) { // cells that finished as the run stopped are kept too
                finished += keepFinished(cellOf, results, failures, cellDir);
            }
            // a run that computed cells is recorded, also when it was cancelled: its finished cells are kept
            if (!todo.isEmpty()) {
                ObjectNode run = runs.addObject().put("started", started).put("wallSeconds", (System.nanoTime() - t0)
                        / 1e9).put("cellsComputed", finished - failures.size()).put("cellsKept", kept)
                        .put("cellsFailed", failures.size()).put("parallel", spec.parallel);
                if (!selection.text().isEmpty()) {
                    run.put("only", selection.text()).put("cellsNotSelected", notSelected);
                }
                if (Double.isFinite(timeLimit)) {
                    run.put("timeLimitSeconds", timeLimit);
                }
                if (!complete) {
                    run.put("cellsNotRun", todo.size() - finished).put(cancelled ? "cancelled"
                            : limitReached ? "stoppedAtTimeLimit" : "stoppedByError", true);
                }
                AtomicFiles.writeString(out.resolve("runs.json"), mapper.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(runs));
            }
        }
        Map<String, ObjectNode> inStudyOrder = new LinkedHashMap<>(); // the cells finished in any order
        for (StudySpec.Cell c : spec.cells.values()) {
            if (results.containsKey(c.key())) {
                inStudyOrder.put(c.key(), results.get(c.key()));
            }
        }
        return new Outcome(inStudyOrder, failures, (System.nanoTime() - t0) / 1e9, runs);
    }

    /** Writes a finished cell into the study folder and adds it to the results. */
    private void keep(String key, ObjectNode result, Map<String, ObjectNode> results, Path cellDir)
            throws IOException {
        AtomicFiles.writeString(cellDir.resolve(key + ".json"), mapper.writerWithDefaultPrettyPrinter()
                .writeValueAsString(result));
        results.put(key, result);
    }

    /**
     * After a run stopped early: writes the cells whose work finished but that were not collected yet (they finished
     * as the run stopped), and returns how many.
     */
    private int keepFinished(Map<Future<ObjectNode>, StudySpec.Cell> cellOf, Map<String, ObjectNode> results,
            Map<String, String> failures, Path cellDir) throws IOException {
        int kept = 0;
        for (Map.Entry<Future<ObjectNode>, StudySpec.Cell> e : cellOf.entrySet()) {
            String key = e.getValue().key();
            Future<ObjectNode> f = e.getKey();
            if (results.containsKey(key) || failures.containsKey(key) || !f.isDone() || f.isCancelled()) {
                continue;
            }
            try {
                keep(key, f.get(), results, cellDir);
                kept++;
            } catch (ExecutionException | InterruptedException x) {
                // interrupted by the stop, or failed: not run
            }
        }
        return kept;
    }

    /**
     * A cell may start when its predicted seconds times this end before the time limit: cells of one trainer at one
     * size vary, as early stopping ends their training after more or fewer epochs (the paper study's LSTM on P3 at
     * saving interval 10 trained for 167 to 220 s).
     */
    static final double TIME_LIMIT_MARGIN = 1.25;

    /**
     * Removes and returns the first waiting cell that fits before the time limit ({@code elapsed} seconds into the
     * run), or null when none does; without a limit, the first waiting cell.
     */
    private StudySpec.Cell nextToStart(List<StudySpec.Cell> waiting, Map<String, double[]> rates, double timeLimit,
            double elapsed) {
        for (java.util.Iterator<StudySpec.Cell> it = waiting.iterator(); it.hasNext();) {
            StudySpec.Cell c = it.next();
            if (!Double.isFinite(timeLimit) || elapsed + TIME_LIMIT_MARGIN * predictedSeconds(c, rates) <= timeLimit) {
                it.remove();
                return c;
            }
        }
        return null;
    }

    /**
     * A cell's predicted seconds: its estimate ({@link #stepSeconds}), the part after preparing the states scaled by
     * the measured seconds per estimated second of the finished cells of its trainer with its settings on its state
     * model (the estimates do not see the number of states, and the comparison on 100 states takes far longer than on
     * 4); else of its trainer with its settings; else of the slowest settings of its trainer on its state model; else
     * of the slowest settings of its trainer; else of any trainer; unscaled when no cell has finished. A trainer whose
     * declared cost is off on this machine is so predicted by what its cells took here. Its settings come first: a
     * declared cost counts every epoch allowed, and the paper study's first LSTM cell at Zeng's size, which ran all of
     * its 5 epochs, took 38.2 min where the cells at Tsai's size, most stopped early at 18 to 35 of 60 epochs,
     * predicted 14.9. Settings not run yet take the slowest rate, not a mixture: a cell that a time limit stops loses
     * all its work, and one that did not start loses none.
     */
    double predictedSeconds(StudySpec.Cell c, Map<String, double[]> rates) {
        double[] e = estimate(c);
        double[] r = rates.getOrDefault(rateKey(c, true), rates.get(rateKey(c, false)));
        for (boolean states : new boolean[] { true, false }) {
            if (r != null) {
                break;
            }
            for (StudySpec.Cell o : spec.cells.values()) { // finished cells of the trainer's other settings
                if (!o.pipeline().trainer().stage().id().equals(c.pipeline().trainer().stage().id())
                        || states && !(o.input().equals(c.input()) && o.states().equals(c.states()))) {
                    continue; // skipped before its key (a settings JSON) is built
                }
                double[] other = rates.get(rateKey(o, states));
                if (other != null && (r == null || other[0] * r[1] > r[0] * other[1])) {
                    r = other;
                }
            }
        }
        if (r == null) {
            r = new double[2]; // every cell is in both levels once, which leaves the ratio as one level has it
            for (Map.Entry<String, double[]> v : rates.entrySet()) {
                if (v.getKey().startsWith("trainer ")) {
                    r[0] += v.getValue()[0];
                    r[1] += v.getValue()[1];
                }
            }
        }
        double scale = r[1] > 0 ? r[0] / r[1] : 1;
        return e[0] + scale * (java.util.Arrays.stream(e).sum() - e[0]);
    }

    /** "1 cell", "3 cells". */
    static String cells(int n) {
        return n + (n == 1 ? " cell" : " cells");
    }

    /** " (the cheapest left, NAME, is predicted to take T)". */
    private String cheapestLeft(List<StudySpec.Cell> waiting, Map<String, double[]> rates) {
        StudySpec.Cell c = waiting.stream().min(java.util.Comparator.comparingDouble(w -> predictedSeconds(w, rates)))
                .orElseThrow();
        return " (the cheapest left, " + spec.cellName(c) + ", is predicted to take " + seconds(predictedSeconds(c,
                rates)) + ")";
    }

    /** The key of a cell's rate: its trainer's id and settings, and with {@code states} its input and state model. */
    private static String rateKey(StudySpec.Cell c, boolean states) {
        String trainer = "trainer " + c.pipeline().trainer().stage().id() + " " + c.pipeline().trainer().settings()
                .toJson();
        return states ? trainer + " on " + c.input() + " / " + c.states() : trainer;
    }

    /** Adds a finished cell's own seconds and estimated work ({@link #ownWork}) to its rates. */
    void addRate(Map<String, double[]> rates, StudySpec.Cell c, JsonNode result) {
        double[] own = ownWork(result.path("seconds"), estimate(c));
        if (own[0] >= 0 && own[1] > 0) {
            for (boolean states : new boolean[] { false, true }) {
                double[] r = rates.computeIfAbsent(rateKey(c, states), k -> new double[2]);
                r[0] += own[0];
                r[1] += own[1];
            }
        }
    }

    /**
     * A finished cell's seconds and estimated work for the rate of the time left, both without preparing its states:
     * those are shared (an input is simulated or read, featurized and partitioned once for every cell that needs
     * it), so the first cells pay for the others. A study's first cell of a minute that simulated the input for 14
     * cells of seconds would otherwise make the time left several times too long.
     *
     * @param seconds      the cell's measured seconds by step ("prepare" and "total")
     * @param stepSeconds  its estimated seconds by step, from {@link #stepSeconds}
     */
    static double[] ownWork(JsonNode seconds, double[] stepSeconds) {
        double estimated = java.util.Arrays.stream(stepSeconds).sum() - stepSeconds[0];
        return new double[] { seconds.path("total").asDouble() - seconds.path("prepare").asDouble(), estimated };
    }

    /**
     * The seconds until the last cell ends: the running cells' seconds left, then the waiting cells in the order they
     * start, each on the first of the {@code parallel} slots to come free. The sum over the slots would be too short
     * when one long cell ends the run alone (the paper study's last Transformer cells).
     *
     * @param running  the seconds left to each running cell
     * @param waiting  the seconds of each cell not started, in the order they start
     */
    static double timeLeft(double[] running, double[] waiting, int parallel) {
        java.util.PriorityQueue<Double> free = new java.util.PriorityQueue<>(); // when each slot comes free
        for (double r : running) {
            free.add(r);
        }
        while (free.size() < parallel) {
            free.add(0.0);
        }
        for (double w : waiting) {
            free.add(free.poll() + w);
        }
        return free.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    /**
     * Gives the console the time left that this run logs (NaN: none yet), so that its progress line says what the
     * per-cell predictions say rather than extrapolate the share done.
     */
    private static void predictTimeLeft(IProgressMonitor monitor, double seconds) {
        if (monitor instanceof ConsoleProgressMonitor console) {
            console.timeLeft(seconds);
        }
    }

    /**
     * The next cell to finish, waiting for it while watching the monitor: a cancellation stops the run at once (the
     * cells still running are interrupted), not when the next cell happens to check it. Null at the {@code deadline}
     * ({@link System#nanoTime}; {@link Long#MAX_VALUE}: none).
     */
    private static Future<ObjectNode> next(ExecutorCompletionService<ObjectNode> completion,
            IProgressMonitor monitor, long deadline) throws InterruptedException {
        while (true) {
            if (monitor.isCanceled()) {
                throw new OperationCanceledException();
            }
            if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0) {
                return null; // the time limit: the caller stops the cells still running
            }
            Future<ObjectNode> f = completion.poll(200, TimeUnit.MILLISECONDS);
            if (f != null) {
                return f;
            }
        }
    }

    private ArrayNode previousRuns() {
        try {
            JsonNode n = mapper.readTree(out.resolve("runs.json").toFile());
            if (n.isArray()) {
                return (ArrayNode) n;
            }
        } catch (IOException e) {
            // first run into this folder, or a damaged list: start a new one
        }
        return mapper.createArrayNode();
    }

    /**
     * The survival of stays ({@link RunReport#survivalPoints}) as {"t": [...], "fraction": [...]}, t in time units;
     * {@code lengths} sorted, as {@link DwellDistribution#lengths} gives them.
     */
    private static void survivalJson(ObjectNode o, int[] lengths, double dt) {
        double[][] p = RunReport.survivalPoints(lengths, dt);
        ArrayNode t = o.putArray("t"), f = o.putArray("fraction");
        for (int i = 0; i < p[0].length; i++) {
            t.add(p[0][i]);
            f.add(p[1][i]);
        }
    }

    /**
     * Seconds per frame outside training and generation, roughly: preparing the states (per training and reference
     * frame; k-means or a partition, cached after the first cell that needs them) and the kinetics (per reference
     * and generated frame). With them, the paper study's Markov cells, which train and generate in under a second,
     * are estimated at 6 s at saving interval 1 and 1 to 2 s at 5 to 20; their medians took 5 and 1 to 3 s.
     */
    private static final double STATES_PER_FRAME = 1e-7, KINETICS_PER_FRAME = 2e-7;

    /**
     * A cell's estimated seconds by step (preparing the states, training, generating, the kinetics): training and
     * generation as its trainer's {@link org.slowdyn.core.ModelTrainer#cost} says, for its training frames at its
     * saving interval (the training part of a time split) and the frames it generates.
     */
    static double[] stepSeconds(StudySpec spec, StudySpec.Cell c) {
        Pipeline p = c.pipeline();
        double frames = PipelineRunner.input(p)[1], split = spec.split(c.input());
        double training = Double.isNaN(split) ? frames : frames * split;
        double reference = Double.isNaN(split) ? frames : frames - training; // separate held-out: taken as long
        double generated = PipelineRunner.generatedFrames(p, reference);
        TrainerCost cost = p.trainer().stage().cost(p.trainer().settings());
        return new double[] { (training + reference) * STATES_PER_FRAME, training * cost.secondsPerTrainingFrame(),
                generated * cost.secondsPerGeneratedFrame(), (reference + generated) * KINETICS_PER_FRAME };
    }

    /** A cell's {@link #stepSeconds}, worked out once per run (a file input's size is read from disk). */
    private double[] estimate(StudySpec.Cell c) {
        return estimates.computeIfAbsent(c.key(), k -> stepSeconds(spec, c));
    }

    /**
     * A cell's estimated seconds, the sum of its {@link #stepSeconds}: what a run predicts for it before any cell has
     * finished ({@link #predictedSeconds} scales them by what finished cells took).
     */
    static double weight(StudySpec spec, StudySpec.Cell c) {
        return java.util.Arrays.stream(stepSeconds(spec, c)).sum();
    }

    /**
     * Shares of a cell's progress by step, in percent and at least 1 each, from {@link #stepSeconds}. The
     * Transformer on P2 trained for 93% of its cell's time at saving interval 1 (3,590 s of 3,873) and 35% at 20
     * (178 of 509, the rest generating); its declared cost gives 92% and 36%. A Markov cell's time goes to the
     * states and the kinetics.
     */
    static int[] steps(StudySpec spec, StudySpec.Cell c) {
        return steps(stepSeconds(spec, c));
    }

    private static int[] steps(double[] seconds) {
        double total = java.util.Arrays.stream(seconds).sum();
        int[] steps = new int[seconds.length];
        int largest = 0, sum = 0;
        for (int i = 0; i < steps.length; i++) {
            steps[i] = (int) Math.max(1, Math.round(100 * seconds[i] / total));
            sum += steps[i];
            largest = seconds[i] > seconds[largest] ? i : largest;
        }
        steps[largest] += 100 - sum; // rounding, and the steps raised to 1, come off the largest
        return steps;
    }

    /** Seconds for a reader: "45 s", "13.8 min", "25.0 h". */
    static String seconds(double s) {
        if (!Double.isFinite(s)) {
            return "?";
        }
        return s < 120 ? String.format(Locale.ROOT, "%.0f s", s) : s < 7200
                ? String.format(Locale.ROOT, "%.1f min", s / 60) : String.format(Locale.ROOT, "%.1f h", s / 3600);
    }

    private ObjectNode readCell(Path f) {
        try {
            JsonNode n = mapper.readTree(f.toFile());
            return n.isObject() && CELL_FORMAT.equals(n.path("format").asText()) ? (ObjectNode) n : null;
        } catch (IOException e) {
            return null; // damaged: run the cell again
        }
    }

    // ---- shared work -------------------------------------------------------------------------------------------

    /** A state model at a saving interval, fitted on the training part and applied to both parts. */
    record Prepared(FilterResult training, FilterResult heldOut, List<String> stateLabels, int[] basinOfState,
            double frameInterval, String timeUnit) {
    }

    /** The trajectories of one part of an input; a time split reads the training part's. */
    private String rawKey(StudySpec.Cell c, String part) {
        return c.input() + "|" + (Double.isNaN(spec.split(c.input())) ? part : "training");
    }

    private String featureKey(StudySpec.Cell c, String part) {
        return c.input() + "|" + part + "|" + spec.states.get(c.states()).get("featurizer");
    }

    private String preparedKey(StudySpec.Cell c) {
        return c.input() + "|" + c.states() + "|" + c.stride();
    }

    private List<FeatureSeries> features(StudySpec.Cell c, String part, IProgressMonitor monitor) throws Exception {
        if (!Double.isNaN(spec.split(c.input()))) {
            return part(features.get(featureKey(c, "training"),
                    () -> featurize(c, "training", c.pipeline().featurizer(), monitor)), c.input(), part);
        }
        return features.get(featureKey(c, part), () -> featurize(c, part, c.pipeline().featurizer(), monitor));
    }

    /** For a time split, the training part (first frames) or held-out part (the rest) of every trajectory. */
    private List<FeatureSeries> part(List<FeatureSeries> all, String input, String part) {
        double split = spec.split(input);
        if (Double.isNaN(split)) {
            return all;
        }
        List<FeatureSeries> partOf = new ArrayList<>();
        for (FeatureSeries f : all) {
            int cut = (int) Math.round(f.frames() * split);
            partOf.add(part.equals("training") ? slice(f, 0, cut) : slice(f, cut, f.frames()));
        }
        return partOf;
    }

    private List<FeatureSeries> featurize(StudySpec.Cell c, String part, NestedStage<Featurizer> f,
            IProgressMonitor monitor) throws IOException {
        return PipelineSteps.featurize(f, rawInput(c, part, monitor), monitor);
    }

    private final Memo<TrajectoryInput> raw = new Memo<>();

    /** The trajectories of one part of an input; a simulated part takes the study seed (+1000 for held-out). */
    private TrajectoryInput rawInput(StudySpec.Cell c, String part, IProgressMonitor monitor) throws IOException {
        try {
            return raw.get(rawKey(c, part), () -> {
                Pipeline pipeline = variant(c, part, null, null);
                long seed = spec.seed + (part.equals("training") ? 0 : 1000);
                // the study's cell keys hold the files' digests already (StudySpec): none computed again here
                return PipelineSteps.input(pipeline, seed, false, monitor).trajectories();
            });
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * The cell's pipeline on one part of its input, with another featurizer and partition where given (validated
     * like any pipeline).
     */
    private Pipeline variant(StudySpec.Cell c, String part, JsonNode featurizer, JsonNode partition) {
        ObjectNode p = c.pipeline().toJson();
        JsonNode in = spec.inputs.get(c.input()).get(part);
        p.set("input", in.has("split") ? spec.inputs.get(c.input()).get("training") : in);
        if (featurizer != null) {
            p.set("featurizer", featurizer);
            p.set("partition", partition);
        }
        return Pipeline.parse(p.toString(), spec.source + ": inputs." + c.input() + "." + part, spec.baseDir,
                stages);
    }

    static FeatureSeries slice(FeatureSeries f, int from, int to) {
        int d = f.features();
        double[] v = java.util.Arrays.copyOfRange(f.toArray(), from * d, to * d);
        return FeatureSeries.wrap(v, f.labels(), f.frameInterval(), f.timeUnit(),
                f.source() + " [frames " + from + "-" + to + "]");
    }

    private Prepared prepare(StudySpec.Cell c, IProgressMonitor monitor) throws Exception {
        return prepared.get(preparedKey(c), () -> {
            Pipeline p = c.pipeline();
            List<FeatureSeries> train = PipelineSteps.stride(features(c, "training", monitor), c.stride());
            List<FeatureSeries> held = PipelineSteps.stride(features(c, "heldOut", monitor), c.stride());
            PipelineSteps.Partitioned fitted = PipelineSteps.partition(p.partition(), train, monitor);
            FilterResult t = PipelineSteps.filter(p.filter(), fitted, monitor);
            FilterResult h = PipelineSteps.filter(p.filter(), PipelineSteps.assign(fitted, held), monitor);
            int[] basins = basinOfState(c, train, t, monitor);
            return new Prepared(t, h, PipelineSteps.stateLabels(t, fitted.partition()), basins,
                    train.get(0).frameInterval(), train.get(0).timeUnit());
        });
    }

    /**
     * Each state's basin: the basin most of its training frames lie in, by the input's basin partition on the same
     * frames. Frames a filter dropped are at the start of a trajectory (milestoning), and a dropped trajectory is
     * recognised by its source; null when the input defines no basins.
     */
    private int[] basinOfState(StudySpec.Cell c, List<FeatureSeries> train, FilterResult filtered,
            IProgressMonitor monitor) throws Exception {
        JsonNode b = spec.inputs.get(c.input()).path("basins");
        if (b.isMissingNode()) {
            return null;
        }
        // the basins of the training frames at this interval, once per input and interval for all state models
        List<StateSequence> basinOfFrame = basinStates.get(c.input() + "|" + c.stride(), () -> {
            Pipeline basinPipeline = variant(c, "training", b.get("featurizer"), b.get("partition"));
            List<FeatureSeries> all = features.get(c.input() + "|training|" + b.get("featurizer"),
                    () -> featurize(c, "training", basinPipeline.featurizer(), monitor));
            return PipelineSteps.partition(basinPipeline.partition(), PipelineSteps.stride(part(all, c.input(),
                    "training"), c.stride()), monitor).states();
        });
        int n = filtered.sequences().get(0).numberOfStates();
        int basins = basinOfFrame.get(0).numberOfStates();
        long[][] votes = new long[n][basins];
        int next = 0;
        for (StateSequence s : filtered.sequences()) {
            while (next < train.size() && !(s.source().startsWith(train.get(next).source())
                    && train.get(next).frames() >= s.length())) {
                next++;
            }
            if (next == train.size()) {
                throw new ConfigurationException("basins: cannot match filtered trajectory " + s.source()
                        + " to its input trajectory");
            }
            StateSequence basin = basinOfFrame.get(next);
            int offset = basin.length() - s.length();
            for (int i = 0; i < s.length(); i++) {
                votes[s.state(i)][basin.state(offset + i)]++;
            }
            next++;
        }
        int[] map = new int[n];
        for (int s = 0; s < n; s++) {
            int best = -1;
            for (int k = 0; k < basins; k++) {
                if (votes[s][k] > 0 && (best < 0 || votes[s][k] > votes[s][best])) {
                    best = k;
                }
            }
            map[s] = best;
        }
        return map;
    }

    // ---- one cell ----------------------------------------------------------------------------------------------

    private ObjectNode runCell(StudySpec.Cell c, IProgressMonitor monitor) throws Exception {
        long t0 = System.nanoTime();
        Map<String, Double> seconds = new LinkedHashMap<>();
        int[] w = steps(estimate(c));
        SubMonitor progress = SubMonitor.convert(monitor, 100);
        progress.subTask("states");
        Prepared prep = prepare(c, progress.split(w[0]));
        for (String part : List.of("training", "heldOut")) {
            release(pendingFeatures, featureKey(c, part), features);
            release(pendingRaw, rawKey(c, part), raw);
        }
        seconds.put("prepare", PipelineRunner.elapsed(t0));
        Pipeline p = c.pipeline();
        Map<String, Long> seeds = PipelineSteps.derivedSeeds(c.trainingSeed());
        try {
            long t = System.nanoTime();
            progress.subTask("training " + p.trainer().stage().id());
            KineticModel model = PipelineSteps.train(p.trainer(), prep.training().sequences(), seeds.get("training"),
                    null, progress.split(w[1]));
            seconds.put("train", PipelineRunner.elapsed(t));
            t = System.nanoTime();
            progress.subTask("generating");
            PipelineSteps.Generation g = PipelineSteps.generate(model, prep.heldOut().sequences(), p.generate(),
                    p.generate().get(Pipeline.PREFIX_FRAMES), seeds.get("generation"), progress.split(w[2]));
            seconds.put("generate", PipelineRunner.elapsed(t));
            t = System.nanoTime();
            progress.subTask("kinetics");
            ComparisonOptions options = PipelineSteps.comparisonOptions(p.kinetics());
            KineticsComparison comparison = KineticsComparison.compare(g.used(), List.of(
                    new KineticsComparison.Generated(c.trainer(), g.generated(), g.step())), options,
                    seeds.get("bootstrap"), progress.split(w[3]));
            ObjectNode r = measures(c, prep, comparison, options, seeds.get("bootstrap"), model.trainingLog()
                    .orElse(null));
            seconds.put("compare", PipelineRunner.elapsed(t));
            seconds.put("total", PipelineRunner.elapsed(t0));
            ObjectNode s = r.putObject("seconds");
            seconds.forEach(s::put);
            return r;
        } finally {
            release(pendingPrepared, preparedKey(c), prepared);
        }
    }

    private static <T> void release(Map<String, AtomicInteger> pending, String key, Memo<T> memo) {
        AtomicInteger left = pending.get(key);
        if (left != null && left.decrementAndGet() == 0) {
            memo.forget(key);
        }
    }

    private ObjectNode measures(StudySpec.Cell c, Prepared prep, KineticsComparison comparison, ComparisonOptions o,
            long seed, TrainingLog trainingLog) {
        KineticsMeasures ref = comparison.reference(), gen = comparison.generators().get(0);
        double dt = prep.frameInterval();
        ObjectNode r = mapper.createObjectNode();
        r.put("format", CELL_FORMAT);
        r.put("key", c.key());
        r.put("input", c.input());
        r.put("states", c.states());
        r.put("stride", c.stride());
        r.put("trainer", c.trainer());
        r.put("trainerId", c.pipeline().trainer().stage().id());
        r.put("trainingSeed", c.trainingSeed());
        r.put("finished", java.time.Instant.now().toString());
        r.put("run", runStarted);
        r.put("numberOfStates", comparison.numberOfStates());
        r.put("frameInterval", dt);
        r.put("timeUnit", prep.timeUnit());
        r.put("trainingTrajectories", prep.training().sequences().size());
        r.put("trainingFrames", prep.training().sequences().stream().mapToLong(StateSequence::length).sum());
        r.put("referenceTrajectories", ref.trajectories());
        r.put("referenceFrames", ref.frames());
        r.put("generatedTrajectories", gen.trajectories());
        r.put("generatedFrames", gen.frames());
        r.put("spuriousPairs", comparison.spuriousPairs(gen));
        r.put("spuriousTransitions", comparison.spuriousTransitions(gen));
        r.put("filterTransitionsBefore", prep.training().transitionsBefore());
        r.put("filterTransitionsAfter", prep.training().transitionsAfter());
        ArrayNode its = r.putArray("slowestTimescale");
        for (int lag : o.lags()) {
            ObjectNode x = its.addObject();
            x.put("lag", lag * dt);
            Format.putComparison(x, ref.markov().timescale(lag, 0) * dt,
                    ref.markov().timescaleError(lag, 0) * dt, gen.markov().timescale(lag, 0) * dt,
                    gen.markov().timescaleError(lag, 0) * dt);
        }
        int n = comparison.numberOfStates();
        if (n <= 12) {
            ArrayNode dwell = r.putArray("dwell");
            DwellDistribution rd = ref.dwell(), gd = gen.dwell();
            for (int s = 0; s < n; s++) {
                double[] ks = rd.kolmogorovSmirnov(s, gd);
                ObjectNode d = dwell.addObject().put("state", s).put("label", prep.stateLabels().get(s));
                d.put("referenceStays", rd.stays(s));
                d.put("generatedStays", gd.stays(s));
                Format.put(d, "referenceMean", rd.mean(s) * dt);
                Format.put(d, "generatedMean", gd.mean(s) * dt);
                Format.put(d, "referenceOneFrame", rd.fractionAtMost(s, 1));
                Format.put(d, "generatedOneFrame", gd.fractionAtMost(s, gen.step()));
                Format.put(d, "ksStatistic", ks[0]);
                Format.put(d, "ksPValue", ks[1]);
                survivalJson(d.putObject("referenceSurvival"), rd.lengths(s), dt);
                survivalJson(d.putObject("generatedSurvival"), gd.lengths(s), dt);
            }
        }
        if (prep.basinOfState() != null) {
            basinMeasures(c, prep, ref, gen, o, seed, r);
        }
        if (trainingLog != null) {
            RunReport.trainingJson(trainingLog, r.putObject("training"));
        }
        return r;
    }

    /**
     * Measures on the input's basins, comparable across partitions: basin populations, and each named passage
     * measure (the mean of direct MFPTs from one set of basins to another), in the input's time unit.
     */
    private void basinMeasures(StudySpec.Cell c, Prepared prep, KineticsMeasures ref, KineticsMeasures gen,
            ComparisonOptions o, long seed, ObjectNode r) {
        JsonNode spec = this.spec.inputs.get(c.input());
        int[] map = prep.basinOfState();
        int basins = spec.path("basins").path("names").size();
        if (basins == 0) {
            throw new ConfigurationException(this.spec.source + ": inputs." + c.input() + ".basins needs 'names'");
        }
        ObjectNode pops = r.putObject("basinPopulations");
        KineticsSummary rb = KineticsSummary.of(relabel(ref.sequences(), map, basins), o.bootstrap(), seed);
        KineticsSummary gb = KineticsSummary.of(relabel(gen.sequences(), map, basins), o.bootstrap(), seed + 1);
        ArrayNode rp = pops.putArray("reference"), re = pops.putArray("referenceError"),
                gp = pops.putArray("generated"), ge = pops.putArray("generatedError");
        for (int k = 0; k < basins; k++) {
            rp.add(rb.population(k));
            re.add(rb.populationError(k));
            gp.add(gb.population(k));
            ge.add(gb.populationError(k));
        }
        ObjectNode mfpts = r.putObject("mfpt");
        JsonNode measures = spec.path("measures");
        double dt = prep.frameInterval();
        for (java.util.Iterator<Map.Entry<String, JsonNode>> it = measures.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> m = it.next();
            double[] rs = passages(ref.sequences(), map, basins, m.getValue(), o.bootstrap(), seed + 2, ref.step());
            double[] gs = passages(gen.sequences(), map, basins, m.getValue(), o.bootstrap(), seed + 3, gen.step());
            ObjectNode x = mfpts.putObject(m.getKey());
            Format.putComparison(x, rs[0] * dt, rs[1] * dt, gs[0] * dt, gs[1] * dt);
            x.put("referencePassages", (long) rs[2]);
            x.put("generatedPassages", (long) gs[2]);
        }
    }

    /**
     * The mean over the listed passages [from basins, to basins] of the direct MFPT, its standard error (errors
     * combined in quadrature) and the completed passages, in frames of the reference.
     */
    private static double[] passages(List<StateSequence> seqs, int[] basinOfState, int basins, JsonNode list,
            int bootstrap, long seed, int step) {
        double sum = 0, var = 0;
        long count = 0;
        int k = 0;
        for (JsonNode passage : list) {
            int[] code = new int[basins + 1];
            java.util.Arrays.fill(code, 2);
            passage.get(0).forEach(b -> code[b.asInt()] = 0);
            passage.get(1).forEach(b -> code[b.asInt()] = 1);
            int[] map = new int[basinOfState.length];
            for (int s = 0; s < map.length; s++) {
                map[s] = code[basinOfState[s] < 0 ? basins : basinOfState[s]];
            }
            KineticsSummary ks = KineticsSummary.of(relabel(seqs, map, 3), bootstrap, seed + k);
            sum += ks.mfpt(0, 1) * step;
            var += Math.pow(ks.mfptError(0, 1) * step, 2);
            count += ks.passages(0, 1);
            k++;
        }
        return new double[] { sum / k, Math.sqrt(var) / k, count };
    }

    /** Sequences with every state replaced by map[state] (a state mapped to -1 becomes the extra label n). */
    static List<StateSequence> relabel(List<StateSequence> seqs, int[] map, int n) {
        boolean other = java.util.Arrays.stream(map).anyMatch(m -> m < 0);
        List<StateSequence> out = new ArrayList<>(seqs.size());
        for (StateSequence s : seqs) {
            int[] x = s.toArray();
            for (int i = 0; i < x.length; i++) {
                x[i] = map[x[i]] < 0 ? n : map[x[i]];
            }
            out.add(StateSequence.wrap(x, other ? n + 1 : n, s.frameInterval(), s.timeUnit(), s.source()));
        }
        return out;
    }

    /** Values computed once per key by whichever thread asks first; the others wait for it. */
    static final class Memo<T> {
        interface Compute<T> {
            T get() throws Exception;
        }

        private final Map<String, FutureTask<T>> tasks = new HashMap<>();

        T get(String key, Compute<T> compute) throws Exception {
            FutureTask<T> task;
            boolean mine = false;
            synchronized (tasks) {
                task = tasks.get(key);
                if (task == null) {
                    task = new FutureTask<>(compute::get);
                    tasks.put(key, task);
                    mine = true;
                }
            }
            if (mine) {
                task.run();
            }
            try {
                return task.get();
            } catch (ExecutionException e) {
                synchronized (tasks) {
                    tasks.remove(key, task); // a later cell may try again
                }
                if (e.getCause() instanceof Exception x) {
                    throw x;
                }
                throw e;
            }
        }

        void forget(String key) {
            synchronized (tasks) {
                tasks.remove(key);
            }
        }
    }
}
