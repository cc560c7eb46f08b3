package org.slowdyn.partition;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Work split into fixed blocks of points, run on a given number of threads. Results that are reduced block by block in
 * block order do not depend on the number of threads.
 */
final class Blocks {
    static final int SIZE = 1 << 14;

    private Blocks() {
    }

    static int count(int points) {
        return (points + SIZE - 1) / SIZE;
    }

    /** Runs {@code body} for every block index, on {@code threads} threads (0: every core). */
    static void run(int blocks, int threads, IntConsumer body) {
        int t = threads <= 0 ? Runtime.getRuntime().availableProcessors() : threads;
        if (t == 1 || blocks == 1) {
            for (int b = 0; b < blocks; b++) {
                body.accept(b);
            }
            return;
        }
        ForkJoinPool pool = new ForkJoinPool(t);
        try {
            pool.submit(() -> IntStream.range(0, blocks).parallel().forEach(body)).join();
        } finally {
            pool.shutdown();
        }
    }
}
