package org.slowdyn.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.osgi.annotation.versioning.ConsumerType;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.Settings;

/** Service contract: trains a generative kinetic model on state sequences. */
@ConsumerType
public interface ModelTrainer extends Stage {
    /**
     * @param sequences training trajectories, kept separate (no transition is counted across two of them)
     * @param seed      seed for every random choice of the training
     */
    KineticModel train(List<StateSequence> sequences, Settings settings, long seed, IProgressMonitor monitor);

    /**
     * Trains with a folder for intermediate files (checkpoints, logs) that outlives the call; the pipeline runner
     * passes one inside its run folder. Trainers without intermediate files ignore it.
     */
    default KineticModel train(List<StateSequence> sequences, Settings settings, long seed, Path workDirectory,
            IProgressMonitor monitor) {
        return train(sequences, settings, seed, monitor);
    }

    /**
     * What training and generating with {@code settings} roughly cost, for progress and the time left only. A trainer
     * that does not say is taken for a small network ({@link TrainerCost#SMALL_NETWORK}); one much faster or slower
     * (a counting model, a wide network) should say, or a study's time left is off until its first cells finish.
     */
    default TrainerCost cost(Settings settings) {
        return TrainerCost.SMALL_NETWORK;
    }

    /** Restores a model written by {@link KineticModel#save(Path)}. */
    KineticModel load(Path directory) throws IOException;
}
