package org.slowdyn.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.slowdyn.core.FilterResult;
import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.Featurizer;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.ModelTrainer;
import org.slowdyn.core.RecrossingFilter;
import org.slowdyn.core.StageRegistry;
import org.slowdyn.core.StatePartition;
import org.slowdyn.core.TrainerCost;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.data.TrajectoryInput;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Minimal stages for the app's tests, whose results are known by construction: the input's series as features, the
 * sign of x as two states, no filter, and a trainer whose model generates blocks of a fixed length that alternate
 * between the two states (so its direct MFPTs are the block length).
 */
final class TestStages {
    private TestStages() {
    }

    static final Setting<Integer> BLOCK = Setting.integer("block", 10, 1, 1_000_000, "frames", "block length");
    static final Setting<Integer> STEP = Setting.integer("step", 1, 1, 1000, "frames", "data frames per step");
    static final Setting<Boolean> FAIL = Setting.bool("fail", false, "throw when training");
    static final Setting<Boolean> HOLD = Setting.bool("hold", false, "train until cancelled (a long cell)");

    private static final SettingsSchema NONE = SettingsSchema.of();
    private static final SettingsSchema BLOCKS = SettingsSchema.of(BLOCK, STEP, FAIL, HOLD);

    static StageRegistry registry() {
        return StageRegistry.of(new Columns(), new Sign(), new NoFilter(), new Blocks("test.blocks"),
                new Blocks("test.baseline"));
    }

    static final class Columns implements Featurizer {
        public String id() {
            return "test.columns";
        }

        public String label() {
            return "Columns";
        }

        public String description() {
            return "the input series";
        }

        public SettingsSchema settingsSchema() {
            return NONE;
        }

        public List<FeatureSeries> featurize(TrajectoryInput input, Settings settings, IProgressMonitor monitor) {
            return input.series();
        }
    }

    static final class Sign implements StatePartition {
        public String id() {
            return "test.sign";
        }

        public String label() {
            return "Sign of x";
        }

        public String description() {
            return "state 0 for x < 0, 1 otherwise";
        }

        public SettingsSchema settingsSchema() {
            return NONE;
        }

        public FittedPartition fit(List<FeatureSeries> data, Settings settings, IProgressMonitor monitor) {
            return new FittedPartition() {
                public String partitionId() {
                    return "test.sign";
                }

                public int numberOfStates() {
                    return 2;
                }

                public List<String> stateLabels() {
                    return List.of("x < 0", "x >= 0");
                }

                public StateSequence assign(FeatureSeries f) {
                    int[] s = new int[f.frames()];
                    for (int i = 0; i < s.length; i++) {
                        s[i] = f.get(i, 0) < 0 ? 0 : 1;
                    }
                    return StateSequence.wrap(s, 2, f.frameInterval(), f.timeUnit(), f.source());
                }

                public ObjectNode toJson() {
                    return JsonNodeFactory.instance.objectNode().put("partition", "test.sign");
                }
            };
        }

        public FittedPartition load(JsonNode json) {
            return fit(List.of(), null, null);
        }
    }

    static final class NoFilter implements RecrossingFilter {
        public String id() {
            return "test.none";
        }

        public String label() {
            return "None";
        }

        public String description() {
            return "keeps every frame";
        }

        public SettingsSchema settingsSchema() {
            return NONE;
        }

        public FilterResult filter(List<StateSequence> sequences, Settings settings, IProgressMonitor monitor) {
            return FilterResult.compare(sequences, sequences);
        }
    }

    static final class Blocks implements ModelTrainer {
        private final String id;

        Blocks(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public String label() {
            return "Blocks";
        }

        public String description() {
            return "alternating blocks of one length";
        }

        public SettingsSchema settingsSchema() {
            return BLOCKS;
        }

        /** Declared for the study tests' arithmetic: 0.01 s per training frame, 0.001 s per generated frame. */
        @Override
        public TrainerCost cost(Settings settings) {
            return new TrainerCost(0.01, 0.001);
        }

        public KineticModel train(List<StateSequence> sequences, Settings settings, long seed,
                IProgressMonitor monitor) {
            if (settings.get(FAIL)) {
                throw new IllegalStateException("this trainer fails on request");
            }
            while (settings.get(HOLD)) {
                if (monitor.isCanceled()) {
                    throw new org.eclipse.core.runtime.OperationCanceledException();
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new org.eclipse.core.runtime.OperationCanceledException();
                }
            }
            int block = settings.get(BLOCK), step = settings.get(STEP);
            double dt = sequences.get(0).frameInterval() * step;
            String unit = sequences.get(0).timeUnit();
            return new KineticModel() {
                public String trainerId() {
                    return id;
                }

                public Settings settings() {
                    return settings;
                }

                public int numberOfStates() {
                    return 2;
                }

                public double frameInterval() {
                    return dt;
                }

                public String timeUnit() {
                    return unit;
                }

                public List<StateSequence> generate(List<int[]> prefixes, int length, long seed, double temperature,
                        IProgressMonitor monitor) {
                    List<StateSequence> out = new ArrayList<>();
                    for (int[] p : prefixes) {
                        int[] s = new int[length];
                        System.arraycopy(p, 0, s, 0, p.length);
                        for (int i = p.length; i < length; i++) {
                            s[i] = (p[p.length - 1] + (i - p.length + 1) / block) % 2;
                        }
                        out.add(StateSequence.wrap(s, 2, dt, unit, "blocks"));
                    }
                    return out;
                }

                public void save(Path directory) throws java.io.IOException {
                    java.nio.file.Files.createDirectories(directory);
                    java.nio.file.Files.writeString(directory.resolve("model.json"), "{\"trainer\":\"" + id + "\"}");
                }
            };
        }

        public KineticModel load(Path directory) {
            throw new UnsupportedOperationException();
        }
    }
}
