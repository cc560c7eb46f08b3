package org.slowdyn.recrossing;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.FilterContext;
import org.slowdyn.core.FilterResult;
import org.slowdyn.core.InputException;
import org.slowdyn.core.MembershipPartition;
import org.slowdyn.core.RecrossingFilter;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

/**
 * Core-set milestoning with the last core (Buchete and Hummer 2008; Schuette et al. 2011): only frames inside a core
 * count as being in a state; a frame outside every core takes the label of the last core its trajectory visited, so
 * that only committed core-to-core transitions remain. A trajectory starts at its first core visit: the frames before
 * it are dropped, and a trajectory that never reaches a core is dropped whole; both are counted in the accounting.
 *
 * <p>Cores are defined by {@code cores}:
 * <ul>
 * <li>{@code states}: a subset of the partition's states ({@code coreStates}); the states keep their numbers;</li>
 * <li>{@code spheres}: balls of {@code radius} around {@code centers} in the space of {@code features}; state i is
 * core i (a frame inside two balls goes to the nearer center);</li>
 * <li>{@code boxes}: boxes from {@code boxMin} to {@code boxMax} (inclusive) in the space of {@code features}; state i
 * is box i (the first box containing the frame);</li>
 * <li>{@code memberships}: the metastable sets of a partition with fuzzy memberships (PCCA+), a frame being in the
 * core of set j when its membership there is at least {@code threshold}.</li>
 * </ul>
 * Frames relabelled in the accounting are the kept frames outside every core.
 */
public class CoreSetMilestoning implements RecrossingFilter {
    public static final String ID = "recrossing.milestoning";

    public static final Setting<String> CORES = Setting.choice("cores", "spheres",
            List.of("spheres", "boxes", "states", "memberships"), "how the cores are defined");
    public static final Setting<List<String>> FEATURES = Setting.textList("features", List.of(), 0,
            "features of the sphere and box coordinates; empty uses every feature");
    public static final Setting<List<List<Double>>> CENTERS = Setting.points("centers",
            List.of(List.of(-2.0, 1.0), List.of(-0.5, -2.0), List.of(0.5, 2.0), List.of(2.0, -1.0)), 1,
            "feature units", "sphere centers (cores = spheres); default: the four wells of the built-in potential");
    public static final Setting<Double> RADIUS = Setting.real("radius", 0.6, 1e-12, Double.MAX_VALUE, "feature units",
            "sphere radius (cores = spheres)");
    public static final Setting<List<List<Double>>> BOX_MIN = Setting.points("boxMin", null, 1, "feature units",
            "lower corner of each box (cores = boxes)");
    public static final Setting<List<List<Double>>> BOX_MAX = Setting.points("boxMax", null, 1, "feature units",
            "upper corner of each box (cores = boxes)");
    public static final Setting<List<Integer>> CORE_STATES = Setting.integerList("coreStates", List.of(), 0, 0,
            Integer.MAX_VALUE, "", "partition states that are cores (cores = states)");
    public static final Setting<Double> THRESHOLD = Setting.real("threshold", 0.9, 0.5, 1.0, "",
            "membership a frame needs to be in a core (cores = memberships); above 0.5 a frame is in one core at most");
    public static final SettingsSchema SCHEMA = SettingsSchema.of(CoreSetMilestoning::check, CORES, FEATURES, CENTERS,
            RADIUS, BOX_MIN, BOX_MAX, CORE_STATES, THRESHOLD);

    private static void check(Settings s) {
        switch (s.get(CORES)) {
        case "states":
            if (s.get(CORE_STATES).isEmpty()) {
                throw new InvalidSettingException(CORE_STATES.name(), "setting 'coreStates' is empty: with cores = "
                        + "states it lists the partition states that are cores");
            }
            break;
        case "boxes":
            if (s.get(BOX_MIN) == null || s.get(BOX_MAX) == null || s.get(BOX_MIN).size() != s.get(BOX_MAX).size()
                    || s.get(BOX_MIN).get(0).size() != s.get(BOX_MAX).get(0).size()) {
                throw new InvalidSettingException(BOX_MAX.name(), "settings 'boxMin' and 'boxMax' must both be given, "
                        + "with one corner per box and points of the same dimension");
            }
            for (int b = 0; b < s.get(BOX_MIN).size(); b++) {
                for (int j = 0; j < s.get(BOX_MIN).get(b).size(); j++) {
                    if (s.get(BOX_MIN).get(b).get(j) > s.get(BOX_MAX).get(b).get(j)) {
                        throw new InvalidSettingException(BOX_MAX.name(), "box " + b + " has boxMin above boxMax in "
                                + "coordinate " + j);
                    }
                }
            }
            break;
        default:
            break;
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "Core-set milestoning";
    }

    @Override
    public String description() {
        return "Frames outside every core take the last core visited; trajectories start at their first core";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    @Override
    public FilterResult filter(List<StateSequence> sequences, Settings settings, IProgressMonitor monitor) {
        return filter(FilterContext.of(sequences), settings, monitor);
    }

    @Override
    public FilterResult filter(FilterContext context, Settings settings, IProgressMonitor monitor) {
        List<StateSequence> states = context.states();
        SubMonitor progress = SubMonitor.convert(monitor, label(), states.size());
        String mode = settings.get(CORES);
        if ((mode.equals("spheres") || mode.equals("boxes") || mode.equals("memberships"))
                && context.features().isEmpty()) {
            throw new ConfigurationException(ID + ": cores = " + mode + " needs the feature series of the trajectories; "
                    + "they are given when the filter runs in a pipeline");
        }
        int cores;
        List<String> labels = null;
        MembershipPartition fuzzy = null;
        switch (mode) {
        case "states":
            cores = states.isEmpty() ? 0 : states.get(0).numberOfStates();
            for (int c : settings.get(CORE_STATES)) {
                if (c >= cores) {
                    throw new InvalidSettingException(CORE_STATES.name(), ID + ": setting 'coreStates' names state "
                            + c + ", but the partition has " + cores + " states");
                }
            }
            break;
        case "spheres":
            cores = settings.get(CENTERS).size();
            labels = new ArrayList<>();
            for (List<Double> c : settings.get(CENTERS)) {
                labels.add("core " + labels.size() + ": radius " + settings.get(RADIUS) + " around " + c);
            }
            break;
        case "boxes":
            cores = settings.get(BOX_MIN).size();
            labels = new ArrayList<>();
            for (int b = 0; b < cores; b++) {
                labels.add("core " + b + ": box " + settings.get(BOX_MIN).get(b) + " to " + settings.get(BOX_MAX).get(b));
            }
            break;
        default: // memberships
            if (context.partition().isEmpty() || !(context.partition().get() instanceof MembershipPartition)) {
                throw new ConfigurationException(ID + ": cores = memberships needs a partition with fuzzy memberships "
                        + "(partition.pcca), not " + context.partition().map(p -> p.partitionId()).orElse("none"));
            }
            fuzzy = (MembershipPartition) context.partition().get();
            cores = fuzzy.numberOfStates();
            break;
        }
        List<StateSequence> out = new ArrayList<>();
        long relabelled = 0, dropped = 0, transitions = 0;
        int droppedTrajectories = 0;
        for (int t = 0; t < states.size(); t++) {
            StateSequence s = states.get(t);
            int[] core = coreOfFrames(mode, s, context.features().isEmpty() ? null : context.features().get(t),
                    fuzzy, settings);
            int first = 0;
            while (first < core.length && core[first] < 0) {
                first++;
            }
            if (first == core.length) {
                dropped += core.length;
                droppedTrajectories++;
                progress.split(1);
                continue;
            }
            dropped += first;
            int[] labelled = new int[core.length - first];
            int last = core[first];
            for (int i = first; i < core.length; i++) {
                if (core[i] >= 0) {
                    last = core[i];
                } else {
                    relabelled++;
                }
                labelled[i - first] = last;
            }
            StateSequence milestoned = StateSequence.wrap(labelled, cores, s.frameInterval(), s.timeUnit(),
                    s.source() + " [milestoning " + mode + (first > 0 ? ", first " + first + " frames dropped" : "")
                            + "]");
            transitions += FilterResult.transitions(milestoned);
            out.add(milestoned);
            progress.split(1);
        }
        if (out.isEmpty()) {
            throw new InputException(ID + ": no trajectory ever enters a core (" + states.size()
                    + " trajectories checked); check the core definition (" + mode + ")");
        }
        return new FilterResult(states, out, transitions, relabelled, dropped, droppedTrajectories, labels);
    }

    /** Core index of every frame, or -1 outside every core. */
    private static int[] coreOfFrames(String mode, StateSequence s, FeatureSeries f, MembershipPartition fuzzy,
            Settings settings) {
        int[] core = new int[s.length()];
        switch (mode) {
        case "states": {
            boolean[] isCore = new boolean[s.numberOfStates()];
            for (int c : settings.get(CORE_STATES)) {
                isCore[c] = true;
            }
            for (int i = 0; i < core.length; i++) {
                core[i] = isCore[s.state(i)] ? s.state(i) : -1;
            }
            return core;
        }
        case "memberships": {
            double[][] chi = fuzzy.memberships(f);
            double threshold = settings.get(THRESHOLD);
            for (int i = 0; i < core.length; i++) {
                core[i] = -1;
                for (int j = 0; j < chi[i].length; j++) {
                    if (chi[i][j] >= threshold) {
                        core[i] = j;
                        break;
                    }
                }
            }
            return core;
        }
        default:
            break;
        }
        List<String> names = settings.get(FEATURES).isEmpty() ? f.labels() : settings.get(FEATURES);
        int[] cols = f.indicesOf(names, ID);
        double[] x = new double[cols.length];
        if (mode.equals("spheres")) {
            List<List<Double>> centers = settings.get(CENTERS);
            if (centers.get(0).size() != cols.length) {
                throw new InvalidSettingException(CENTERS.name(), ID + ": setting 'centers' has points of dimension "
                        + centers.get(0).size() + " but " + cols.length + " features are used (" + names + ")");
            }
            double r2 = settings.get(RADIUS) * settings.get(RADIUS);
            for (int i = 0; i < core.length; i++) {
                for (int j = 0; j < cols.length; j++) {
                    x[j] = f.get(i, cols[j]);
                }
                core[i] = -1;
                double best = r2;
                for (int c = 0; c < centers.size(); c++) {
                    double d2 = 0;
                    for (int j = 0; j < cols.length; j++) {
                        double diff = x[j] - centers.get(c).get(j);
                        d2 += diff * diff;
                    }
                    if (d2 <= best) {
                        best = d2;
                        core[i] = c;
                    }
                }
            }
        } else {
            List<List<Double>> lo = settings.get(BOX_MIN), hi = settings.get(BOX_MAX);
            if (lo.get(0).size() != cols.length) {
                throw new InvalidSettingException(BOX_MIN.name(), ID + ": boxes have dimension " + lo.get(0).size()
                        + " but " + cols.length + " features are used (" + names + ")");
            }
            for (int i = 0; i < core.length; i++) {
                core[i] = -1;
                for (int b = 0; b < lo.size() && core[i] < 0; b++) {
                    boolean inside = true;
                    for (int j = 0; j < cols.length && inside; j++) {
                        double v = f.get(i, cols[j]);
                        inside = v >= lo.get(b).get(j) && v <= hi.get(b).get(j);
                    }
                    if (inside) {
                        core[i] = b;
                    }
                }
            }
        }
        return core;
    }
}
