package org.slowdyn.spark;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.eclipse.core.runtime.IProgressMonitor;
import org.slowdyn.app.Pipeline;
import org.slowdyn.app.PipelineRunner;
import org.slowdyn.app.PipelineSteps;
import org.slowdyn.app.RunResult;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.FilterContext;
import org.slowdyn.core.FilterResult;
import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.InputException;
import org.slowdyn.core.SlowDynException;
import org.slowdyn.core.StageRegistry;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.data.TrajectoryInput;
import org.slowdyn.featurize.TrajectoryFeaturizer;
import org.slowdyn.io.Npy;
import org.slowdyn.kinetics.MarkovStateModel;
import org.slowdyn.kinetics.MsmEstimator;
import org.slowdyn.kinetics.TransitionCounts;
import org.slowdyn.partition.KMeansPartition;
import org.slowdyn.partition.KMeansShard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A pipeline's per-trajectory work on Apache Spark, with the same algorithm classes as {@code slowdyn run}: the
 * executors featurize the trajectory files (a file is the unit of work; an RDD partition holds consecutive files),
 * k-means is fitted with Lloyd iterations whose sums are reduced on the driver in trajectory order (so the centers are
 * those of one machine, bit for bit), other partitions are fitted on the driver from the collected features, and the
 * executors assign, filter and count transitions per trajectory. The driver sums the counts, estimates the Markov
 * model and, unless asked not to, collects the discrete trajectories (4 bytes a frame) and finishes the run as
 * {@code slowdyn run} does (Markov model as trainer, generation, comparison, {@code report.json/.md/.html}).
 */
public final class SparkPipeline {
    private SparkPipeline() {
    }

    /**
     * What to run.
     *
     * @param pipelineJson the pipeline's text; its {@code input} is replaced by {@code files}
     * @param source       where the text came from, for messages
     * @param files        trajectory files or glob patterns, on any Hadoop file system (no scheme: the local one)
     * @param topology     a topology file for the featurizer, or null
     * @param out          the run folder to create on the driver
     * @param dtrajs       a folder (any Hadoop file system) for one {@code .npy} of states per trajectory, or null
     * @param skipBadFiles skip files that cannot be read and list them, instead of failing
     * @param partitions   RDD partitions (0: two per executor core)
     * @param report       collect the discrete trajectories and write the run's report (false: counts and the Markov
     *                     model only, for data sets whose states do not fit on the driver)
     */
    public record Options(String pipelineJson, String source, List<String> files, String topology, Path out,
            String dtrajs, boolean skipBadFiles, int partitions, boolean report) {
    }

    /** A file of the input and its index there. */
    record Indexed(int index, String file) implements Serializable {
    }

    /** A file that was skipped, and why. */
    public record Skipped(String file, String reason) implements Serializable {
    }

    /** What the job computed. */
    public record Outcome(List<String> files, List<Skipped> skipped, FittedPartition partition,
            List<StateSequence> assigned, FilterResult filtered, Map<Integer, long[][]> counts, MarkovStateModel msm,
            RunResult run, Map<String, Double> seconds) {
    }

    /** One trajectory file's features, as the executors keep them. */
    static final class Features implements Serializable {
        private static final long serialVersionUID = 1L;
        final int index;
        final String file;
        final double[] values;
        final String[] labels;
        final double frameInterval;
        final String timeUnit;

        Features(int index, String file, FeatureSeries s) {
            this.index = index;
            this.file = file;
            this.values = s.toArray();
            this.labels = s.labels().toArray(new String[0]);
            this.frameInterval = s.frameInterval();
            this.timeUnit = s.timeUnit();
        }

        FeatureSeries series() {
            return FeatureSeries.wrap(values, List.of(labels), frameInterval, timeUnit, file);
        }

        int frames() {
            return values.length / labels.length;
        }
    }

    /** The files of one RDD partition, in order: those featurized and those skipped. */
    static final class Group implements Serializable {
        private static final long serialVersionUID = 1L;
        final int partition;
        final List<Features> good = new ArrayList<>();
        final List<Skipped> bad = new ArrayList<>();

        Group(int partition) {
            this.partition = partition;
        }

        List<FeatureSeries> series() {
            return good.stream().map(Features::series).toList();
        }
    }

    /** What the driver learns of a group after featurizing. */
    record Summary(int partition, int good, long frames, List<String> labels, double frameInterval,
            String timeUnit, List<Skipped> bad) implements Serializable {
    }

    /** One trajectory after assignment and filtering, with its transition counts. */
    record Assigned(int index, String file, int[] before, int statesBefore, int[] after, int statesAfter,
            long relabelled, long dropped, boolean trajectoryDropped, List<String> stateLabels,
            Map<Integer, long[][]> counts) implements Serializable {
    }

    /** The pipeline as the executors parse it, once per JVM. */
    private static final Map<String, Pipeline> PARSED = new ConcurrentHashMap<>();
    private static final StageRegistry STAGES = ClasspathStages.registry();

    static Pipeline parse(String json, String source) {
        return PARSED.computeIfAbsent(json, text -> {
            try {
                ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(text);
                tree.remove("input");
                return Pipeline.parse(tree.toString(), source, Path.of("."), STAGES);
            } catch (IOException e) {
                throw new ConfigurationException(source + ": not valid JSON: " + e.getMessage());
            }
        });
    }

    /** Refuses what this job does not do, before any work. */
    static void check(Pipeline p, String source) {
        String featurizer = p.featurizer().stage().id();
        if (featurizer.equals("featurize.tica") || featurizer.equals("featurize.pca")) {
            throw new ConfigurationException(source + ": featurizer '" + featurizer + "' fits a projection on all "
                    + "trajectories at once, which this Spark job does not do; use a per-frame featurizer (columns, "
                    + "torsions, distances, contacts, rmsd) on Spark, or slowdyn run");
        }
        for (var s : p.featurizer().settings().schema().settings()) {
            if (s.name().equals(TrajectoryFeaturizer.JOIN_FILES.name())
                    && Boolean.TRUE.equals(p.featurizer().settings().get(s))) {
                throw new ConfigurationException(source + ": featurizer setting 'joinFiles' makes one trajectory of "
                        + "several files; on Spark every file is one trajectory");
            }
        }
        if (p.output().get(Pipeline.FEATURES)) {
            throw new ConfigurationException(source + ": output.features is not written by the Spark job");
        }
    }

    /**
     * Expands glob patterns (on their file systems), keeping the order given and sorting each pattern's matches;
     * local files are named by their paths.
     */
    static List<String> expand(List<String> specs, Configuration conf) throws IOException {
        List<String> out = new ArrayList<>();
        for (String spec : specs) {
            org.apache.hadoop.fs.Path pattern = new org.apache.hadoop.fs.Path(spec);
            FileSystem fs = pattern.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(pattern);
            if (matches == null || matches.length == 0) {
                throw new InputException(spec + ": no such file");
            }
            TreeSet<String> sorted = new TreeSet<>();
            for (FileStatus m : matches) {
                if (m.isFile()) {
                    URI uri = m.getPath().toUri();
                    sorted.add("file".equals(uri.getScheme()) ? uri.getPath() : uri.toString());
                }
            }
            if (sorted.isEmpty()) {
                throw new InputException(spec + ": matches no regular file");
            }
            out.addAll(sorted);
        }
        return out;
    }

    /** A local path for a file on any Hadoop file system: the file itself when local, else a copy in a temp folder. */
    private static Path local(String file, List<Path> temporary) throws IOException {
        URI uri = URI.create(file);
        if (uri.getScheme() == null || uri.getScheme().equals("file")) {
            return uri.getScheme() == null ? Path.of(file) : Path.of(uri);
        }
        org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(uri);
        Path dir = Files.createTempDirectory("slowdyn-spark");
        Path copy = dir.resolve(remote.getName());
        remote.getFileSystem(new Configuration()).copyToLocalFile(remote, new org.apache.hadoop.fs.Path(copy.toUri()));
        temporary.add(copy);
        temporary.add(dir);
        return copy;
    }

    /** Executor side: featurizes the files of one partition. */
    static Iterator<Group> featurize(int partition, Iterator<Indexed> files, String json,
            String source, String topology, boolean skipBadFiles) throws IOException {
        Pipeline p = parse(json, source);
        Group g = new Group(partition);
        while (files.hasNext()) {
            Indexed f = files.next();
            List<Path> temporary = new ArrayList<>();
            try {
                Path top = topology == null ? null : local(topology, temporary);
                List<FeatureSeries> series = p.featurizer().stage().featurize(TrajectoryInput.ofFiles(
                        List.of(local(f.file(), temporary)), top), p.featurizer().settings(), null);
                if (series.size() != 1) {
                    throw new InputException(f.file() + ": the featurizer made " + series.size()
                            + " trajectories of one file");
                }
                g.good.add(new Features(f.index(), f.file(), series.get(0).stride(p.stride(), 0)));
            } catch (SlowDynException | IOException | IllegalArgumentException e) {
                String reason = e.getMessage() != null && e.getMessage().contains(f.file()) ? e.getMessage()
                        : f.file() + ": " + e.getMessage();
                if (!skipBadFiles) {
                    throw new InputException("file " + f.index() + " of the input, " + reason, e);
                }
                g.bad.add(new Skipped(f.file(), reason));
            } finally {
                for (Path t : temporary) {
                    Files.deleteIfExists(t);
                }
            }
        }
        return List.of(g).iterator();
    }

    /** Executor side: assigns, filters and counts the trajectories of one group; writes their states if asked. */
    static Iterator<Assigned> assign(Group g, String json, String source, String partitionJson, int[] lags,
            String dtrajs) throws IOException {
        Pipeline p = parse(json, source);
        FittedPartition fp = p.partition().stage().load(new ObjectMapper().readTree(partitionJson), STAGES);
        List<Assigned> out = new ArrayList<>();
        for (Features f : g.good) {
            FeatureSeries series = f.series();
            StateSequence states = fp.assign(series);
            FilterResult r = p.filter().stage().filter(new FilterContext(List.of(states), List.of(series), fp),
                    p.filter().settings(), null);
            StateSequence after = r.sequences().isEmpty() ? null : r.sequences().get(0);
            Map<Integer, long[][]> counts = new TreeMap<>();
            for (int lag : lags) {
                counts.put(lag, after == null ? null : TransitionCounts.count(List.of(after), lag));
            }
            if (dtrajs != null && after != null) {
                writeStates(dtrajs, f, after);
            }
            out.add(new Assigned(f.index, f.file, states.toArray(), states.numberOfStates(),
                    after == null ? null : after.toArray(), after == null ? 0 : after.numberOfStates(),
                    r.framesRelabelled(), r.framesDropped(), r.trajectoriesDropped() > 0,
                    r.stateLabels().orElse(null), counts));
        }
        return out.iterator();
    }

    /** {@code DIR/NNNNNN-name.npy}: the states of the trajectory with index NNNNNN, int32. */
    private static void writeStates(String dir, Features f, StateSequence states) throws IOException {
        String name = String.format("%06d-%s.npy", f.index, new org.apache.hadoop.fs.Path(f.file).getName()
                .replaceAll("[^A-Za-z0-9._-]", "_"));
        Path tmp = Files.createTempFile("slowdyn-states", ".npy");
        try {
            int[] s = states.toArray();
            long[] v = new long[s.length];
            for (int i = 0; i < s.length; i++) {
                v[i] = s[i];
            }
            Npy.write(tmp, new int[] { s.length }, v, false);
            org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(dir, name);
            target.getFileSystem(new Configuration()).copyFromLocalFile(true, true,
                    new org.apache.hadoop.fs.Path(tmp.toUri()), target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The lag times whose counts the job sums: the implied-timescale lags and the Markov model's lag. */
    static int[] lags(Pipeline p) {
        TreeSet<Integer> lags = new TreeSet<>(p.kinetics().get(Pipeline.LAGS));
        lags.add(p.kinetics().get(Pipeline.MSM_LAG));
        return lags.stream().mapToInt(Integer::intValue).toArray();
    }

    public static Outcome run(JavaSparkContext sc, Options o, IProgressMonitor monitor) throws IOException {
        Pipeline p = parse(o.pipelineJson(), o.source());
        check(p, o.source());
        if (Files.exists(o.out())) {
            throw new ConfigurationException(o.out() + " already exists: give a new run folder");
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        List<String> files = expand(o.files(), sc.hadoopConfiguration());
        List<Indexed> indexed = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            indexed.add(new Indexed(i, files.get(i)));
        }
        int partitions = o.partitions() > 0 ? o.partitions() : 2 * sc.defaultParallelism();
        partitions = Math.max(1, Math.min(partitions, files.size()));
        String json = o.pipelineJson(), source = o.source(), topology = o.topology();
        boolean skip = o.skipBadFiles();
        try {
            // featurize: one group of consecutive files per partition, kept on the executors
            JavaRDD<Group> groups = sc.parallelize(indexed, partitions).mapPartitionsWithIndex(
                    (pi, it) -> featurize(pi, it, json, source, topology, skip), true)
                    .persist(StorageLevel.MEMORY_AND_DISK()); // spilled, not featurized again, when memory is short
            List<Summary> summaries = groups.map(g -> new Summary(g.partition, g.good.size(),
                    g.good.stream().mapToLong(Features::frames).sum(), g.good.isEmpty() ? List.of()
                            : List.of(g.good.get(0).labels), g.good.isEmpty() ? 0 : g.good.get(0).frameInterval,
                    g.good.isEmpty() ? "" : g.good.get(0).timeUnit, g.bad)).collect();
            List<Skipped> skipped = new ArrayList<>();
            int[] first = new int[summaries.size()];
            int good = 0;
            List<String> labels = null;
            Summary firstGood = null;
            for (Summary s : summaries) {
                first[s.partition()] = good;
                good += s.good();
                skipped.addAll(s.bad());
                if (labels == null && s.good() > 0) {
                    labels = s.labels();
                    firstGood = s;
                }
            }
            if (good == 0) {
                throw new InputException("no trajectory file could be read: " + skipped);
            }
            seconds.put("featurize", elapsed(t0));
            log(String.format("featurized %d files (%d skipped) in %.1f s", good, skipped.size(),
                    seconds.get("featurize")));

            // partition
            t0 = System.nanoTime();
            FittedPartition fitted;
            var partition = p.partition();
            if (partition.stage() instanceof KMeansPartition km && partition.settings().get(
                    KMeansPartition.MINI_BATCH) == 0) {
                List<String> features = KMeansPartition.features(partition.settings(), labels);
                JavaRDD<KMeansShard> shards = groups.map(g -> KMeansShard.of(g.series(), features,
                        KMeansPartition.ID, 1, first[g.partition]));
                SparkShards held = new SparkShards(shards);
                try {
                    fitted = km.fit(held, features, 0, partition.settings(), monitor);
                } finally {
                    held.release();
                }
            } else {
                List<FeatureSeries> all = groups.flatMap(g -> g.good.iterator()).collect().stream()
                        .map(Features::series).toList();
                fitted = partition.stage().fit(all, partition.settings(), monitor);
            }
            seconds.put("partition", elapsed(t0));
            log(String.format("fitted %s (%d states) in %.1f s", partition.stage().id(), fitted.numberOfStates(),
                    seconds.get("partition")));

            // assign, filter, count
            t0 = System.nanoTime();
            String partitionJson = fitted.toJson().toString();
            int[] lags = lags(p);
            String dtrajs = o.dtrajs();
            JavaRDD<Assigned> assigned = groups.flatMap(g -> assign(g, json, source, partitionJson, lags, dtrajs));
            Map<Integer, long[][]> counts;
            List<Assigned> all = null;
            if (o.report()) {
                all = assigned.collect();
                counts = new TreeMap<>();
                for (Assigned a : all) {
                    add(counts, a.counts());
                }
            } else {
                // integer sums: exact in any order; a tree keeps the driver from receiving every partition's
                counts = assigned.map(Assigned::counts).treeReduce(SparkPipeline::sum, 2);
            }
            groups.unpersist(false);
            seconds.put("assign", elapsed(t0));
            log(String.format("assigned, filtered and counted in %.1f s", seconds.get("assign")));

            int msmLag = p.kinetics().get(Pipeline.MSM_LAG);
            double frameInterval = firstGood.frameInterval();
            String timeUnit = firstGood.timeUnit();
            MarkovStateModel msm = MsmEstimator.fromCounts(counts.get(msmLag), msmLag,
                    p.kinetics().get(Pipeline.REVERSIBLE), frameInterval, timeUnit);
            if (!o.report()) {
                writeSummary(o.out(), files, skipped, counts, msm, seconds, true);
                return new Outcome(files, skipped, fitted, null, null, counts, msm, null, seconds);
            }
            List<StateSequence> before = new ArrayList<>(), after = new ArrayList<>();
            long relabelled = 0, dropped = 0, transitionsAfter = 0;
            int trajectoriesDropped = 0;
            List<String> stateLabels = null;
            for (Assigned a : all) {
                before.add(StateSequence.wrap(a.before(), a.statesBefore(), frameInterval, timeUnit,
                        a.file()));
                if (a.after() != null) {
                    StateSequence s = StateSequence.wrap(a.after(), a.statesAfter(), frameInterval,
                            timeUnit, a.file());
                    after.add(s);
                    transitionsAfter += FilterResult.transitions(s);
                }
                relabelled += a.relabelled();
                dropped += a.dropped();
                trajectoriesDropped += a.trajectoryDropped() ? 1 : 0;
                stateLabels = stateLabels != null ? stateLabels : a.stateLabels();
            }
            FilterResult filtered = new FilterResult(before, after, transitionsAfter, relabelled, dropped,
                    trajectoriesDropped, stateLabels);
            String description = files.size() + " file(s) on Spark (" + partitions + " partitions"
                    + (skipped.isEmpty() ? "" : ", " + skipped.size() + " skipped: " + skipped.stream()
                            .map(Skipped::file).toList()) + "): " + (files.size() <= 10 ? files
                                    : files.subList(0, 10) + " ...");
            List<Path> used = new ArrayList<>();
            all.forEach(a -> used.add(Path.of(a.file().replaceFirst("^file:", ""))));
            Pipeline described = p.withInputFiles(used, topology == null ? null : Path.of(topology));
            RunResult run = new PipelineRunner(STAGES).runPrepared(described, o.out(), new PipelineRunner.Prepared(
                    description, Map.of(), new PipelineSteps.Partitioned(fitted, List.of(), before), filtered, null,
                    seconds), monitor);
            writeSummary(o.out(), files, skipped, counts, msm, seconds, false);
            return new Outcome(files, skipped, fitted, before, filtered, counts, msm, run, seconds);
        } catch (Exception e) {
            if (e instanceof SparkException se) { // thrown by Spark's Scala code, so not declared
                throw new InputException(concise(se), se);
            }
            throw e;
        }
    }

    private static Map<Integer, long[][]> sum(Map<Integer, long[][]> a, Map<Integer, long[][]> b) {
        Map<Integer, long[][]> out = new TreeMap<>();
        add(out, a);
        add(out, b);
        return out;
    }

    /** Adds counts into {@code into}, growing the matrices to the larger number of states. */
    static void add(Map<Integer, long[][]> into, Map<Integer, long[][]> counts) {
        counts.forEach((lag, c) -> {
            if (c == null) {
                into.putIfAbsent(lag, new long[0][0]);
                return;
            }
            long[][] have = into.getOrDefault(lag, new long[0][0]);
            int n = Math.max(have.length, c.length);
            long[][] s = new long[n][n];
            for (long[][] m : List.of(have, c)) {
                for (int i = 0; i < m.length; i++) {
                    for (int j = 0; j < m.length; j++) {
                        s[i][j] += m[i][j];
                    }
                }
            }
            into.put(lag, s);
        });
    }

    /** {@code spark.json} in the run folder: files, skipped files, counts per lag, the Markov model, seconds. */
    private static void writeSummary(Path out, List<String> files, List<Skipped> skipped,
            Map<Integer, long[][]> counts, MarkovStateModel msm, Map<String, Double> seconds, boolean create)
            throws IOException {
        if (create) {
            Files.createDirectories(out);
        }
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode n = mapper.createObjectNode();
        n.put("format", "slowdyn-spark v1");
        n.put("files", files.size());
        ArrayNode s = n.putArray("skipped");
        skipped.forEach(x -> s.addObject().put("file", x.file()).put("reason", x.reason()));
        ObjectNode c = n.putObject("counts");
        counts.forEach((lag, m) -> c.set(String.valueOf(lag), mapper.valueToTree(m)));
        ObjectNode model = n.putObject("msm");
        model.put("lag", msm.lag());
        model.put("frameInterval", msm.frameInterval());
        model.put("timeUnit", msm.timeUnit());
        model.set("activeSet", mapper.valueToTree(msm.activeSet()));
        model.set("transitionMatrix", mapper.valueToTree(msm.transitionMatrix()));
        model.set("stationaryDistribution", mapper.valueToTree(msm.stationaryDistributionFull()));
        model.set("timescales", mapper.valueToTree(msm.timescales(Math.max(0, Math.min(5,
                msm.activeSet().length - 1)))));
        ObjectNode t = n.putObject("seconds");
        seconds.forEach(t::put);
        org.slowdyn.core.AtomicFiles.writeString(out.resolve("spark.json"),
                mapper.writerWithDefaultPrettyPrinter().writeValueAsString(n));
    }

    /** The failed task's own message, without Spark's stage and executor bookkeeping around it. */
    static String concise(SparkException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SlowDynException && t.getMessage() != null) {
                return t.getMessage();
            }
        }
        String m = String.valueOf(e.getMessage());
        int at = m.indexOf(InputException.class.getName() + ": ");
        if (at >= 0) {
            String rest = m.substring(at + InputException.class.getName().length() + 2);
            int end = rest.indexOf('\n');
            return end < 0 ? rest : rest.substring(0, end);
        }
        return m;
    }

    private static double elapsed(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void log(String line) {
        System.err.println("slowdyn-spark: " + line);
    }
}
