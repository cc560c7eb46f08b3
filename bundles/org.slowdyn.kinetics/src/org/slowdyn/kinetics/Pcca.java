package org.slowdyn.kinetics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * PCCA+ (Deuflhard and Weber 2005; Roeblitz and Weber 2013): fuzzy memberships chi = X A of the active states in m
 * metastable sets, from the m dominant right eigenvectors X of a reversible Markov model. A starts from the inner
 * simplex algorithm (the m states whose eigenvector rows span the largest simplex) and is optimised for crispness,
 * sum_j (sum_k A_kj^2) / A_0j, with A made feasible at every step (rows of chi sum to 1, chi >= 0 at its minimum).
 * Memberships that still leave [0, 1] by rounding are clipped and renormalised; the count of clipped entries is
 * reported.
 */
public final class Pcca {
    /** Eigenvalues closer than this are degenerate: cutting between them would be arbitrary. */
    static final double DEGENERACY = 1e-8;

    private final MarkovStateModel model;
    private final double[][] memberships;
    private final int[] crisp;
    private final double[][] coarseTransitionMatrix;
    private final double[] coarseStationary;
    private final List<String> warnings;
    private final int clipped;

    private Pcca(MarkovStateModel model, double[][] memberships, int[] crisp, double[][] coarse,
            double[] coarseStationary, List<String> warnings, int clipped) {
        this.model = model;
        this.memberships = memberships;
        this.crisp = crisp;
        this.coarseTransitionMatrix = coarse;
        this.coarseStationary = coarseStationary;
        this.warnings = List.copyOf(warnings);
        this.clipped = clipped;
    }

    /**
     * @param m number of metastable sets, from 1 to the number of active states
     * @throws IllegalArgumentException if m is out of range, or eigenvalues m and m+1 are degenerate
     */
    public static Pcca of(MarkovStateModel model, int m) {
        double[][] x = model.rightEigenvectors();
        double[] lambda = model.eigenvalues();
        int n = x.length;
        if (m < 1 || m > n) {
            throw new IllegalArgumentException("PCCA+ into " + m + " sets needs 1 to " + n
                    + " active states; the Markov model has " + n);
        }
        List<String> warnings = new ArrayList<>();
        if (!model.isReversible()) {
            warnings.add("the Markov model is not reversible: PCCA+ uses the real parts of its eigenvectors");
        }
        if (m < n && Math.abs(lambda[m - 1] - lambda[m]) < DEGENERACY) {
            throw new IllegalArgumentException("eigenvalues " + m + " and " + (m + 1) + " are degenerate ("
                    + lambda[m - 1] + ", " + lambda[m] + "): " + m + " metastable sets cannot be told apart; "
                    + "choose another number of sets");
        }
        if (m >= 2 && Math.abs(lambda[m - 1]) < 0.5) {
            warnings.add(String.format(java.util.Locale.ROOT, "eigenvalue %d is only %.4f: its process relaxes "
                    + "within about one lag time, so %d sets split states that are not metastable; the spectral gap "
                    + "suggests %d sets", m, lambda[m - 1], m, suggestedNumberOfSets(lambda)));
        } else if (m < n && lambda[m] > 0 && lambda[m - 1] > 0 && lambda[m - 1] / lambda[m] < 1.5) {
            warnings.add(String.format(java.util.Locale.ROOT, "weak spectral gap after %d sets (eigenvalues %.4f "
                    + "and %.4f): the data may not have %d clear metastable sets; the spectral gap suggests %d",
                    m, lambda[m - 1], lambda[m], m, suggestedNumberOfSets(lambda)));
        }
        double[][] chi;
        if (m == 1) {
            chi = new double[n][1];
            for (double[] row : chi) {
                row[0] = 1;
            }
        } else {
            double[][] xm = new double[n][m];
            for (int i = 0; i < n; i++) {
                System.arraycopy(x[i], 0, xm[i], 0, m);
                xm[i][0] = 1.0;
            }
            double[][] a = optimise(xm, innerSimplex(xm));
            chi = multiply(xm, a);
        }
        int clipped = 0;
        for (double[] row : chi) {
            double sum = 0;
            for (int j = 0; j < m; j++) {
                if (row[j] < 0 || row[j] > 1) {
                    clipped++;
                    row[j] = Math.min(1, Math.max(0, row[j]));
                }
                sum += row[j];
            }
            for (int j = 0; j < m; j++) {
                row[j] = sum > 0 ? row[j] / sum : 1.0 / m;
            }
        }
        int[] crisp = new int[n];
        int[] sizes = new int[m];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < m; j++) {
                if (chi[i][j] > chi[i][best]) {
                    best = j;
                }
            }
            crisp[i] = best;
            sizes[best]++;
        }
        for (int j = 0; j < m; j++) {
            if (sizes[j] == 0) {
                warnings.add("metastable set " + j + " has no state with its largest membership there");
            }
        }
        double[] pi = model.stationaryDistribution();
        double[][] t = model.transitionMatrix();
        // P_c = (chi^T D chi)^-1 chi^T D T chi
        double[][] overlap = new double[m][m], flux = new double[m][m];
        double[][] tChi = multiply(t, chi);
        double[] coarsePi = new double[m];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < m; a++) {
                coarsePi[a] += pi[i] * chi[i][a];
                for (int b = 0; b < m; b++) {
                    overlap[a][b] += chi[i][a] * pi[i] * chi[i][b];
                    flux[a][b] += chi[i][a] * pi[i] * tChi[i][b];
                }
            }
        }
        RealMatrix coarse = new LUDecomposition(new Array2DRowRealMatrix(overlap)).getSolver()
                .solve(new Array2DRowRealMatrix(flux));
        return new Pcca(model, chi, crisp, coarse.getData(), coarsePi, warnings, clipped);
    }

    /**
     * The number of sets before the largest relative gap in the leading eigenvalues: the k (2 to 10) maximising
     * lambda_{k-1} / |lambda_k|.
     */
    static int suggestedNumberOfSets(double[] lambda) {
        int best = 1;
        double bestRatio = 0;
        for (int k = 2; k < Math.min(lambda.length, 11); k++) {
            if (lambda[k - 1] <= 0) {
                break;
            }
            double ratio = lambda[k - 1] / Math.max(Math.abs(lambda[k]), 1e-12);
            if (ratio > bestRatio) {
                bestRatio = ratio;
                best = k;
            }
        }
        return best;
    }

    /** Rows of X that span the largest simplex: A0 = inverse of those rows. */
    static double[][] innerSimplex(double[][] x) {
        int n = x.length, m = x[0].length;
        double[][] work = new double[n][m];
        for (int i = 0; i < n; i++) {
            work[i] = x[i].clone();
        }
        int[] picked = new int[m];
        picked[0] = argmaxNorm(work);
        double[] origin = work[picked[0]].clone();
        for (double[] row : work) {
            for (int j = 0; j < m; j++) {
                row[j] -= origin[j];
            }
        }
        for (int k = 1; k < m; k++) {
            picked[k] = argmaxNorm(work);
            double[] direction = work[picked[k]].clone();
            double dd = dot(direction, direction);
            if (dd == 0) {
                break;
            }
            for (double[] row : work) {
                double f = dot(row, direction) / dd;
                for (int j = 0; j < m; j++) {
                    row[j] -= f * direction[j];
                }
            }
        }
        double[][] vertices = new double[m][];
        for (int k = 0; k < m; k++) {
            vertices[k] = x[picked[k]];
        }
        return new LUDecomposition(new Array2DRowRealMatrix(vertices)).getSolver().getInverse().getData();
    }

    private static int argmaxNorm(double[][] rows) {
        int best = 0;
        double bestNorm = -1;
        for (int i = 0; i < rows.length; i++) {
            double v = dot(rows[i], rows[i]);
            if (v > bestNorm) {
                bestNorm = v;
                best = i;
            }
        }
        return best;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Makes A feasible: rows of X A sum to one and the smallest entry of each column of X A is zero. */
    static void fill(double[][] a, double[][] x) {
        int m = a.length;
        for (int k = 1; k < m; k++) {
            double s = 0;
            for (int j = 1; j < m; j++) {
                s += a[k][j];
            }
            a[k][0] = -s;
        }
        for (int j = 0; j < m; j++) {
            double min = Double.POSITIVE_INFINITY;
            for (double[] row : x) {
                double v = 0;
                for (int k = 1; k < m; k++) {
                    v += row[k] * a[k][j];
                }
                min = Math.min(min, v);
            }
            a[0][j] = -min;
        }
        double total = 0;
        for (int j = 0; j < m; j++) {
            total += a[0][j];
        }
        for (int j = 0; j < m; j++) {
            a[0][j] /= total;
        }
    }

    /** Whether chi = X A is a partition of unity with no negative entry (to rounding), and no set is empty. */
    static boolean feasible(double[][] a, double[][] x) {
        int m = a.length;
        for (int j = 0; j < m; j++) {
            if (!(a[0][j] > 0)) {
                return false;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < m; j++) {
                double v = 0;
                for (int k = 0; k < m; k++) {
                    v += row[k] * a[k][j];
                }
                if (v < -1e-9) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Crispness of a feasible A (at most m). */
    static double crispness(double[][] a) {
        int m = a.length;
        double f = 0;
        for (int j = 0; j < m; j++) {
            double s = 0;
            for (int k = 0; k < m; k++) {
                s += a[k][j] * a[k][j];
            }
            f += s / a[0][j];
        }
        return f;
    }

    private static double[][] optimise(double[][] x, double[][] a0) {
        int m = a0.length;
        double[][] start = copy(a0);
        fill(start, x);
        double[] guess = new double[(m - 1) * (m - 1)];
        for (int k = 1; k < m; k++) {
            for (int j = 1; j < m; j++) {
                guess[(k - 1) * (m - 1) + (j - 1)] = start[k][j];
            }
        }
        ObjectiveFunction objective = new ObjectiveFunction(p -> {
            double[][] a = unpack(p, start);
            fill(a, x);
            // outside the feasible set (negative memberships, an empty set) crispness is unbounded: reject
            return feasible(a, x) ? crispness(a) : Double.NEGATIVE_INFINITY;
        });
        double startValue = feasible(start, x) ? crispness(start) : Double.NEGATIVE_INFINITY;
        try {
            PointValuePair best = new SimplexOptimizer(1e-10, 1e-10).optimize(new MaxEval(2000 * guess.length + 1000),
                    objective, GoalType.MAXIMIZE, new InitialGuess(guess), new NelderMeadSimplex(guess.length));
            if (best.getValue() > startValue) {
                double[][] a = unpack(best.getPoint(), start);
                fill(a, x);
                return a;
            }
        } catch (org.apache.commons.math3.exception.TooManyEvaluationsException e) {
            // keep the inner-simplex solution
        }
        return start;
    }

    private static double[][] unpack(double[] p, double[][] template) {
        int m = template.length;
        double[][] a = copy(template);
        for (int k = 1; k < m; k++) {
            for (int j = 1; j < m; j++) {
                a[k][j] = p[(k - 1) * (m - 1) + (j - 1)];
            }
        }
        return a;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length, k = b.length, m = b[0].length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < k; l++) {
                double v = a[i][l];
                if (v != 0) {
                    for (int j = 0; j < m; j++) {
                        c[i][j] += v * b[l][j];
                    }
                }
            }
        }
        return c;
    }

    public MarkovStateModel model() {
        return model;
    }

    public int numberOfSets() {
        return coarseTransitionMatrix.length;
    }

    /** Membership of each active state in each metastable set (rows sum to 1). */
    public double[][] memberships() {
        return copy(memberships);
    }

    /** Metastable set of each active state (largest membership). */
    public int[] crispAssignment() {
        return crisp.clone();
    }

    /** The metastable set of each full-space state; -1 outside the active set. */
    public int[] crispAssignmentFull() {
        int[] full = new int[model.numberOfStates()];
        Arrays.fill(full, -1);
        int[] active = model.activeSet();
        for (int a = 0; a < active.length; a++) {
            full[active[a]] = crisp[a];
        }
        return full;
    }

    /** Full-space states in each metastable set. */
    public List<int[]> metastableSets() {
        int[] active = model.activeSet();
        List<int[]> sets = new ArrayList<>();
        for (int j = 0; j < numberOfSets(); j++) {
            final int set = j;
            sets.add(java.util.stream.IntStream.range(0, active.length).filter(a -> crisp[a] == set)
                    .map(a -> active[a]).toArray());
        }
        return sets;
    }

    /** Coarse-grained transition matrix between the metastable sets at the model's lag. */
    public double[][] coarseTransitionMatrix() {
        return copy(coarseTransitionMatrix);
    }

    /** Stationary probability of each metastable set (pi chi). */
    public double[] coarseStationaryDistribution() {
        return coarseStationary.clone();
    }

    /** Conditions a user should know of: weak spectral gap, empty sets, a non-reversible model. */
    public List<String> warnings() {
        return warnings;
    }

    /** Number of membership entries outside [0, 1] before clipping. */
    public int clippedMemberships() {
        return clipped;
    }
}
