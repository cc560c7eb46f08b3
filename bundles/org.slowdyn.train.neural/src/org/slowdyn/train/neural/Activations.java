package org.slowdyn.train.neural;

/**
 * tanh and the logistic sigmoid over float arrays, in loops the JIT compiles to SIMD instructions: a rational
 * function and a clamp, with no call to {@link Math#exp} (which runs one element at a time, about 5 ns each, and
 * dominated the LSTM's time). tanh is Lambert's continued fraction {@code x / (1 + x^2 / (3 + x^2 / (5 + ...)))}
 * truncated after the term 25, that is {@code x N(x^2) / D(x^2)} with N and D of degree 6, whose coefficients are
 * computed here from the fraction; the argument is clamped to [-9, 9], where tanh is within 3e-8 of 1. Measured
 * error against {@link Math#tanh}: at most 4e-7 absolute (float rounding), over [-12, 12]. The sigmoid is
 * {@code (1 + tanh(x / 2)) / 2}.
 */
final class Activations {
    /** The clamp: beyond it tanh rounds to +-1 in float within 3e-8. */
    static final float LIMIT = 9f;
    private static final float N0, N1, N2, N3, N4, N5, N6, D0, D1, D2, D3, D4, D5, D6;

    static {
        // the fraction's tail from the bottom up: value = P / Q, then tanh x = x Q / P
        int depth = 13;
        double[] p = { 2 * depth - 1 }, q = { 1 };
        for (int j = depth - 1; j >= 1; j--) {
            double[] next = new double[Math.max(p.length, q.length + 1)];
            for (int i = 0; i < p.length; i++) {
                next[i] += (2 * j - 1) * p[i];
            }
            for (int i = 0; i < q.length; i++) {
                next[i + 1] += q[i];
            }
            q = p;
            p = next;
        }
        if (q.length != 7 || p.length != 7) {
            throw new AssertionError("tanh approximation: degrees " + q.length + ", " + p.length);
        }
        // scaled so that the leading coefficient of D is 1 (values stay well inside float range for |x| <= 9)
        double s = p[6];
        N0 = (float) (q[0] / s);
        N1 = (float) (q[1] / s);
        N2 = (float) (q[2] / s);
        N3 = (float) (q[3] / s);
        N4 = (float) (q[4] / s);
        N5 = (float) (q[5] / s);
        N6 = (float) (q[6] / s);
        D0 = (float) (p[0] / s);
        D1 = (float) (p[1] / s);
        D2 = (float) (p[2] / s);
        D3 = (float) (p[3] / s);
        D4 = (float) (p[4] / s);
        D5 = (float) (p[5] / s);
        D6 = (float) (p[6] / s);
    }

    private Activations() {
    }

    /** tanh of one value, as the array forms compute it. */
    static float tanh(float x) {
        float v = Math.max(-LIMIT, Math.min(LIMIT, x));
        float z = v * v;
        float n = (((((N6 * z + N5) * z + N4) * z + N3) * z + N2) * z + N1) * z + N0;
        float d = (((((D6 * z + D5) * z + D4) * z + D3) * z + D2) * z + D1) * z + D0;
        return v * n / d;
    }

    /*
     * The array forms work in place, at one offset: with a second array at another offset the JIT cannot rule out
     * overlap and does not vectorise (measured: 6 ns per value instead of 0.4).
     */

    /** {@code x[off + i] = tanh(x[off + i])} for i < n. */
    static void tanh(float[] x, int off, int n) {
        for (int i = off; i < off + n; i++) {
            float v = Math.max(-LIMIT, Math.min(LIMIT, x[i]));
            float z = v * v;
            float num = (((((N6 * z + N5) * z + N4) * z + N3) * z + N2) * z + N1) * z + N0;
            float den = (((((D6 * z + D5) * z + D4) * z + D3) * z + D2) * z + D1) * z + D0;
            x[i] = v * num / den;
        }
    }

    /** {@code x[off + i] = 1 / (1 + exp(-x[off + i]))} for i < n. */
    static void sigmoid(float[] x, int off, int n) {
        for (int i = off; i < off + n; i++) {
            float v = Math.max(-LIMIT, Math.min(LIMIT, 0.5f * x[i]));
            float z = v * v;
            float num = (((((N6 * z + N5) * z + N4) * z + N3) * z + N2) * z + N1) * z + N0;
            float den = (((((D6 * z + D5) * z + D4) * z + D3) * z + D2) * z + D1) * z + D0;
            x[i] = 0.5f + 0.5f * (v * num / den);
        }
    }

    /** Below this exp is taken as its value here (e^-30 = 9e-14), see {@link #expNonPositive}. */
    static final float EXP_FLOOR = -30f;

    /**
     * {@code x[off + i] = exp(x[off + i])} for i < n and values at most 0 (as in a softmax after subtracting the
     * maximum), vectorised: exp(y / 64)^64 with the Taylor polynomial of degree 8 on [-30/64, 0] and six squarings.
     * Measured error against {@link Math#exp}: at most 8.6e-6 relative over [-30, 0] (the squarings amplify float
     * rounding), against 5 to 7 ns per value for Math.exp and 0.4 ns here.
     */
    static void expNonPositive(float[] x, int off, int n) {
        for (int i = off; i < off + n; i++) {
            float y = Math.max(EXP_FLOOR, x[i]) * (1f / 64);
            float p = 1 + y * (1 + y * (1f / 2 + y * (1f / 6 + y * (1f / 24 + y * (1f / 120 + y * (1f / 720
                    + y * (1f / 5040 + y * (1f / 40320))))))));
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            x[i] = p;
        }
    }
}
