package org.slowdyn.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.slowdyn.app.Pipeline;
import org.slowdyn.app.PipelineSteps;
import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.io.FrameChunk;
import org.slowdyn.io.XtcReader;
import org.slowdyn.io.XtcWriter;
import org.slowdyn.spark.ClasspathStages;
import org.slowdyn.spark.SparkPipeline;

/**
 * Spark against one machine on the same XTC files (alanine dipeptide frames from ../shared/data, cut into a uniform
 * corpus and a skewed one whose file sizes differ 100x): frames featurized (phi/psi as sin/cos) and assigned (k-means,
 * 50 clusters) per second, on one machine with one thread, and on Spark's local-cluster mode with one executor of one
 * core and with two. Prints tab-separated lines {@code RESULT <corpus> <setup> <cores> <frames> <featurize s>
 * <fit s> <assign s>}.
 *
 * <p>Arguments: the data folder (../shared/data), a work folder, the number of files, frames in all.
 */
public final class SparkBenchmark {
    static final String PIPELINE = """
            { "name": "spark-benchmark", "seed": 1,
              "featurizer": { "id": "featurize.torsions", "settings": { "angles": ["phi", "psi"], "output": "sincos", "threads": 1 } },
              "partition": { "id": "partition.kmeans", "settings": { "clusters": 50, "seed": 7, "threads": 1 } },
              "filter": { "id": "recrossing.none", "settings": {} },
              "trainer": { "id": "train.markov", "settings": {} },
              "kinetics": { "lags": [1, 10], "msmLag": 10 } }
            """;

    static int partitions;
    static String only;

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]), work = Path.of(args[1]);
        int files = Integer.parseInt(args[2]);
        long frames = Long.parseLong(args[3]);
        partitions = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        only = args.length > 5 ? args[5] : "";
        float[][] source = frames(data);
        Path topology = data.resolve("ala2.pdb");
        for (String corpus : new String[] { "uniform", "skewed" }) {
            if (!only.isEmpty() && !only.equals(corpus)) {
                continue;
            }
            List<String> paths = corpus(work.resolve(corpus), source, sizes(corpus, files, frames));
            for (int threads : new int[] { 1, 2 }) {
                single(corpus, paths, topology, threads);
            }
            for (int executors : new int[] { 1, 2 }) {
                spark(corpus, paths, topology, executors, work);
            }
        }
    }

    /** All frames of both alanine-dipeptide XTC files, 22 atoms each. */
    static float[][] frames(Path data) {
        List<float[]> out = new ArrayList<>();
        for (String f : new String[] { "ala2_0-10ns.xtc", "ala2_10-20ns.xtc" }) {
            try (XtcReader r = new XtcReader(data.resolve(f))) {
                for (FrameChunk c; (c = r.read(1000, 1)) != null && c.frames() > 0;) {
                    float[] xyz = c.coordinates();
                    int per = c.atoms() * 3;
                    for (int i = 0; i < c.frames(); i++) {
                        float[] one = new float[per];
                        System.arraycopy(xyz, i * per, one, 0, per);
                        out.add(one);
                    }
                }
            }
        }
        return out.toArray(new float[0][]);
    }

    /** Frames per file: all equal, or spread geometrically over a factor of 100 in a seeded random order. */
    static int[] sizes(String corpus, int files, long frames) {
        double[] w = new double[files];
        double sum = 0;
        for (int i = 0; i < files; i++) {
            w[i] = corpus.equals("uniform") ? 1 : Math.pow(100, i / (double) (files - 1));
            sum += w[i];
        }
        int[] n = new int[files];
        for (int i = 0; i < files; i++) {
            n[i] = (int) Math.max(2, Math.round(w[i] / sum * frames));
        }
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = files - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = n[i];
            n[i] = n[j];
            n[j] = t;
        }
        return n;
    }

    static List<String> corpus(Path dir, float[][] source, int[] sizes) throws IOException {
        Files.createDirectories(dir);
        List<String> paths = new ArrayList<>();
        int next = 0;
        for (int f = 0; f < sizes.length; f++) {
            Path p = dir.resolve(String.format("ala2-%05d.xtc", f));
            paths.add(p.toString());
            if (Files.exists(p)) {
                next += sizes[f];
                continue;
            }
            try (XtcWriter w = new XtcWriter(p, 22, 1000f)) {
                for (int i = 0; i < sizes[f]; i++, next++) {
                    w.write(i, i, source[next % source.length], null);
                }
            }
        }
        return paths;
    }

    /**
     * One machine: featurize (files in parallel on {@code threads} threads), fit, assign (trajectories in parallel),
     * as slowdyn run does them; the fit on one thread.
     */
    static void single(String corpus, List<String> paths, Path topology, int threads) throws IOException {
        for (int repeat = 0; repeat < 2; repeat++) { // the first run warms up the JIT, the second is reported
            var tree = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(PIPELINE.replace("\"sincos\", \"threads\": 1", "\"sincos\", \"threads\": " + threads));
            var input = tree.putObject("input");
            input.set("files", new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(paths));
            input.put("topology", topology.toString());
            Pipeline p = Pipeline.parse(tree.toString(), "benchmark", Path.of("."), ClasspathStages.registry());
            PipelineSteps.Input in = PipelineSteps.input(p, 1, false, null);
            long t0 = System.nanoTime();
            List<FeatureSeries> features = PipelineSteps.featurize(p.featurizer(), in.trajectories(), null);
            double featurize = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            FittedPartition fitted = p.partition().stage().fit(features, p.partition().settings(), null);
            double fit = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
            long frames;
            try {
                frames = pool.submit(() -> features.parallelStream().mapToLong(s -> fitted.assign(s).length()).sum())
                        .get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                pool.shutdown();
            }
            double assign = (System.nanoTime() - t0) / 1e9;
            if (repeat == 1) {
                System.out.printf(Locale.ROOT, "RESULT\t%s\tone machine\t%d\t%d\t%.3f\t%.3f\t%.3f%n", corpus, threads,
                        frames, featurize, fit, assign);
            }
        }
    }

    /** CPU seconds so far of this JVM (the driver). */
    static double driverCpu() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    /** Spark local-cluster: executors of one core each in their own JVMs. */
    static void spark(String corpus, List<String> paths, Path topology, int executors, Path work) throws IOException {
        SparkConf conf = new SparkConf().setMaster("local-cluster[" + executors + ",1,3072]")
                .setAppName("slowdyn-benchmark").set("spark.ui.enabled", "false").set("spark.executor.memory", "2g")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.executor.extraJavaOptions", System.getProperty("slowdyn.spark.executorJavaOptions"));
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            java.util.Map<String, double[]> perExecutor = new java.util.concurrent.ConcurrentHashMap<>();
            int[] jobs = { 0 }, firstStage = { -1 };
            sc.sc().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
                @Override
                public void onJobEnd(org.apache.spark.scheduler.SparkListenerJobEnd e) {
                    jobs[0]++;
                }

                @Override
                public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart e) {
                    if (jobs[0] == 0) {
                        firstStage[0] = (Integer) e.stageIds().head();
                    }
                }

                @Override
                public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd e) {
                    if (e.taskMetrics() != null) {
                        double[] a = perExecutor.computeIfAbsent((e.stageId() == firstStage[0] ? "featurize stage"
                                : "later stages")
                                + ", executor " + e.taskInfo().executorId(), x -> new double[5]);
                        synchronized (a) {
                            a[0]++;
                            a[1] += e.taskInfo().duration() / 1e3;
                            a[2] += e.taskMetrics().executorRunTime() / 1e3;
                            a[3] += e.taskMetrics().jvmGCTime() / 1e3;
                            a[4] += e.taskMetrics().executorCpuTime() / 1e9;
                        }
                    }
                }
            });
            // wait for the executors to register, so that the first stage does not run on fewer
            long deadline = System.currentTimeMillis() + 60_000;
            while (sc.sc().getExecutorMemoryStatus().size() < executors + 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            // as on one machine: a first run warms up the executors' JIT, the second is reported
            SparkPipeline.Outcome o = null;
            for (int repeat = 0; repeat < 2; repeat++) {
                jobs[0] = 0;
                perExecutor.clear();
                Path out = work.resolve("out-" + corpus + "-" + executors + "-" + repeat);
                double cpu0 = driverCpu();
                o = SparkPipeline.run(sc, new SparkPipeline.Options(PIPELINE, "benchmark", paths,
                        topology.toString(), out, null, false, partitions, false), null);
                System.err.printf(Locale.ROOT, "CPU seconds of the driver (with local-cluster's master and workers) "
                        + "during the run: %.2f%n", driverCpu() - cpu0);
            }
            long frames = 0;
            for (long[] row : o.counts().get(1)) {
                for (long v : row) {
                    frames += v;
                }
            }
            frames += paths.size(); // pairs at lag 1 are frames - 1 per trajectory
            System.err.println(jobs[0] + " jobs");
            perExecutor.forEach((id, a) -> System.err.printf(Locale.ROOT,
                    "%s: %.0f tasks, %.2f s in tasks, %.2f s running (%.2f s CPU), %.2f s GC%n",
                    id, a[0], a[1], a[2], a[4], a[3]));
            System.out.printf(Locale.ROOT, "RESULT\t%s\tSpark local-cluster\t%d\t%d\t%.3f\t%.3f\t%.3f%n", corpus,
                    executors, frames, o.seconds().get("featurize"), o.seconds().get("partition"),
                    o.seconds().get("assign"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
