package org.slowdyn.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.train.neural.LstmTrainer;

/**
 * Resident memory of a 10-epoch LSTM training at the default (Tsai) size with the fused engine: prints the process's
 * resident set (VmRSS) and the JVM heap in use after every epoch, so that a leak of native memory (direct buffers,
 * ND4J arrays) shows as growth from epoch to epoch.
 *
 *   LstmMemory TRAJECTORIES FRAMES THREADS
 */
public final class LstmMemory {
    public static void main(String[] args) {
        int trajectories = Integer.parseInt(args[0]), frames = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        Settings s = LstmTrainer.SCHEMA.defaults().edit().set(LstmTrainer.EPOCHS, 10).set(LstmTrainer.PATIENCE, 10)
                .set(LstmTrainer.THREADS, threads).done();
        long t0 = System.nanoTime();
        System.out.printf(Locale.ROOT, "epoch\tseconds\tRSS_MiB\theap_MiB%n");
        System.out.printf(Locale.ROOT, "0\t0\t%d\t%d%n", rss(), heap());
        new LstmTrainer().train(NeuralBenchmark.chain(trajectories, frames, 1), s, 1, new NullProgressMonitor() {
            private int epoch;

            @Override
            public void subTask(String name) {
                if (name.startsWith("epoch")) {
                    epoch++;
                    System.out.printf(Locale.ROOT, "%d\t%.1f\t%d\t%d%n", epoch, (System.nanoTime() - t0) / 1e9,
                            rss(), heap());
                }
            }
        });
    }

    private static long heap() {
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) >> 20;
    }

    /** VmRSS of this process from /proc (Linux), MiB. */
    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return -1;
    }
}
