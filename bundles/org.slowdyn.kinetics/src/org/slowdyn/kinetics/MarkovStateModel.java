package org.slowdyn.kinetics;

import java.util.Arrays;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * An estimated Markov state model: the transition matrix at a lag on the active (largest strongly connected) set of
 * states, its stationary distribution, and the kinetics that follow from it. Immutable. States are addressed by their
 * index in the full state space; states outside the active set have no kinetics ({@link #isActive}).
 *
 * <p>Times are in frames of the trajectories the model was estimated from (one model step is {@link #lag()} frames);
 * multiply by {@link #frameInterval()} for {@link #timeUnit()}.
 */
public final class MarkovStateModel {
    private final int numberOfStates;
    private final int[] active;
    private final int[] fullToActive;
    private final double[][] t;
    private final double[] pi;
    private final long[][] activeCounts;
    private final int lag;
    private final double frameInterval;
    private final String timeUnit;
    private final boolean reversible;
    private double[] eigenvalues;
    private double[][] rightEigenvectors;

    MarkovStateModel(int numberOfStates, int[] active, double[][] t, double[] pi, long[][] activeCounts, int lag,
            double frameInterval, String timeUnit, boolean reversible) {
        this.numberOfStates = numberOfStates;
        this.active = active;
        this.t = t;
        this.pi = pi;
        this.activeCounts = activeCounts;
        this.lag = lag;
        this.frameInterval = frameInterval;
        this.timeUnit = timeUnit;
        this.reversible = reversible;
        this.fullToActive = new int[numberOfStates];
        Arrays.fill(fullToActive, -1);
        for (int a = 0; a < active.length; a++) {
            fullToActive[active[a]] = a;
        }
    }

    public int numberOfStates() {
        return numberOfStates;
    }

    /** Full-space indices of the active states, ascending. */
    public int[] activeSet() {
        return active.clone();
    }

    public boolean isActive(int state) {
        return fullToActive[state] >= 0;
    }

    /** Position of a full-space state in the active set, or -1. */
    public int activeIndex(int state) {
        return fullToActive[state];
    }

    public int lag() {
        return lag;
    }

    public double frameInterval() {
        return frameInterval;
    }

    public String timeUnit() {
        return timeUnit;
    }

    public boolean isReversible() {
        return reversible;
    }

    /** Transition matrix on the active set (a copy). */
    public double[][] transitionMatrix() {
        double[][] copy = new double[t.length][];
        for (int i = 0; i < t.length; i++) {
            copy[i] = t[i].clone();
        }
        return copy;
    }

    /** Counts at the lag on the active set (a copy). */
    public long[][] activeCounts() {
        long[][] copy = new long[activeCounts.length][];
        for (int i = 0; i < activeCounts.length; i++) {
            copy[i] = activeCounts[i].clone();
        }
        return copy;
    }

    /** Stationary distribution on the active set. */
    public double[] stationaryDistribution() {
        return pi.clone();
    }

    /** Stationary distribution over the full state space (zero outside the active set). */
    public double[] stationaryDistributionFull() {
        double[] full = new double[numberOfStates];
        for (int a = 0; a < active.length; a++) {
            full[active[a]] = pi[a];
        }
        return full;
    }

    private synchronized void decompose() {
        if (eigenvalues != null) {
            return;
        }
        int m = t.length;
        double[] values = new double[m];
        double[][] vectors = new double[m][m];
        if (reversible) {
            // S = D^1/2 T D^-1/2 is symmetric; its eigenvectors u give the right eigenvectors D^-1/2 u of T, which are
            // orthonormal in the pi-weighted inner product.
            RealMatrix s = new Array2DRowRealMatrix(m, m);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    double v = Math.sqrt(pi[i]) * t[i][j] / Math.sqrt(pi[j]);
                    double w = Math.sqrt(pi[j]) * t[j][i] / Math.sqrt(pi[i]);
                    s.setEntry(i, j, 0.5 * (v + w));
                }
            }
            EigenDecomposition e = new EigenDecomposition(s);
            Integer[] order = order(e.getRealEigenvalues(), new double[m]);
            for (int k = 0; k < m; k++) {
                values[k] = e.getRealEigenvalue(order[k]);
                double[] u = e.getEigenvector(order[k]).toArray();
                for (int i = 0; i < m; i++) {
                    vectors[i][k] = u[i] / Math.sqrt(pi[i]);
                }
            }
            // sign convention: the stationary eigenvector is +1
            if (vectors[0][0] < 0) {
                for (int i = 0; i < m; i++) {
                    vectors[i][0] = -vectors[i][0];
                }
            }
        } else {
            EigenDecomposition e;
            try {
                e = new EigenDecomposition(new Array2DRowRealMatrix(t));
            } catch (org.apache.commons.math3.exception.MaxCountExceededException x) {
                throw new IllegalStateException("the eigendecomposition of the non-reversible " + m + " x " + m
                        + " transition matrix did not converge (Commons Math's Schur iteration); a reversible "
                        + "estimate has a symmetric decomposition that always converges", x);
            }
            double[] re = e.getRealEigenvalues(), im = e.getImagEigenvalues();
            Integer[] order = order(re, im);
            for (int k = 0; k < m; k++) {
                values[k] = Math.hypot(re[order[k]], im[order[k]]) * Math.signum(re[order[k]] == 0 ? 1 : re[order[k]]);
                double[] v = e.getEigenvector(order[k]).toArray();
                double norm = 0;
                for (int i = 0; i < m; i++) {
                    norm += pi[i] * v[i] * v[i];
                }
                norm = Math.sqrt(norm);
                for (int i = 0; i < m; i++) {
                    vectors[i][k] = v[i] / norm;
                }
            }
        }
        eigenvalues = values;
        rightEigenvectors = vectors;
    }

    /** Indices sorted by decreasing modulus. */
    private static Integer[] order(double[] re, double[] im) {
        Integer[] order = new Integer[re.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(Math.hypot(re[b], im[b]), Math.hypot(re[a], im[a])));
        return order;
    }

    /**
     * Eigenvalues of the transition matrix sorted by decreasing modulus (the first is 1). For a non-reversible model
     * a complex pair is reported by its modulus.
     */
    public double[] eigenvalues() {
        decompose();
        return eigenvalues.clone();
    }

    /**
     * Right eigenvectors as columns (active states x eigenvalues, in the order of {@link #eigenvalues()}), normalised
     * in the pi-weighted inner product; the first is the constant 1.
     */
    public double[][] rightEigenvectors() {
        decompose();
        double[][] copy = new double[rightEigenvectors.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = rightEigenvectors[i].clone();
        }
        return copy;
    }

    /**
     * Implied timescales t_k = -lag / ln|lambda_k| in frames for k = 1 .. count (the stationary process is left out);
     * infinite for |lambda| = 1, NaN beyond the number of states.
     */
    public double[] timescales(int count) {
        decompose();
        double[] ts = new double[count];
        for (int k = 0; k < count; k++) {
            if (k + 1 >= eigenvalues.length) {
                ts[k] = Double.NaN;
            } else {
                double l = Math.abs(eigenvalues[k + 1]);
                ts[k] = l >= 1 ? Double.POSITIVE_INFINITY : l == 0 ? 0 : -lag / Math.log(l);
            }
        }
        return ts;
    }

    private int[] toActive(int[] states, String what) {
        int[] out = new int[states.length];
        for (int i = 0; i < states.length; i++) {
            if (states[i] < 0 || states[i] >= numberOfStates || fullToActive[states[i]] < 0) {
                throw new IllegalArgumentException(what + " state " + states[i]
                        + " is not in the active set of the Markov model");
            }
            out[i] = fullToActive[states[i]];
        }
        return out;
    }

    /**
     * Mean first-passage times to the set {@code to} from every active state, in frames: m_i = 0 in the set, and
     * m_i = lag + sum_j T_ij m_j elsewhere (a linear solve). Indexed by active position.
     */
    double[] mfptToSet(int[] to) {
        int[] target = toActive(to, "target");
        int m = t.length;
        boolean[] inTarget = new boolean[m];
        for (int b : target) {
            inTarget[b] = true;
        }
        int[] rest = new int[m];
        int r = 0;
        for (int i = 0; i < m; i++) {
            if (!inTarget[i]) {
                rest[r++] = i;
            }
        }
        double[] result = new double[m];
        if (r == 0) {
            return result;
        }
        RealMatrix a = new Array2DRowRealMatrix(r, r);
        double[] rhs = new double[r];
        for (int x = 0; x < r; x++) {
            for (int y = 0; y < r; y++) {
                a.setEntry(x, y, (x == y ? 1 : 0) - t[rest[x]][rest[y]]);
            }
            rhs[x] = lag;
        }
        double[] sol = new LUDecomposition(a).getSolver().solve(new ArrayRealVector(rhs)).toArray();
        for (int x = 0; x < r; x++) {
            result[rest[x]] = sol[x];
        }
        return result;
    }

    /**
     * Mean first-passage time from the set {@code from} (weighted by the stationary distribution within it) to the
     * set {@code to}, in frames.
     */
    public double mfpt(int[] from, int[] to) {
        int[] source = toActive(from, "source");
        double[] m = mfptToSet(to);
        double num = 0, den = 0;
        for (int a : source) {
            num += pi[a] * m[a];
            den += pi[a];
        }
        return num / den;
    }

    /** MFPT between two single states, in frames. */
    public double mfpt(int from, int to) {
        return mfpt(new int[] { from }, new int[] { to });
    }

    /**
     * Forward committor: the probability of reaching B before A, per active state (0 on A, 1 on B). The backward
     * committor is the same for the time-reversed chain; for a reversible model it is 1 - forward.
     */
    public double[] forwardCommittor(int[] setA, int[] setB) {
        return committor(t, toActive(setA, "A"), toActive(setB, "B"));
    }

    /** Backward committor: the probability of having come from A rather than from B, per active state. */
    public double[] backwardCommittor(int[] setA, int[] setB) {
        int m = t.length;
        double[][] reverse = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                reverse[i][j] = pi[j] * t[j][i] / pi[i];
            }
        }
        return committor(reverse, toActive(setB, "B"), toActive(setA, "A"));
    }

    private static double[] committor(double[][] t, int[] a, int[] b) {
        int m = t.length;
        int[] kind = new int[m]; // 0 free, 1 in A, 2 in B
        for (int i : a) {
            kind[i] = 1;
        }
        for (int i : b) {
            if (kind[i] == 1) {
                throw new IllegalArgumentException("sets A and B overlap at active state " + i);
            }
            kind[i] = 2;
        }
        int[] free = new int[m];
        int f = 0;
        for (int i = 0; i < m; i++) {
            if (kind[i] == 0) {
                free[f++] = i;
            }
        }
        double[] q = new double[m];
        for (int i = 0; i < m; i++) {
            q[i] = kind[i] == 2 ? 1 : 0;
        }
        if (f == 0) {
            return q;
        }
        RealMatrix mat = new Array2DRowRealMatrix(f, f);
        double[] rhs = new double[f];
        for (int x = 0; x < f; x++) {
            for (int y = 0; y < f; y++) {
                mat.setEntry(x, y, (x == y ? 1 : 0) - t[free[x]][free[y]]);
            }
            for (int j = 0; j < m; j++) {
                if (kind[j] == 2) {
                    rhs[x] += t[free[x]][j];
                }
            }
        }
        double[] sol = new LUDecomposition(mat).getSolver().solve(new ArrayRealVector(rhs)).toArray();
        for (int x = 0; x < f; x++) {
            q[free[x]] = sol[x];
        }
        return q;
    }

    /** A distribution over active states after {@code steps} model steps: p T^steps. */
    public double[] propagate(double[] p0, int steps) {
        int m = t.length;
        double[] p = p0.clone();
        double[] next = new double[m];
        for (int s = 0; s < steps; s++) {
            Arrays.fill(next, 0);
            for (int i = 0; i < m; i++) {
                if (p[i] != 0) {
                    for (int j = 0; j < m; j++) {
                        next[j] += p[i] * t[i][j];
                    }
                }
            }
            double[] swap = p;
            p = next;
            next = swap;
        }
        return p;
    }
}
