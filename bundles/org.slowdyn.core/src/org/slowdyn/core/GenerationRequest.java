package org.slowdyn.core;

import java.util.List;

/** Checks of the arguments of {@link KineticModel#generate}, shared by the models. */
public final class GenerationRequest {
    private GenerationRequest() {
    }

    /**
     * @throws IllegalArgumentException for a temperature that is not positive and finite, a prefix that is empty or
     *                                  longer than {@code length}, or a prefix state outside {@code 0..states-1}
     */
    public static void check(List<int[]> prefixes, int length, int states, double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, got " + temperature);
        }
        for (int t = 0; t < prefixes.size(); t++) {
            int[] prefix = prefixes.get(t);
            if (prefix.length == 0 || prefix.length > length) {
                throw new IllegalArgumentException("prefix " + t + " has " + prefix.length
                        + " frames; it needs at least 1 and at most the generated length " + length);
            }
            for (int i = 0; i < prefix.length; i++) {
                if (prefix[i] < 0 || prefix[i] >= states) {
                    throw new IllegalArgumentException("prefix " + t + ", frame " + i + ": state " + prefix[i]
                            + " is outside the model's " + states + " states");
                }
            }
        }
    }
}
