package org.slowdyn.app;

import org.slowdyn.core.Stage;
import org.slowdyn.core.settings.Settings;

/** One pipeline stage: the implementation chosen by id and its validated settings. */
public final class StageChoice<T extends Stage> {
    private final T stage;
    private final Settings settings;

    StageChoice(T stage, Settings settings) {
        this.stage = stage;
        this.settings = settings;
    }

    public T stage() {
        return stage;
    }

    public Settings settings() {
        return settings;
    }
}
