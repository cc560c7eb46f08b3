package org.slowdyn.train.neural;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.slowdyn.core.ConfigurationException;

/**
 * Training and validation windows cut from state trajectories. A window is {@code length + 1} consecutive frames of
 * one trajectory (inputs are its first {@code length}, targets its last {@code length}); windows never cross a
 * trajectory boundary. Windows start every {@code shift} frames and, when the trajectory does not end on that grid,
 * one more window ends at its last frame, so every transition is used. Validation data are whole trajectories or
 * the final time block of each trajectory, never interleaved with training frames.
 */
public final class TrainingData {
    /** A window: trajectory index and first frame. */
    public record Window(int sequence, int start) {
    }

    private final List<int[]> training;
    private final List<int[]> validation;
    private final List<String> notes;

    private TrainingData(List<int[]> training, List<int[]> validation, List<String> notes) {
        this.training = training;
        this.validation = validation;
        this.notes = notes;
    }

    public List<int[]> training() {
        return training;
    }

    public List<int[]> validation() {
        return validation;
    }

    /** What the split did, for the report. */
    public List<String> notes() {
        return notes;
    }

    /**
     * Splits trajectories into training and validation data.
     *
     * @param mode     "trajectories" (whole trajectories, chosen with the seed), "blocks" (the last fraction of each
     *                 trajectory), or "auto" (trajectories when there are at least 10, else blocks)
     * @param fraction share of the frames (blocks) or trajectories kept for validation; 0 for none
     * @param length   window length: trajectories shorter than {@code length + 1} frames cannot be used
     */
    public static TrainingData split(List<int[]> sequences, String mode, double fraction, int length, long seed) {
        List<String> notes = new ArrayList<>();
        List<int[]> usable = new ArrayList<>();
        long shortFrames = 0;
        for (int[] s : sequences) {
            if (s.length >= length + 1) {
                usable.add(s);
            } else {
                shortFrames += s.length;
            }
        }
        if (usable.size() < sequences.size()) {
            notes.add((sequences.size() - usable.size()) + " trajectories (" + shortFrames + " frames) are shorter "
                    + "than one window of " + (length + 1) + " frames and were not used");
        }
        if (usable.isEmpty()) {
            throw new ConfigurationException("train.lstm: no trajectory has the " + (length + 1) + " frames of one "
                    + "window (sequenceLength + 1); lower 'sequenceLength'");
        }
        String m = mode.equals("auto") ? (usable.size() >= 10 ? "trajectories" : "blocks") : mode;
        List<int[]> train = new ArrayList<>(), valid = new ArrayList<>();
        if (fraction == 0) {
            train.addAll(usable);
            notes.add("no validation data (validationFraction = 0): no early stopping");
        } else if (m.equals("trajectories")) {
            if (usable.size() < 2) {
                throw new ConfigurationException("train.lstm: validation by whole trajectories needs at least 2 "
                        + "trajectories; there is 1. Use validation = \"blocks\"");
            }
            int k = Math.max(1, Math.min(usable.size() - 1, (int) Math.round(fraction * usable.size())));
            int[] order = permutation(usable.size(), new SplittableRandom(seed));
            boolean[] isValidation = new boolean[usable.size()];
            for (int i = 0; i < k; i++) {
                isValidation[order[i]] = true;
            }
            for (int i = 0; i < usable.size(); i++) {
                (isValidation[i] ? valid : train).add(usable.get(i));
            }
            notes.add("validation: " + k + " of " + usable.size() + " whole trajectories, chosen with the seed");
        } else {
            long held = 0;
            for (int[] s : usable) {
                int cut = (int) Math.round(s.length * (1 - fraction));
                if (cut >= length + 1 && s.length - cut >= length + 1) {
                    train.add(java.util.Arrays.copyOfRange(s, 0, cut));
                    valid.add(java.util.Arrays.copyOfRange(s, cut, s.length));
                    held += s.length - cut;
                } else {
                    train.add(s);
                }
            }
            if (valid.isEmpty()) {
                throw new ConfigurationException("train.lstm: no trajectory is long enough to hold out its last "
                        + fraction + " as a validation block of at least " + (length + 1) + " frames");
            }
            notes.add("validation: the last " + Math.round(fraction * 100) + "% of " + valid.size() + " trajectories ("
                    + held + " frames), as time blocks");
        }
        return new TrainingData(train, valid, notes);
    }

    /** Windows of {@code length + 1} frames every {@code shift} frames, plus one ending at each trajectory's end. */
    public static List<Window> windows(List<int[]> sequences, int length, int shift) {
        List<Window> w = new ArrayList<>();
        for (int i = 0; i < sequences.size(); i++) {
            int n = sequences.get(i).length;
            int last = n - (length + 1);
            if (last < 0) {
                continue;
            }
            int s = 0;
            for (; s <= last; s += shift) {
                w.add(new Window(i, s));
            }
            if (s - shift != last) {
                w.add(new Window(i, last));
            }
        }
        return w;
    }

    /** A random permutation of 0..n-1 (Fisher-Yates). */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
