package org.slowdyn.train.neural;

import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Prepares DL4J/ND4J before first use: ND4J's class loader is set to the one of the bundle that embeds it, which OSGi
 * needs. (JavaCPP's pointer-GC tracking, a third of the training time of a small LSTM, must stay on: with
 * {@code org.bytedeco.javacpp.nopointergc} the native memory of a training grows without bound, measured at about
 * 35 MB/s, and a long run is killed for lack of memory.) SameDiff's array cache (system property
 * {@code org.nd4j.autodiff.samediff}) is switched off unless set: it keeps up to a quarter of JavaCPP's memory limit
 * per thread, and Transformer generation on 2 threads grew to 6.7 GB resident with it, 0.67 GB without (and ran 14%
 * faster); a 12 GB-heap run was killed at 24 GB.
 */
final class Dl4jSetup {
    static final String SAMEDIFF_CACHE = "org.nd4j.autodiff.samediff";

    private Dl4jSetup() {
    }

    /** Idempotent; call before the first ND4J class is used. */
    static void init() {
        if (System.getProperty(SAMEDIFF_CACHE) == null) {
            System.setProperty(SAMEDIFF_CACHE, "false");
        }
        ND4JClassLoading.setNd4jClassloaderFromClass(Nd4j.class);
    }
}
