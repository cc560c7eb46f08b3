package org.slowdyn.train.markov;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.InputException;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.ModelTrainer;
import org.slowdyn.core.TrainerCost;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.SettingsSchema;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.kinetics.TransitionCounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The baseline every learned model is compared with: a Markov state model over the states, estimated from
 * transition counts at a lag (sliding window, summed over trajectories) on the largest connected set, reversible
 * (maximum likelihood with detailed balance) or not (row-normalised counts), and sampled as a generator with one step
 * per lag. States outside the connected set keep their raw row-normalised counts (or stay put if never left), so
 * generation never fails.
 */
public class MarkovChainTrainer implements ModelTrainer {
    public static final String ID = "train.markov";
    public static final Setting<Integer> LAG = Setting.integer("lag", 1, 1, 100_000_000, "frames",
            "lag time of the Markov model; the model generates one state per lag");
    public static final Setting<Boolean> REVERSIBLE = Setting.bool("reversible", false,
            "estimate with detailed balance (reversible maximum likelihood); false: row-normalised counts");
    public static final SettingsSchema SCHEMA = SettingsSchema.of(LAG, REVERSIBLE);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "Markov chain (baseline)";
    }

    @Override
    public String description() {
        return "Markov state model at a lag (reversible or not), sampled step by step";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    @Override
    public KineticModel train(List<StateSequence> sequences, Settings settings, long seed, IProgressMonitor monitor) {
        SubMonitor progress = SubMonitor.convert(monitor, "Counting transitions", 1);
        long[][] counts = TransitionCounts.count(sequences, settings.get(LAG));
        progress.split(1);
        StateSequence first = sequences.get(0);
        for (StateSequence s : sequences) {
            if (s.frameInterval() != first.frameInterval() || !s.timeUnit().equals(first.timeUnit())) {
                throw new InputException(s.source() + " has frame interval " + s.frameInterval() + " " + s.timeUnit()
                        + ", " + first.source() + " has " + first.frameInterval() + " " + first.timeUnit()
                        + ": the trajectories of one model must share their frame interval");
            }
        }
        try {
            return new MarkovChainModel(counts, first.frameInterval(), first.timeUnit(), settings);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(LAG.name(), ID + ": " + e.getMessage());
        }
    }

    /**
     * Counting transitions takes about 2e-7 s per frame and sampling about 5e-8 s per generated frame: a study's
     * Markov cell spends its time on the states and the kinetics, not here.
     */
    @Override
    public TrainerCost cost(Settings settings) {
        return new TrainerCost(2e-7, 5e-8);
    }

    @Override
    public KineticModel load(Path directory) throws IOException {
        Path file = directory.resolve(MarkovChainModel.FILE);
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file (not a Markov-chain model folder?)");
        }
        if (!ID.equals(json.path("trainer").asText())) {
            throw new InputException(file + ": trainer is '" + json.path("trainer").asText() + "', expected '" + ID
                    + "'");
        }
        JsonNode rows = json.path("counts");
        int n = rows.size();
        long[][] counts = new long[n][n];
        for (int i = 0; i < n; i++) {
            if (rows.get(i).size() != n) {
                throw new InputException(file + ": row " + i + " of 'counts' has " + rows.get(i).size()
                        + " entries, expected " + n);
            }
            for (int j = 0; j < n; j++) {
                counts[i][j] = rows.get(i).get(j).asLong();
                if (counts[i][j] < 0) {
                    throw new InputException(file + ": negative count at row " + i + ", column " + j);
                }
            }
        }
        return new MarkovChainModel(counts, json.path("dataFrameInterval").asDouble(), json.path("timeUnit").asText(),
                SCHEMA.fromJson(json.path("settings"), ID));
    }
}
