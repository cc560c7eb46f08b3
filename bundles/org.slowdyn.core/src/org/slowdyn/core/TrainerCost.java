package org.slowdyn.core;

/**
 * What a trainer's work costs, roughly, on one core: for a run's progress and a study's time left, never for results.
 * A study weighs its cells by it, so a cell of an hour moves the progress as much as an hour of cells of a minute.
 *
 * @param secondsPerTrainingFrame  seconds of the whole training per training frame (every epoch up to its cap)
 * @param secondsPerGeneratedFrame seconds per generated frame
 */
public record TrainerCost(double secondsPerTrainingFrame, double secondsPerGeneratedFrame) {
    /**
     * The cost of a trainer that does not say: a small network such as the LSTM at Tsai's size, trained for 20
     * epochs at about 3e5 frames per second and generating about 8e5 frames per second.
     */
    public static final TrainerCost SMALL_NETWORK = new TrainerCost(20 / 3e5, 1 / 8e5);

    /** @throws IllegalArgumentException for a negative or non-finite cost */
    public TrainerCost {
        if (!(secondsPerTrainingFrame >= 0) || !(secondsPerGeneratedFrame >= 0)
                || Double.isInfinite(secondsPerTrainingFrame) || Double.isInfinite(secondsPerGeneratedFrame)) {
            throw new IllegalArgumentException("a trainer's cost must be finite and not negative, got "
                    + secondsPerTrainingFrame + " s per training frame and " + secondsPerGeneratedFrame
                    + " s per generated frame");
        }
    }
}
