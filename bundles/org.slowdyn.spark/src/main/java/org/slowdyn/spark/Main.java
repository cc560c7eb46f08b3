package org.slowdyn.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.slowdyn.app.ConsoleProgressMonitor;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.SlowDynException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spark-submit --class org.slowdyn.spark.Main org.slowdyn.spark-VERSION-app.jar PIPELINE.json --out DIR ...}:
 * exit code 0 on success, 1 on a failure (the message names the file and line or frame), 2 on a usage or configuration
 * error (an unknown option or id, a setting out of range, a stage the Spark job does not run, an existing --out).
 */
@Command(name = "slowdyn-spark", mixinStandardHelpOptions = true, version = "slowdyn-spark 0.1.0",
        description = "Featurizes, assigns, filters and counts a pipeline's trajectory files on Apache Spark, "
                + "estimates the Markov model on the driver and writes the run folder of slowdyn run.")
public final class Main implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PIPELINE", description = "the pipeline JSON (local, or on any Hadoop "
            + "file system); its input.files are used when --files is not given")
    String pipeline;

    @Option(names = "--files", split = ",", paramLabel = "FILE", description = "trajectory files or glob patterns "
            + "(hdfs://, s3a://, file: or local paths), comma-separated or repeated")
    List<String> files;

    @Option(names = "--topology", paramLabel = "FILE", description = "topology file for the featurizer")
    String topology;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the run folder to create on the "
            + "driver (report.json/.md/.html, reference-states, spark.json)")
    Path out;

    @Option(names = "--dtrajs", paramLabel = "DIR", description = "also write one NNNNNN-name.npy of states per "
            + "trajectory into this folder (any Hadoop file system), from the executors")
    String dtrajs;

    @Option(names = "--skip-bad-files", description = "skip files that cannot be read and list them in the report "
            + "and spark.json, instead of failing")
    boolean skipBadFiles;

    @Option(names = "--partitions", paramLabel = "N", description = "RDD partitions of consecutive files (default: "
            + "two per executor core)")
    int partitions;

    @Option(names = "--counts-only", description = "do not collect the states on the driver: write spark.json "
            + "(counts per lag, the Markov model) and no report")
    boolean countsOnly;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            System.err.println("slowdyn-spark: " + (e instanceof SlowDynException || e instanceof IOException
                    ? e.getMessage() : e.toString()));
            return e instanceof ConfigurationException ? 2 : 1; // as slowdyn: 2 for a pipeline that cannot run
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws IOException {
        Configuration hadoop = new Configuration();
        org.apache.hadoop.fs.Path at = new org.apache.hadoop.fs.Path(pipeline);
        String text;
        try (InputStream in = at.getFileSystem(hadoop).open(at)) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            text = b.toString(StandardCharsets.UTF_8);
        }
        JsonNode input = new ObjectMapper().readTree(text).path("input");
        List<String> specs = files;
        if (specs == null || specs.isEmpty()) {
            specs = new ArrayList<>();
            for (JsonNode f : input.path("files")) {
                specs.add(new org.apache.hadoop.fs.Path(at.getParent(), f.asText()).toString());
            }
            if (specs.isEmpty()) {
                throw new ConfigurationException(pipeline + " has no input.files: give the trajectory files with "
                        + "--files");
            }
        }
        String top = topology;
        if (top == null && input.hasNonNull("topology")) {
            top = new org.apache.hadoop.fs.Path(at.getParent(), input.get("topology").asText()).toString();
        }
        SparkConf conf = new SparkConf().setAppName("slowdyn " + at.getName());
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            SparkPipeline.Outcome o = SparkPipeline.run(sc, new SparkPipeline.Options(text, pipeline, specs, top, out,
                    dtrajs, skipBadFiles, partitions, !countsOnly), new ConsoleProgressMonitor(System.err,
                            System.console() != null));
            for (SparkPipeline.Skipped s : o.skipped()) {
                System.err.println("slowdyn-spark: skipped " + s.reason());
            }
            System.out.println((countsOnly ? "counts and Markov model: " : "report: ")
                    + out.resolve(countsOnly ? "spark.json" : "report.md"));
        }
        return 0;
    }
}
