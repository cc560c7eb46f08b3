package org.slowdyn.recrossing;

import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

/**
 * Minimum dwell ("step" k): a change to a new state is accepted only if the new state then persists for at least k
 * consecutive frames; a shorter excursion takes the state the trajectory was committed to before it. The first run of
 * a trajectory is its committed state whatever its length (nothing precedes it), and a run that is cut short by the
 * end of the trajectory counts as an excursion when it is shorter than k. k = 1 changes nothing.
 */
public class MinimumDwellFilter extends FrameRelabellingFilter {
    public static final String ID = "recrossing.min-dwell";

    public static final Setting<Integer> MIN_DWELL = Setting.integer("minDwell", 10, 1, Integer.MAX_VALUE, "frames",
            "frames a new state must persist for its change to count (the step k)");
    public static final SettingsSchema SCHEMA = SettingsSchema.of(MIN_DWELL);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "Minimum dwell";
    }

    @Override
    public String description() {
        return "Absorbs excursions shorter than k frames into the state they interrupt";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    @Override
    String note(Settings settings) {
        return "[min-dwell " + settings.get(MIN_DWELL) + "]";
    }

    @Override
    int[] relabel(int[] states, Settings settings) {
        return apply(states, settings.get(MIN_DWELL));
    }

    /** The filter on a plain array (not modified). */
    public static int[] apply(int[] states, int k) {
        int[] out = states.clone();
        if (states.length == 0) {
            return out;
        }
        int committed = states[0];
        int start = 0;
        while (start < states.length) {
            int end = start;
            while (end < states.length && states[end] == states[start]) {
                end++;
            }
            // run [start, end) of state states[start]
            if (start == 0 || end - start >= k) {
                committed = states[start];
            } else {
                java.util.Arrays.fill(out, start, end, committed);
            }
            start = end;
        }
        return out;
    }
}
