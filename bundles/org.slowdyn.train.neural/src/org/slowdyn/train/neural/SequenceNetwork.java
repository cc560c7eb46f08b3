package org.slowdyn.train.neural;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A neural language model over states as {@link SequenceTrainer} trains it: fed with windows of token ids, each
 * window {@code length + 1} frames, row-major (the first {@code length} frames are inputs, the last {@code length}
 * targets).
 */
public interface SequenceNetwork {
    /** One gradient step on a batch; returns the mean cross-entropy per predicted frame (nats). */
    double fit(int[] windows, int batch, int length);

    /** Next-frame probabilities, teacher-forced and without dropout: batch x length x vocabulary, row-major. */
    float[] probabilities(int[] windows, int batch, int length);

    /** All parameters, flattened in a fixed order. */
    float[] parameters();

    void setParameters(float[] parameters);

    void setLearningRate(double learningRate);

    /** Writes the network, with the optimiser's state when {@code updater}, to {@code file}. */
    void save(Path file, boolean updater) throws IOException;
}
