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
import org.slowdyn.core.GenerationRequest;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.kinetics.MarkovStateModel;
import org.slowdyn.kinetics.MsmEstimator;
import org.slowdyn.kinetics.TransitionCounts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Markov chain sampled with one step per lag. On the largest connected set its transition matrix is the estimate
 * of {@link MsmEstimator} at the lag; a state outside it keeps its row-normalised counts, or stays where it is when it
 * was never left. Generation samples each trajectory with its own random stream split from the seed in order, so
 * results do not depend on threads. The model is saved as its count matrix and settings and re-estimated on loading.
 */
public final class MarkovChainModel implements KineticModel {
    static final String FILE = "model.json";

    private final long[][] counts;
    private final double[][] cumulative;
    private final double dataFrameInterval;
    private final String timeUnit;
    private final Settings settings;
    private final MarkovStateModel msm;

    /**
     * @param counts            transition counts at the lag of the settings
     * @param dataFrameInterval frame interval of the training data
     * @throws IllegalArgumentException if there are no counts at all
     */
    MarkovChainModel(long[][] counts, double dataFrameInterval, String timeUnit, Settings settings) {
        this.counts = counts;
        this.dataFrameInterval = dataFrameInterval;
        this.timeUnit = timeUnit;
        this.settings = settings;
        int lag = settings.get(MarkovChainTrainer.LAG);
        this.msm = MsmEstimator.fromCounts(counts, lag, settings.get(MarkovChainTrainer.REVERSIBLE),
                dataFrameInterval, timeUnit);
        double[][] p = TransitionCounts.rowNormalise(counts);
        double[][] active = msm.transitionMatrix();
        int[] set = msm.activeSet();
        for (int a = 0; a < set.length; a++) {
            java.util.Arrays.fill(p[set[a]], 0);
            for (int b = 0; b < set.length; b++) {
                p[set[a]][set[b]] = active[a][b];
            }
        }
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

    /** The Markov state model on the connected set. */
    public MarkovStateModel markovStateModel() {
        return msm;
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

    /** One generated step is one lag of the training data. */
    @Override
    public double frameInterval() {
        return dataFrameInterval * settings.get(MarkovChainTrainer.LAG);
    }

    @Override
    public String timeUnit() {
        return timeUnit;
    }

    @Override
    public List<StateSequence> generate(List<int[]> prefixes, int length, long seed, double temperature,
            IProgressMonitor monitor) {
        int n = counts.length;
        GenerationRequest.check(prefixes, length, n, temperature);
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
            out[t] = StateSequence.wrap(states, n, frameInterval(), timeUnit, "markov chain trajectory " + t);
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
        json.put("dataFrameInterval", dataFrameInterval);
        json.put("frameInterval", frameInterval());
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
