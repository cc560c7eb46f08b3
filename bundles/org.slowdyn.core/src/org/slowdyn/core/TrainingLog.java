package org.slowdyn.core;

import java.util.List;

/**
 * The course of an epoch-wise training: per epoch the mean training and validation loss (nats per predicted frame;
 * NaN without validation data) and the wall time, the epoch whose parameters were kept, and why training stopped.
 */
public record TrainingLog(List<Epoch> epochs, int keptEpoch, String stopReason, List<String> notes) {
    public TrainingLog {
        epochs = List.copyOf(epochs);
        notes = List.copyOf(notes);
    }

    /** One epoch: its number (from 1), losses in nats per predicted frame, and seconds. */
    public record Epoch(int epoch, double trainingLoss, double validationLoss, double seconds) {
    }
}
