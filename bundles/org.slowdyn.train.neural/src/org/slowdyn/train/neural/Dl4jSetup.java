package org.slowdyn.train.neural;

import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Prepares DL4J/ND4J before first use: ND4J's class loader is set to the one of the bundle that embeds it, which OSGi
 * needs. (JavaCPP's pointer-GC tracking, a third of the training time of a small LSTM, must stay on: with
 * {@code org.bytedeco.javacpp.nopointergc} the native memory of a training grows without bound, measured at about
 * 35 MB/s, and a long run is killed for lack of memory.)
 */
final class Dl4jSetup {
    private Dl4jSetup() {
    }

    /** Idempotent; call before the first ND4J class is used. */
    static void init() {
        ND4JClassLoading.setNd4jClassloaderFromClass(Nd4j.class);
    }
}
