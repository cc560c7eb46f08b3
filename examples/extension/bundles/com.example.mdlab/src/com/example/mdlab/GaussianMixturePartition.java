package com.example.mdlab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.MembershipPartition;
import org.slowdyn.core.StatePartition;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Gaussian mixture model states: a mixture of {@code components} Gaussians (full or diagonal covariance) is fitted
 * by expectation-maximisation (Dempster, Laird and Rubin 1977) on the features of all trajectories, started from
 * k-means++ centers (seeded) with the global covariance; each frame goes to the component of largest posterior
 * probability. Unlike Voronoi cells, the states follow the shape and width of each basin, and the posterior
 * probabilities are memberships, so core sets can be drawn at a probability threshold
 * ({@code recrossing.milestoning} with {@code memberships}).
 *
 * <p>EM never decreases the log-likelihood; the fit stops when the mean log-likelihood per frame changes by less than
 * {@code tolerance} (relative) or after {@code maxIterations}, and says which in its notes. {@code regularization} is
 * added to every covariance diagonal so that a component cannot collapse onto one point.
 */
public class GaussianMixturePartition implements StatePartition {
    public static final String ID = "mdlab.gmm";

    public static final Setting<List<String>> FEATURES = Setting.textList("features", List.of(), 0,
            "features to model; empty uses every feature");
    public static final Setting<Integer> COMPONENTS = Setting.integer("components", 4, 1, 10_000, "states",
            "number of Gaussian components, one state each");
    public static final Setting<String> COVARIANCE = Setting.choice("covariance", "full", List.of("full", "diagonal"),
            "covariance of each component: full matrices, or diagonal (features independent within a component)");
    public static final Setting<Integer> MAX_ITERATIONS = Setting.integer("maxIterations", 300, 1, 1_000_000, "",
            "largest number of EM iterations");
    public static final Setting<Double> TOLERANCE = Setting.real("tolerance", 1e-7, 0, 1, "",
            "convergence: relative change of the mean log-likelihood per frame between iterations");
    public static final Setting<Double> REGULARIZATION = Setting.real("regularization", 1e-6, 0,
            Double.MAX_VALUE, "feature units squared", "added to every covariance diagonal");
    public static final Setting<Integer> SAMPLE = Setting.integer("sample", 200_000, 0, Integer.MAX_VALUE, "frames",
            "frames used for the fit, drawn at random with the seed (0 uses every frame); all frames are assigned");
    public static final Setting<Long> SEED = Setting.longInteger("seed", 1L, Long.MIN_VALUE, Long.MAX_VALUE, "",
            "seed of the k-means++ start and of the sample");
    public static final SettingsSchema SCHEMA = SettingsSchema.of(FEATURES, COMPONENTS, COVARIANCE, MAX_ITERATIONS,
            TOLERANCE, REGULARIZATION, SAMPLE, SEED);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "Gaussian mixture";
    }

    @Override
    public String description() {
        return "States as the components of a Gaussian mixture fitted by EM; posterior probabilities as memberships";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    @Override
    public Fitted fit(List<FeatureSeries> data, Settings settings, IProgressMonitor monitor) {
        if (data.isEmpty()) {
            throw new ConfigurationException(ID + ": no trajectories to fit");
        }
        int maxIterations = settings.get(MAX_ITERATIONS);
        SubMonitor progress = SubMonitor.convert(monitor, label(), maxIterations + 2);
        List<String> features = settings.get(FEATURES).isEmpty() ? data.get(0).labels() : settings.get(FEATURES);
        double[][] x = sample(data, features, settings.get(SAMPLE), settings.get(SEED));
        progress.split(1);
        int n = x.length, d = features.size(), k = settings.get(COMPONENTS);
        if (k > n) {
            throw new InvalidSettingException(COMPONENTS.name(), ID + ": setting 'components' = " + k + " is more "
                    + "than the " + n + " frames to fit");
        }
        boolean diagonal = settings.get(COVARIANCE).equals("diagonal");
        double reg = settings.get(REGULARIZATION);
        double[][] global = covariance(x, mean(x), null, diagonal, reg);
        if (!Cholesky.isPositiveDefinite(global)) {
            throw new ConfigurationException(ID + ": the features " + features + " are linearly dependent or constant "
                    + "over the data; choose other features or set 'regularization'");
        }
        double[][] means = kmeansPlusPlus(x, k, new SplittableRandom(settings.get(SEED)));
        double[] weights = new double[k];
        Arrays.fill(weights, 1.0 / k);
        double[][][] cov = new double[k][][];
        for (int c = 0; c < k; c++) {
            cov[c] = copy(global);
        }
        double[][] resp = new double[n][k];
        List<Double> trace = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        boolean converged = false;
        int reseeded = 0;
        for (int it = 0; it < maxIterations; it++) {
            progress.split(1);
            Model model = model(weights, means, cov);
            double ll = model.responsibilities(x, resp);
            trace.add(ll / n);
            if (trace.size() > 1) {
                double previous = trace.get(trace.size() - 2);
                if (Math.abs(ll / n - previous) <= settings.get(TOLERANCE) * Math.max(1.0, Math.abs(previous))) {
                    converged = true;
                    break;
                }
            }
            // M step
            for (int c = 0; c < k; c++) {
                double nk = 0;
                double[] mu = new double[d];
                for (int i = 0; i < n; i++) {
                    nk += resp[i][c];
                    for (int j = 0; j < d; j++) {
                        mu[j] += resp[i][c] * x[i][j];
                    }
                }
                if (nk < 1e-8 * n) {
                    // an empty component starts again at the frame the model explains worst
                    means[c] = x[model.worstExplained(x)].clone();
                    cov[c] = copy(global);
                    weights[c] = 1.0 / n;
                    reseeded++;
                    continue;
                }
                for (int j = 0; j < d; j++) {
                    mu[j] /= nk;
                }
                int component = c;
                cov[c] = covariance(x, mu, i -> resp[i][component], diagonal, reg);
                means[c] = mu;
                weights[c] = nk / n;
            }
            normalise(weights);
        }
        Model model = model(weights, means, cov);
        notes.add(String.format(Locale.ROOT, "Gaussian mixture: %d components (%s covariance) on %d frames, %s after "
                + "%d EM iterations, mean log-likelihood %.6g per frame", k, diagonal ? "diagonal" : "full", n,
                converged ? "converged" : "NOT converged (raise maxIterations)", trace.size(),
                trace.get(trace.size() - 1)));
        if (reseeded > 0) {
            notes.add("Gaussian mixture: " + reseeded + " times a component was left without frames and restarted at "
                    + "the worst-explained frame; consider fewer components");
        }
        return new Fitted(features, model, notes, trace);
    }

    private static Model model(double[] weights, double[][] means, double[][][] cov) {
        try {
            return new Model(weights, means, cov);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(ID + ": a component's covariance became singular (" + e.getMessage()
                    + "); raise 'regularization' or use fewer components");
        }
    }

    @Override
    public Fitted load(JsonNode json) {
        if (!ID.equals(json.path("partition").asText())) {
            throw new ConfigurationException(ID + ": the saved partition is a '" + json.path("partition").asText()
                    + "', not a Gaussian mixture");
        }
        List<String> features = new ArrayList<>();
        json.path("features").forEach(f -> features.add(f.asText()));
        int k = json.path("weights").size(), d = features.size();
        if (k == 0 || d == 0 || json.path("means").size() != k || json.path("covariances").size() != k) {
            throw new ConfigurationException(ID + ": the saved partition is incomplete (" + k + " weights, "
                    + json.path("means").size() + " means, " + json.path("covariances").size() + " covariances, "
                    + d + " features)");
        }
        double[] w = new double[k];
        double[][] mu = new double[k][d];
        double[][][] cov = new double[k][d][d];
        for (int c = 0; c < k; c++) {
            w[c] = json.path("weights").get(c).asDouble();
            for (int i = 0; i < d; i++) {
                mu[c][i] = number(json.path("means").get(c).get(i), "means");
                for (int j = 0; j < d; j++) {
                    cov[c][i][j] = number(json.path("covariances").get(c).path(i).path(j), "covariances");
                }
            }
            if (!Cholesky.isPositiveDefinite(cov[c])) {
                throw new ConfigurationException(ID + ": saved covariance of component " + c
                        + " is not positive definite");
            }
        }
        List<String> notes = new ArrayList<>();
        json.path("notes").forEach(n -> notes.add(n.asText()));
        return new Fitted(features, new Model(w, mu, cov), notes, List.of());
    }

    private static double number(JsonNode node, String field) {
        if (node == null || !node.isNumber() || !Double.isFinite(node.asDouble())) {
            throw new ConfigurationException(ID + ": the saved '" + field + "' has a missing or non-finite entry");
        }
        return node.asDouble();
    }

    /** The selected columns of all trajectories, or a seeded random sample of about {@code sample} frames. */
    static double[][] sample(List<FeatureSeries> data, List<String> features, int sample, long seed) {
        long total = 0;
        for (FeatureSeries s : data) {
            total += s.frames();
        }
        double keep = sample == 0 || sample >= total ? 1.0 : (double) sample / total;
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<double[]> rows = new ArrayList<>();
        for (FeatureSeries s : data) {
            int[] cols = s.indicesOf(features, ID);
            for (int i = 0; i < s.frames(); i++) {
                if (keep < 1.0 && rng.nextDouble() >= keep) {
                    continue;
                }
                double[] row = new double[cols.length];
                for (int j = 0; j < cols.length; j++) {
                    row[j] = s.get(i, cols[j]);
                    if (!Double.isFinite(row[j])) {
                        throw new ConfigurationException(ID + ": " + s.source() + " frame " + i + " has a non-finite "
                                + "value of '" + features.get(j) + "'");
                    }
                }
                rows.add(row);
            }
        }
        return rows.toArray(new double[0][]);
    }

    /** k-means++ seeding (Arthur and Vassilvitskii 2007): each new center drawn with probability ~ D^2. */
    static double[][] kmeansPlusPlus(double[][] x, int k, SplittableRandom rng) {
        int n = x.length;
        double[][] centers = new double[k][];
        centers[0] = x[rng.nextInt(n)].clone();
        double[] d2 = new double[n];
        Arrays.fill(d2, Double.POSITIVE_INFINITY);
        for (int c = 1; c < k; c++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                d2[i] = Math.min(d2[i], squared(x[i], centers[c - 1]));
                sum += d2[i];
            }
            int chosen = rng.nextInt(n);
            if (sum > 0) {
                double r = rng.nextDouble() * sum;
                for (int i = 0; i < n; i++) {
                    r -= d2[i];
                    if (r <= 0) {
                        chosen = i;
                        break;
                    }
                }
            }
            centers[c] = x[chosen].clone();
        }
        return centers;
    }

    private static double squared(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double t = a[j] - b[j];
            s += t * t;
        }
        return s;
    }

    private static double[] mean(double[][] x) {
        double[] m = new double[x[0].length];
        for (double[] r : x) {
            for (int j = 0; j < m.length; j++) {
                m[j] += r[j];
            }
        }
        for (int j = 0; j < m.length; j++) {
            m[j] /= x.length;
        }
        return m;
    }

    /** Weighted covariance about mu (weights null: all 1), optionally diagonal, plus reg on the diagonal. */
    private static double[][] covariance(double[][] x, double[] mu, java.util.function.IntToDoubleFunction weight,
            boolean diagonal, double reg) {
        int d = mu.length;
        double[][] s = new double[d][d];
        double total = 0;
        double[] dx = new double[d];
        for (int i = 0; i < x.length; i++) {
            double w = weight == null ? 1.0 : weight.applyAsDouble(i);
            if (w == 0) {
                continue;
            }
            total += w;
            for (int a = 0; a < d; a++) {
                dx[a] = x[i][a] - mu[a];
            }
            for (int a = 0; a < d; a++) {
                for (int b = diagonal ? a : 0; b <= a; b++) {
                    s[a][b] += w * dx[a] * dx[b];
                    if (diagonal) {
                        break;
                    }
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                s[a][b] /= total;
                s[b][a] = s[a][b];
            }
            s[a][a] += reg;
        }
        return s;
    }

    private static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }

    private static void normalise(double[] w) {
        double s = 0;
        for (double v : w) {
            s += v;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= s;
        }
    }

    /** Weights, means and covariances with their Cholesky factors; log densities of frames. Immutable. */
    static final class Model {
        final double[] weights;
        final double[][] means;
        final double[][][] covariances;
        private final double[][][] cholesky;
        private final double[] logNorm;

        Model(double[] weights, double[][] means, double[][][] covariances) {
            int k = weights.length, d = means[0].length;
            this.weights = weights.clone();
            this.means = copy(means);
            this.covariances = new double[k][][];
            this.cholesky = new double[k][][];
            this.logNorm = new double[k];
            for (int c = 0; c < k; c++) {
                this.covariances[c] = copy(covariances[c]);
                cholesky[c] = Cholesky.factor(covariances[c]);
                double logDet = 0;
                for (int j = 0; j < d; j++) {
                    logDet += 2 * Math.log(cholesky[c][j][j]);
                }
                logNorm[c] = Math.log(weights[c]) - 0.5 * (d * Math.log(2 * Math.PI) + logDet);
            }
        }

        /** log(w_c N(x | mu_c, Sigma_c)) for every component, into out. */
        void logJoint(double[] x, double[] out, double[] work) {
            for (int c = 0; c < weights.length; c++) {
                for (int j = 0; j < x.length; j++) {
                    work[j] = x[j] - means[c][j];
                }
                out[c] = logNorm[c] - 0.5 * Cholesky.solveNormSquared(cholesky[c], work);
            }
        }

        /** Posterior probabilities of the components for every frame; returns the total log-likelihood. */
        double responsibilities(double[][] x, double[][] resp) {
            double total = 0;
            double[] work = new double[x[0].length];
            for (int i = 0; i < x.length; i++) {
                logJoint(x[i], resp[i], work);
                total += softmaxInPlace(resp[i]);
            }
            return total;
        }

        int worstExplained(double[][] x) {
            double[] lj = new double[weights.length], work = new double[x[0].length];
            int worst = 0;
            double min = Double.POSITIVE_INFINITY;
            for (int i = 0; i < x.length; i++) {
                logJoint(x[i], lj, work);
                double ll = softmaxInPlace(lj);
                if (ll < min) {
                    min = ll;
                    worst = i;
                }
            }
            return worst;
        }

        /** Turns log-joint values into posteriors; returns log of their sum (log-sum-exp). */
        static double softmaxInPlace(double[] v) {
            double max = Double.NEGATIVE_INFINITY;
            for (double a : v) {
                max = Math.max(max, a);
            }
            double s = 0;
            for (int c = 0; c < v.length; c++) {
                v[c] = Math.exp(v[c] - max);
                s += v[c];
            }
            for (int c = 0; c < v.length; c++) {
                v[c] /= s;
            }
            return max + Math.log(s);
        }
    }

    /** The fitted mixture: assigns each frame to its most probable component. */
    public static final class Fitted implements MembershipPartition {
        private final List<String> features;
        private final Model model;
        private final List<String> notes;
        private final List<Double> trace;

        Fitted(List<String> features, Model model, List<String> notes, List<Double> trace) {
            this.features = List.copyOf(features);
            this.model = model;
            this.notes = List.copyOf(notes);
            this.trace = List.copyOf(trace);
        }

        @Override
        public String partitionId() {
            return ID;
        }

        @Override
        public int numberOfStates() {
            return model.weights.length;
        }

        public double weight(int c) {
            return model.weights[c];
        }

        public double[] mean(int c) {
            return model.means[c].clone();
        }

        public double[][] covariance(int c) {
            return copy(model.covariances[c]);
        }

        /** Mean log-likelihood per frame after each E step of the fit (empty for a loaded partition). */
        public List<Double> logLikelihoodTrace() {
            return trace;
        }

        /** log p(x) of one point under the mixture. */
        public double logDensity(double[] x) {
            double[] lj = new double[model.weights.length];
            model.logJoint(x, lj, new double[x.length]);
            return Model.softmaxInPlace(lj);
        }

        @Override
        public List<String> stateLabels() {
            List<String> labels = new ArrayList<>();
            for (int c = 0; c < model.weights.length; c++) {
                StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "component %d (weight %.3f) at (", c,
                        model.weights[c]));
                for (int j = 0; j < features.size(); j++) {
                    b.append(j > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.3g", model.means[c][j]));
                }
                labels.add(b.append(')').toString());
            }
            return labels;
        }

        @Override
        public List<String> notes() {
            return notes;
        }

        @Override
        public double[][] memberships(FeatureSeries series) {
            int[] cols = series.indicesOf(features, ID);
            double[][] out = new double[series.frames()][model.weights.length];
            double[] x = new double[cols.length], work = new double[cols.length];
            for (int i = 0; i < out.length; i++) {
                for (int j = 0; j < cols.length; j++) {
                    x[j] = series.get(i, cols[j]);
                }
                model.logJoint(x, out[i], work);
                Model.softmaxInPlace(out[i]);
            }
            return out;
        }

        @Override
        public StateSequence assign(FeatureSeries series) {
            int[] cols = series.indicesOf(features, ID);
            int[] states = new int[series.frames()];
            double[] x = new double[cols.length], lj = new double[model.weights.length], work = new double[cols.length];
            for (int i = 0; i < states.length; i++) {
                for (int j = 0; j < cols.length; j++) {
                    x[j] = series.get(i, cols[j]);
                }
                if (!Arrays.stream(x).allMatch(Double::isFinite)) {
                    throw new ConfigurationException(ID + ": " + series.source() + " frame " + i
                            + " has a non-finite feature value");
                }
                model.logJoint(x, lj, work);
                int best = 0;
                for (int c = 1; c < lj.length; c++) {
                    if (lj[c] > lj[best]) {
                        best = c;
                    }
                }
                states[i] = best;
            }
            return StateSequence.wrap(states, model.weights.length, series.frameInterval(), series.timeUnit(),
                    series.source());
        }

        @Override
        public ObjectNode toJson() {
            JsonNodeFactory f = JsonNodeFactory.instance;
            ObjectNode node = f.objectNode();
            node.put("partition", ID);
            ArrayNode fs = node.putArray("features");
            features.forEach(fs::add);
            ArrayNode w = node.putArray("weights"), mu = node.putArray("means"), cov = node.putArray("covariances");
            for (int c = 0; c < model.weights.length; c++) {
                w.add(model.weights[c]);
                ArrayNode m = mu.addArray();
                Arrays.stream(model.means[c]).forEach(m::add);
                ArrayNode s = cov.addArray();
                for (double[] row : model.covariances[c]) {
                    ArrayNode r = s.addArray();
                    Arrays.stream(row).forEach(r::add);
                }
            }
            ArrayNode n = node.putArray("notes");
            notes.forEach(n::add);
            return node;
        }
    }
}
