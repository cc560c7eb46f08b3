package org.slowdyn.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.slowdyn.core.data.TrajectoryInput;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.featurize.CombinedFeaturizer;
import org.slowdyn.featurize.DistanceFeaturizer;
import org.slowdyn.featurize.TorsionFeaturizer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slowdyn.io.FrameChunk;
import org.slowdyn.io.XtcReader;
import org.slowdyn.io.XtcWriter;

/**
 * Reading and featurizing XTC trajectories on a plain classpath.
 *
 * <pre>
 * MdReadBenchmark small DATA_DIR         phi/psi and heavy-atom distances of the two alanine-dipeptide XTC files
 * MdReadBenchmark write FILE GIGABYTES   writes a synthetic XTC of a 20,000-atom system of about that size
 * MdReadBenchmark stream FILE            decodes every frame in chunks and reports frames/s and the heap used
 * </pre>
 *
 * Prints {@code RESULT <case> <threads> <seconds> <frames> <atoms>} lines.
 */
public final class MdReadBenchmark {
    public static void main(String[] args) throws IOException {
        switch (args[0]) {
        case "small":
            small(Path.of(args[1]));
            break;
        case "write-atoms": // file gigabytes atoms
            write(Path.of(args[1]), Double.parseDouble(args[2]), Integer.parseInt(args[3]));
            break;
        case "write":
            write(Path.of(args[1]), Double.parseDouble(args[2]));
            break;
        case "stream":
            stream(Path.of(args[1]));
            break;
        default:
            throw new IllegalArgumentException(args[0]);
        }
    }

    static void small(Path data) {
        TrajectoryInput input = TrajectoryInput.ofFiles(
                List.of(data.resolve("ala2_0-10ns.xtc"), data.resolve("ala2_10-20ns.xtc")), data.resolve("ala2.pdb"));
        for (int threads : new int[] { 1, 2 }) {
            Settings torsions = TorsionFeaturizer.SCHEMA.defaults().with(TorsionFeaturizer.THREADS, threads);
            Settings distances = DistanceFeaturizer.SCHEMA.defaults().edit()
                    .set(DistanceFeaturizer.SELECTION1, "not element H").set(DistanceFeaturizer.THREADS, threads)
                    .done();
            double tTorsions = best(() -> new TorsionFeaturizer().featurize(input, torsions, null));
            double tDistances = best(() -> new DistanceFeaturizer().featurize(input, distances, null));
            // both in one pass: featurize.combined decodes every frame once for the two parts
            ObjectNode parts = JsonNodeFactory.instance.objectNode();
            parts.putArray("features").add(JsonNodeFactory.instance.objectNode().put("id", TorsionFeaturizer.ID))
                    .add(JsonNodeFactory.instance.objectNode().put("id", DistanceFeaturizer.ID).set("settings",
                            JsonNodeFactory.instance.objectNode().put("selection1", "not element H")));
            parts.put("threads", threads);
            Settings both = CombinedFeaturizer.SCHEMA.fromJson(parts, "benchmark",
                    org.slowdyn.core.StageRegistry.of(new TorsionFeaturizer(), new DistanceFeaturizer()));
            double tBoth = best(() -> new CombinedFeaturizer().featurize(input, both, null));
            System.out.printf(Locale.ROOT, "RESULT\tala2-phi-psi\t%d\t%.4f\t20000\t22%n", threads, tTorsions);
            System.out.printf(Locale.ROOT, "RESULT\tala2-distances-45\t%d\t%.4f\t20000\t22%n", threads, tDistances);
            System.out.printf(Locale.ROOT, "RESULT\tala2-phi-psi+distances\t%d\t%.4f\t20000\t22%n", threads, tBoth);
        }
    }

    /** Best of 7 runs after 3 warm-up runs, in seconds. */
    static double best(Runnable r) {
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 10; i++) {
            long t0 = System.nanoTime();
            r.run();
            double t = (System.nanoTime() - t0) / 1e9;
            if (i >= 3) {
                best = Math.min(best, t);
            }
        }
        return best;
    }

    /** A 20,000-atom box of 10 nm whose atoms diffuse a little every frame, written until the file is large enough. */
    static void write(Path file, double gigabytes) throws IOException {
        write(file, gigabytes, 20_000);
    }

    /** The same for any number of atoms. */
    static void write(Path file, double gigabytes, int atoms) throws IOException {
        SplittableRandom rng = new SplittableRandom(1);
        float[] x = new float[atoms * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (10 * rng.nextDouble());
        }
        float[] box = { 10, 0, 0, 0, 10, 0, 0, 0, 10 };
        long target = (long) (gigabytes * (1L << 30));
        long t0 = System.nanoTime();
        int frame = 0;
        try (XtcWriter w = new XtcWriter(file, atoms, 1000f)) {
            while (frame % 100 != 0 || Files.size(file) < target) {
                for (int i = 0; i < x.length; i++) {
                    x[i] += (float) (0.01 * rng.nextGaussian());
                }
                w.write(frame, frame * 10f, x, box);
                frame++;
            }
        }
        System.out.printf(Locale.ROOT, "RESULT\twrite-synthetic-xtc\t1\t%.2f\t%d\t%d%n", (System.nanoTime() - t0) / 1e9,
                frame, atoms);
    }

    static void stream(Path file) {
        long t0 = System.nanoTime();
        long frames = 0;
        long maxUsed = 0;
        double check = 0;
        Runtime rt = Runtime.getRuntime();
        try (XtcReader r = new XtcReader(file)) {
            FrameChunk c;
            while ((c = r.read(100, 1)) != null) {
                for (int f = 0; f < c.frames(); f++) {
                    check += c.coordinate(f, 0, 0);
                }
                frames += c.frames();
                maxUsed = Math.max(maxUsed, rt.totalMemory() - rt.freeMemory());
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "RESULT\tstream-large-xtc\t1\t%.2f\t%d\t%d%n", seconds, frames, r.atoms());
            System.out.printf(Locale.ROOT, "stream: %.2f GB in %.1f s, heap at most %d MB of %d MB (checksum %.3f)%n",
                    Files.size(file) / 1e9, seconds, maxUsed >> 20, rt.maxMemory() >> 20, check);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private MdReadBenchmark() {
    }
}
