package org.slowdyn.train.markov;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.AtomicFiles;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.kinetics.TransitionCounts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Markov chain with transition matrix T = row-normalised counts. A state whose row has no counts (never left in
 * the training data, or never visited) stays where it is. Generation samples each trajectory with its own random
 * stream split from the seed in order, so results do not depend on threads.
 */
public final class MarkovChainModel implements KineticModel {
    static final String FILE = "model.json";

    private final long[][] counts;
    private final double[][] cumulative;
    private final double frameInterval;
    private final String timeUnit;
    private final Settings settings;

    MarkovChainModel(long[][] counts, double frameInterval, String timeUnit, Settings settings) {
        this.counts = counts;
        this.frameInterval = frameInterval;
        this.timeUnit = timeUnit;
        this.settings = settings;
        double[][] p = TransitionCounts.rowNormalise(counts);
        this.cumulative = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            boolean empty = true;
            for (double v : p[i]) {
                empty &= v == 0;
            }
            if (empty) {
                p[i][i] = 1;
            }
            cumulative[i] = cumulative(p[i], 1.0);
        }
    }

    private static double[] cumulative(double[] p, double temperature) {
        double[] c = new double[p.length];
        double sum = 0;
        for (int j = 0; j < p.length; j++) {
            sum += temperature == 1.0 ? p[j] : (p[j] == 0 ? 0 : Math.pow(p[j], 1 / temperature));
            c[j] = sum;
        }
        for (int j = 0; j < p.length; j++) {
            c[j] /= sum;
        }
        c[p.length - 1] = 1.0;
        return c;
    }

    /** The transition matrix. */
    public double[][] transitionMatrix() {
        double[][] t = new double[cumulative.length][cumulative.length];
        for (int i = 0; i < t.length; i++) {
            double previous = 0;
            for (int j = 0; j < t.length; j++) {
                t[i][j] = cumulative[i][j] - previous;
                previous = cumulative[i][j];
            }
        }
        return t;
    }

    @Override
    public String trainerId() {
        return MarkovChainTrainer.ID;
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public int numberOfStates() {
        return counts.length;
    }

    @Override
    public double frameInterval() {
        return frameInterval;
    }

    @Override
    public String timeUnit() {
        return timeUnit;
    }

    @Override
    public List<StateSequence> generate(List<int[]> prefixes, int length, long seed, double temperature,
            IProgressMonitor monitor) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, got " + temperature);
        }
        int n = counts.length;
        for (int t = 0; t < prefixes.size(); t++) {
            int[] prefix = prefixes.get(t);
            if (prefix.length == 0 || prefix.length > length) {
                throw new IllegalArgumentException("prefix " + t + " has " + prefix.length
                        + " frames; it needs at least 1 and at most the generated length " + length);
            }
            for (int i = 0; i < prefix.length; i++) {
                if (prefix[i] < 0 || prefix[i] >= n) {
                    throw new IllegalArgumentException("prefix " + t + ", frame " + i + ": state " + prefix[i]
                            + " is outside the model's " + n + " states");
                }
            }
        }
        double[][] table = cumulative;
        if (temperature != 1.0) {
            double[][] p = transitionMatrix();
            table = new double[n][];
            for (int i = 0; i < n; i++) {
                table[i] = cumulative(p[i], temperature);
            }
        }
        final double[][] cdf = table;
        SplittableRandom master = new SplittableRandom(seed);
        SplittableRandom[] streams = new SplittableRandom[prefixes.size()];
        for (int t = 0; t < streams.length; t++) {
            streams[t] = master.split();
        }
        SubMonitor progress = SubMonitor.convert(monitor, "Sampling the Markov chain", prefixes.size());
        StateSequence[] out = new StateSequence[prefixes.size()];
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        IntStream.range(0, prefixes.size()).parallel().forEach(t -> {
            if (cancelled.get()) {
                return;
            }
            int[] prefix = prefixes.get(t);
            int[] states = java.util.Arrays.copyOf(prefix, length);
            SplittableRandom rng = streams[t];
            int s = prefix[prefix.length - 1];
            for (int i = prefix.length; i < length; i++) {
                s = sample(cdf[s], rng.nextDouble());
                states[i] = s;
            }
            out[t] = StateSequence.wrap(states, n, frameInterval, timeUnit, "markov chain trajectory " + t);
        });
        for (int t = 0; t < out.length; t++) {
            if (progress.isCanceled()) {
                cancelled.set(true);
                throw new OperationCanceledException();
            }
            progress.worked(1);
        }
        List<StateSequence> result = new ArrayList<>(out.length);
        java.util.Collections.addAll(result, out);
        return result;
    }

    /** Smallest j with u < cdf[j]. */
    private static int sample(double[] cdf, double u) {
        int lo = 0, hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (u < cdf[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    @Override
    public void save(Path directory) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode json = mapper.createObjectNode();
        json.put("trainer", MarkovChainTrainer.ID);
        json.put("frameInterval", frameInterval);
        json.put("timeUnit", timeUnit);
        json.set("settings", settings.toJson());
        ArrayNode rows = json.putArray("counts");
        for (long[] row : counts) {
            ArrayNode r = rows.addArray();
            for (long v : row) {
                r.add(v);
            }
        }
        AtomicFiles.writeString(directory.resolve(FILE), mapper.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    }
}
