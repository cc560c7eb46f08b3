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

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]), work = Path.of(args[1]);
        int files = Integer.parseInt(args[2]);
        long frames = Long.parseLong(args[3]);
        float[][] source = frames(data);
        Path topology = data.resolve("ala2.pdb");
        for (String corpus : new String[] { "uniform", "skewed" }) {
            List<String> paths = corpus(work.resolve(corpus), source, sizes(corpus, files, frames));
            single(corpus, paths, topology);
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

    /** One machine, one thread: featurize, fit, assign, as slowdyn run does them. */
    static void single(String corpus, List<String> paths, Path topology) throws IOException {
        for (int repeat = 0; repeat < 2; repeat++) { // the first run warms up the JIT; the last is reported
            var tree = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(PIPELINE);
            var input = tree.putObject("input");
            input.set("files", new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(repeat == 0
                    ? paths.subList(0, Math.min(20, paths.size())) : paths));
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
            long frames = 0;
            for (FeatureSeries s : features) {
                frames += fitted.assign(s).length();
            }
            double assign = (System.nanoTime() - t0) / 1e9;
            if (repeat == 1) {
                System.out.printf(Locale.ROOT, "RESULT\t%s\tone machine\t1\t%d\t%.3f\t%.3f\t%.3f%n", corpus, frames,
                        featurize, fit, assign);
            }
        }
    }

    /** Spark local-cluster: executors of one core each in their own JVMs. */
    static void spark(String corpus, List<String> paths, Path topology, int executors, Path work) throws IOException {
        SparkConf conf = new SparkConf().setMaster("local-cluster[" + executors + ",1,3072]")
                .setAppName("slowdyn-benchmark").set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.executor.extraJavaOptions", System.getProperty("slowdyn.spark.executorJavaOptions"));
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            // wait for the executors to register, so that the first stage does not run on fewer
            long deadline = System.currentTimeMillis() + 60_000;
            while (sc.sc().getExecutorMemoryStatus().size() < executors + 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            Path out = work.resolve("out-" + corpus + "-" + executors);
            SparkPipeline.Outcome o = SparkPipeline.run(sc, new SparkPipeline.Options(PIPELINE, "benchmark", paths,
                    topology.toString(), out, null, false, 0, false), null);
            long frames = 0;
            for (long[] row : o.counts().get(1)) {
                for (long v : row) {
                    frames += v;
                }
            }
            frames += paths.size(); // pairs at lag 1 are frames - 1 per trajectory
            System.out.printf(Locale.ROOT, "RESULT\t%s\tSpark local-cluster\t%d\t%d\t%.3f\t%.3f\t%.3f%n", corpus,
                    executors, frames, o.seconds().get("featurize"), o.seconds().get("partition"),
                    o.seconds().get("assign"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
