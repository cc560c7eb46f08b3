package org.slowdyn.recrossing;

import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

/**
 * Tsai's peak-and-step removal: find every frame where the state changes; where two consecutive changes are at most
 * {@code threshold} frames apart, the segment between them is noise. Of a noise segment of n frames, the first
 * floor(n/2) frames take the state before the segment (as already filtered, so that chains of close changes are
 * cleaned from left to right) and the remaining frames take the state the second change leads to. Segments between
 * changes farther apart are kept.
 */
public class PeakAndStepFilter extends FrameRelabellingFilter {
    public static final String ID = "recrossing.peak-step";

    public static final Setting<Integer> THRESHOLD = Setting.integer("threshold", 100, 1, Integer.MAX_VALUE, "frames",
            "two state changes at most this many frames apart enclose a noise segment (100 in Tsai's script)");
    public static final SettingsSchema SCHEMA = SettingsSchema.of(THRESHOLD);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "Peak and step (Tsai)";
    }

    @Override
    public String description() {
        return "Splits segments between close state changes between the states on either side";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    @Override
    String note(Settings settings) {
        return "[peak-step " + settings.get(THRESHOLD) + "]";
    }

    @Override
    int[] relabel(int[] states, Settings settings) {
        return apply(states, settings.get(THRESHOLD));
    }

    /** The filter on a plain array (not modified). */
    public static int[] apply(int[] states, int threshold) {
        int[] out = states.clone();
        int previousChange = -1;
        for (int i = 1; i < states.length; i++) {
            if (states[i] == states[i - 1]) {
                continue;
            }
            if (previousChange > 0 && i - previousChange <= threshold) {
                int n = i - previousChange;
                int before = out[previousChange - 1];
                int after = states[i];
                int half = n / 2;
                java.util.Arrays.fill(out, previousChange, previousChange + half, before);
                java.util.Arrays.fill(out, previousChange + half, i, after);
            }
            previousChange = i;
        }
        return out;
    }
}
