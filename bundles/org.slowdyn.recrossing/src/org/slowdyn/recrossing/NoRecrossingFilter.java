package org.slowdyn.recrossing;

import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

/** Passes the sequences through unchanged: the explicit "no filter" choice of a pipeline. */
public class NoRecrossingFilter extends FrameRelabellingFilter {
    public static final String ID = "recrossing.none";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "No filter";
    }

    @Override
    public String description() {
        return "Keeps every state change (raw partition)";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SettingsSchema.of();
    }

    @Override
    int[] relabel(int[] states, Settings settings) {
        return states;
    }

    @Override
    String note(Settings settings) {
        return null;
    }
}
