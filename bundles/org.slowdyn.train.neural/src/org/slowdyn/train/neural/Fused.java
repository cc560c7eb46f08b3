package org.slowdyn.train.neural;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * What the fused training passes ({@link FusedLstm}, {@link FusedTransformer}) share: float buffers in direct memory,
 * OpenBLAS's {@code sgemm} on them at offsets (a direct buffer reaches native code without the copy JavaCPP makes of
 * a Java array), ND4J's Adam, and their worker threads.
 */
final class Fused {
    static final double BETA1 = 0.9, BETA2 = 0.999, EPSILON = 1e-8;

    private Fused() {
    }

    /** A zeroed float buffer in direct memory, in the platform's byte order. */
    static FloatBuffer allocate(long n) {
        if (n > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("buffer of " + n + " floats is too large");
        }
        return ByteBuffer.allocateDirect((int) (4 * n)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** out (rows x n) = alpha x (rows x k) w (k x n) + beta out, row-major, at offsets, rows packed. */
    static void gemm(boolean transX, boolean transW, int rows, int n, int k, float alpha, FloatBuffer x, int xOff,
            FloatBuffer w, int wOff, float beta, FloatBuffer out, int outOff) {
        gemm(transX, transW, rows, n, k, alpha, x, xOff, transX ? rows : k, w, wOff, transW ? k : n, beta, out,
                outOff, n);
    }

    /** As above with explicit leading dimensions (row strides), for blocks of wider matrices. */
    static void gemm(boolean transX, boolean transW, int rows, int n, int k, float alpha, FloatBuffer x, int xOff,
            int ldx, FloatBuffer w, int wOff, int ldw, float beta, FloatBuffer out, int outOff, int ldo) {
        openblas_nolapack.cblas_sgemm(CblasRowMajor, transX ? CblasTrans : CblasNoTrans,
                transW ? CblasTrans : CblasNoTrans, rows, n, k, alpha, at(x, xOff), ldx, at(w, wOff), ldw, beta,
                at(out, outOff), ldo);
    }

    private static FloatBuffer at(FloatBuffer b, int offset) {
        return b.duplicate().position(offset);
    }

    /**
     * One Adam step in place, as ND4J's Adam updater takes it (the one DL4J and SameDiff use): moments with
     * 0.9 and 0.999, the step {@code lr sqrt(1 - 0.999^t) / (1 - 0.9^t) m / (sqrt(v) + 1e-8)} for step t =
     * {@code iteration + 1}.
     */
    static void adam(float[] params, float[] gradient, float[] m, float[] v, double learningRate, long iteration) {
        double b1 = 1 - Math.pow(BETA1, iteration + 1), b2 = 1 - Math.pow(BETA2, iteration + 1);
        float alpha = (float) (learningRate * Math.sqrt(b2) / b1);
        float beta1 = (float) BETA1, beta2 = (float) BETA2, eps = (float) EPSILON;
        for (int i = 0; i < params.length; i++) {
            float g = gradient[i];
            float mi = beta1 * m[i] + (1 - beta1) * g;
            float vi = beta2 * v[i] + (1 - beta2) * g * g;
            m[i] = mi;
            v[i] = vi;
            params[i] -= alpha * mi / ((float) Math.sqrt(vi) + eps);
        }
    }

    /** The sum of the first {@code n} parts into {@code target}, in part order (the same whatever thread made each). */
    static void sum(float[][] parts, int n, float[] target) {
        java.util.Arrays.fill(target, 0f);
        for (int k = 0; k < n; k++) {
            float[] p = parts[k];
            for (int i = 0; i < target.length; i++) {
                target[i] += p[i];
            }
        }
    }

    /** A pool of daemon worker threads named {@code name-0}, {@code name-1}, ... */
    static ForkJoinPool pool(int threads, String name) {
        AtomicInteger number = new AtomicInteger();
        return new ForkJoinPool(threads, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setDaemon(true);
            t.setName(name + "-" + number.getAndIncrement());
            return t;
        }, null, false);
    }

    /**
     * Layer norm of rows of {@code width} values as ND4J computes it: (x - mean) / standard deviation (population,
     * no epsilon) times the gain plus the bias (at offsets in their arrays). Keeps the normalised values and 1 / std
     * per row where {@code normed} and {@code inverse} are given (for the backward pass).
     */
    static void layerNorm(float[] x, int rows, int width, float[] gain, int gainAt, float[] bias, int biasAt,
            float[] normed, float[] inverse, float[] result) {
        for (int r = 0; r < rows; r++) {
            int o = r * width;
            double mean = 0;
            for (int j = 0; j < width; j++) {
                mean += x[o + j];
            }
            mean /= width;
            double var = 0;
            for (int j = 0; j < width; j++) {
                double d = x[o + j] - mean;
                var += d * d;
            }
            float inv = (float) (1 / Math.sqrt(Math.max(var / width, 1e-30)));
            float mu = (float) mean;
            if (inverse != null) {
                inverse[r] = inv;
            }
            for (int j = 0; j < width; j++) {
                float nj = (x[o + j] - mu) * inv;
                if (normed != null) {
                    normed[o + j] = nj;
                }
                result[o + j] = nj * gain[gainAt + j] + bias[biasAt + j];
            }
        }
    }
}
