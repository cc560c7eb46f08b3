package org.slowdyn.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.osgi.annotation.versioning.ConsumerType;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.Settings;

/** A trained model that generates state sequences. Immutable; generation is deterministic for a given seed. */
@ConsumerType
public interface KineticModel {
    String trainerId();

    Settings settings();

    int numberOfStates();

    /** Time between generated frames, and its unit (as the training data). */
    double frameInterval();

    String timeUnit();

    /**
     * Generates one trajectory per seed prefix. Each result starts with its prefix and has {@code length} frames in
     * all.
     *
     * @param prefixes    real data to start from, at least one frame each
     * @param length      frames per generated trajectory, prefix included
     * @param seed        seed of the sampling
     * @param temperature sampling temperature; 1 samples the model's own probabilities
     */
    List<StateSequence> generate(List<int[]> prefixes, int length, long seed, double temperature,
            IProgressMonitor monitor);

    /** How training went (loss per epoch, why it stopped), for models trained in epochs; empty otherwise. */
    default java.util.Optional<TrainingLog> trainingLog() {
        return java.util.Optional.empty();
    }

    /** Writes the model with its settings into {@code directory} (created if needed). */
    void save(Path directory) throws IOException;
}
