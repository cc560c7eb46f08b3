package org.slowdyn.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.FittedPartition;
import org.slowdyn.core.InputException;
import org.slowdyn.core.MembershipPartition;
import org.slowdyn.core.StageFamily;
import org.slowdyn.core.StageResolver;
import org.slowdyn.core.StatePartition;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.NestedStage;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;
import org.slowdyn.kinetics.MarkovStateModel;
import org.slowdyn.kinetics.MsmEstimator;
import org.slowdyn.kinetics.Pcca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Metastable macrostates: a micro partition (k-means, regular space, grid or given centers) is fitted, a Markov model
 * is estimated on the microstates at a lag, and PCCA+ lumps them into m metastable sets; each microstate goes to the
 * set of its largest membership. Microstates outside the largest connected set have no membership: a frame in one
 * takes the set of the last connected microstate its trajectory visited (the next one at the start of a trajectory).
 */
public class MetastablePartition implements StatePartition {
    public static final String ID = "partition.pcca";

    private static final ObjectNode DEFAULT_MICRO_SETTINGS = JsonNodeFactory.instance.objectNode().put("clusters", 100);

    public static final Setting<NestedStage<StatePartition>> MICRO_PARTITION = Setting.stage("micro",
            StageFamily.PARTITION, NestedStage.of(StageFamily.PARTITION, KMeansPartition.ID, DEFAULT_MICRO_SETTINGS),
            "the microstate partition: any installed state partition, with its settings");
    public static final Setting<Integer> LAG = Setting.integer("lag", 10, 1, 100_000_000, "frames",
            "lag time of the Markov model on the microstates");
    public static final Setting<Integer> SETS = Setting.integer("sets", 4, 1, 1000, "",
            "number of metastable sets m");
    public static final Setting<Boolean> REVERSIBLE = Setting.bool("reversible", true,
            "estimate the Markov model with detailed balance (recommended for PCCA+)");
    public static final SettingsSchema SCHEMA = SettingsSchema.of(MICRO_PARTITION, LAG, SETS, REVERSIBLE);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "Metastable sets (PCCA+)";
    }

    @Override
    public String description() {
        return "Microstates lumped by PCCA+ of a Markov model into m metastable sets";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    @Override
    public FittedPartition fit(List<FeatureSeries> data, Settings settings, IProgressMonitor monitor) {
        SubMonitor progress = SubMonitor.convert(monitor, "Metastable partition", 100);
        NestedStage<StatePartition> micro = settings.get(MICRO_PARTITION);
        FittedPartition microFit = micro.stage().fit(data, micro.settings(), progress.split(70));
        List<StateSequence> microStates = new ArrayList<>(data.size());
        for (FeatureSeries s : data) {
            microStates.add(microFit.assign(s));
        }
        progress.split(10);
        int lag = settings.get(LAG);
        MarkovStateModel msm;
        try {
            msm = MsmEstimator.estimate(microStates, lag, settings.get(REVERSIBLE));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(LAG.name(), ID + ": " + e.getMessage());
        }
        int m = settings.get(SETS);
        if (m > msm.activeSet().length) {
            throw new InvalidSettingException(SETS.name(), ID + ": setting 'sets' = " + m + " is more than the "
                    + msm.activeSet().length + " connected microstates");
        }
        Pcca pcca;
        try {
            pcca = Pcca.of(msm, m);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(SETS.name(), ID + ": " + e.getMessage());
        }
        progress.split(20);
        List<String> notes = new ArrayList<>(microFit.notes());
        int inactive = microFit.numberOfStates() - msm.activeSet().length;
        notes.add(String.format(Locale.ROOT, "PCCA+: %d microstates (%d outside the largest connected set) lumped "
                + "into %d metastable sets at lag %d frames; set weights %s", microFit.numberOfStates(), inactive, m,
                lag, formatWeights(pcca.coarseStationaryDistribution())));
        if (pcca.clippedMemberships() > 0) {
            notes.add("PCCA+: " + pcca.clippedMemberships() + " membership entries outside [0, 1] were clipped");
        }
        for (String w : pcca.warnings()) {
            notes.add("PCCA+ warning: " + w);
        }
        return new Fitted(microFit, pcca.crispAssignmentFull(), m, pcca.memberships(), msm.activeSet(),
                pcca.coarseTransitionMatrix(), notes);
    }

    private static String formatWeights(double[] w) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < w.length; i++) {
            b.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4f", w[i]));
        }
        return b.append(']').toString();
    }

    /** @throws ConfigurationException always: the microstates need {@link #load(JsonNode, StageResolver)} */
    @Override
    public FittedPartition load(JsonNode json) {
        throw new ConfigurationException(ID + ": a saved PCCA+ partition is loaded with the installed stages at hand, "
                + "which restore its microstate partition: use load(json, stages)");
    }

    @Override
    public FittedPartition load(JsonNode json, StageResolver stages) {
        JsonNode microJson = json.path("micro");
        String microId = json.path("microPartition").asText(microJson.path("partition").asText());
        StatePartition micro = stages.get(StageFamily.PARTITION, microId);
        FittedPartition microFit = micro.load(microJson, stages);
        int[] macro = new int[json.path("macroOfMicro").size()];
        for (int i = 0; i < macro.length; i++) {
            macro[i] = json.path("macroOfMicro").get(i).asInt();
        }
        int m = json.path("sets").asInt();
        if (macro.length != microFit.numberOfStates() || m < 1) {
            throw new ConfigurationException(ID + ": saved partition is inconsistent (" + macro.length
                    + " micro labels for " + microFit.numberOfStates() + " microstates, " + m + " sets)");
        }
        List<String> notes = new ArrayList<>();
        json.path("notes").forEach(n -> notes.add(n.asText()));
        double[][] chi = null;
        int[] active = null;
        double[][] coarse = null;
        if (json.has("memberships")) {
            active = new int[json.path("activeMicrostates").size()];
            chi = new double[active.length][m];
            for (int a = 0; a < active.length; a++) {
                active[a] = json.path("activeMicrostates").get(a).asInt();
                for (int j = 0; j < m; j++) {
                    chi[a][j] = json.path("memberships").get(a).get(j).asDouble();
                }
            }
            coarse = new double[m][m];
            for (int a = 0; a < m; a++) {
                for (int b = 0; b < m; b++) {
                    coarse[a][b] = json.path("coarseTransitionMatrix").get(a).get(b).asDouble();
                }
            }
        }
        return new Fitted(microFit, macro, m, chi, active, coarse, notes);
    }

    /** The fitted macrostate partition. */
    static final class Fitted implements MembershipPartition {
        private final FittedPartition micro;
        private final int[] macroOfMicro;
        private final int sets;
        private final double[][] memberships;
        private final int[] activeMicro;
        private final double[][] coarse;
        private final List<String> notes;

        Fitted(FittedPartition micro, int[] macroOfMicro, int sets, double[][] memberships, int[] activeMicro,
                double[][] coarse, List<String> notes) {
            this.micro = micro;
            this.macroOfMicro = macroOfMicro;
            this.sets = sets;
            this.memberships = memberships;
            this.activeMicro = activeMicro;
            this.coarse = coarse;
            this.notes = List.copyOf(notes);
        }

        @Override
        public String partitionId() {
            return ID;
        }

        @Override
        public int numberOfStates() {
            return sets;
        }

        @Override
        public List<String> stateLabels() {
            int[] size = new int[sets];
            for (int m : macroOfMicro) {
                if (m >= 0) {
                    size[m]++;
                }
            }
            List<String> labels = new ArrayList<>();
            for (int s = 0; s < sets; s++) {
                labels.add("metastable set " + s + " (" + size[s] + " microstates)");
            }
            return labels;
        }

        /** The macrostate of each microstate; -1 outside the connected set. */
        int[] macroOfMicro() {
            return macroOfMicro.clone();
        }

        @Override
        public List<String> notes() {
            return notes;
        }

        @Override
        public double[][] memberships(FeatureSeries series) {
            if (memberships == null) {
                throw new ConfigurationException(ID + ": this saved partition has no memberships");
            }
            int[] activeIndex = new int[micro.numberOfStates()];
            java.util.Arrays.fill(activeIndex, -1);
            for (int a = 0; a < activeMicro.length; a++) {
                activeIndex[activeMicro[a]] = a;
            }
            int[] microStates = micro.assign(series).toArray();
            double[][] chi = new double[microStates.length][];
            for (int i = 0; i < chi.length; i++) {
                int a = activeIndex[microStates[i]];
                chi[i] = a < 0 ? new double[sets] : memberships[a].clone();
            }
            return chi;
        }

        @Override
        public StateSequence assign(FeatureSeries series) {
            int[] microStates = micro.assign(series).toArray();
            int[] out = new int[microStates.length];
            int last = -1;
            int firstKnown = -1;
            for (int i = 0; i < out.length; i++) {
                int m = macroOfMicro[microStates[i]];
                if (m >= 0) {
                    last = m;
                    if (firstKnown < 0) {
                        firstKnown = i;
                    }
                }
                out[i] = last;
            }
            if (firstKnown < 0 && out.length > 0) {
                throw new InputException(series.source() + ": no frame falls into a microstate of the connected set "
                        + "the metastable sets were built on; the trajectory cannot be assigned");
            }
            for (int i = 0; i < firstKnown; i++) {
                out[i] = out[firstKnown];
            }
            return StateSequence.wrap(out, sets, series.frameInterval(), series.timeUnit(), series.source());
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            node.put("partition", ID);
            node.put("sets", sets);
            node.put("microPartition", micro.partitionId());
            node.set("micro", micro.toJson());
            ArrayNode macro = node.putArray("macroOfMicro");
            for (int m : macroOfMicro) {
                macro.add(m);
            }
            if (memberships != null) {
                ArrayNode active = node.putArray("activeMicrostates");
                for (int a : activeMicro) {
                    active.add(a);
                }
                node.set("memberships", FeatureColumns.matrixToJson(memberships));
                node.set("coarseTransitionMatrix", FeatureColumns.matrixToJson(coarse));
            }
            ArrayNode n = node.putArray("notes");
            notes.forEach(n::add);
            return node;
        }
    }
}
