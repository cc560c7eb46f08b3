package org.slowdyn.core.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * One trajectory as discrete states: one state index per frame in [0, numberOfStates), with the time between frames.
 * Immutable. Several trajectories are always kept as a list of sequences, never concatenated.
 */
public final class StateSequence {
    private final int[] states;
    private final int numberOfStates;
    private final double frameInterval;
    private final String timeUnit;
    private final String source;

    /**
     * @throws IllegalArgumentException naming the first frame whose state is out of range
     */
    public StateSequence(int[] states, int numberOfStates, double frameInterval, String timeUnit, String source) {
        this(states.clone(), numberOfStates, frameInterval, timeUnit, source, true);
    }

    private StateSequence(int[] states, int numberOfStates, double frameInterval, String timeUnit, String source,
            boolean owned) {
        if (numberOfStates < 1) {
            throw new IllegalArgumentException(source + ": number of states must be at least 1, got " + numberOfStates);
        }
        if (!(frameInterval > 0) || Double.isInfinite(frameInterval)) {
            throw new IllegalArgumentException(source + ": frame interval must be positive, got " + frameInterval);
        }
        for (int i = 0; i < states.length; i++) {
            if (states[i] < 0 || states[i] >= numberOfStates) {
                throw new IllegalArgumentException(source + ": frame " + i + " has state " + states[i]
                        + ", expected 0 to " + (numberOfStates - 1));
            }
        }
        this.states = states;
        this.numberOfStates = numberOfStates;
        this.frameInterval = frameInterval;
        this.timeUnit = Objects.requireNonNull(timeUnit);
        this.source = Objects.requireNonNull(source);
    }

    /** Wraps an array the caller hands over and will not touch again (no copy; still validated). */
    public static StateSequence wrap(int[] states, int numberOfStates, double frameInterval, String timeUnit,
            String source) {
        return new StateSequence(states, numberOfStates, frameInterval, timeUnit, source, true);
    }

    public int length() {
        return states.length;
    }

    public int state(int frame) {
        return states[frame];
    }

    public int numberOfStates() {
        return numberOfStates;
    }

    public double frameInterval() {
        return frameInterval;
    }

    public String timeUnit() {
        return timeUnit;
    }

    public String source() {
        return source;
    }

    /** A copy of the states. */
    public int[] toArray() {
        return states.clone();
    }

    /** The same states with other states in them replaced, keeping interval, unit and a new source note. */
    public StateSequence withStates(int[] newStates, String sourceNote) {
        return new StateSequence(newStates.clone(), numberOfStates, frameInterval, timeUnit,
                sourceNote == null ? source : source + " " + sourceNote, true);
    }

    /** Frames from (inclusive) to (exclusive). */
    public StateSequence slice(int from, int to) {
        Objects.checkFromToIndex(from, to, states.length);
        return new StateSequence(Arrays.copyOfRange(states, from, to), numberOfStates, frameInterval, timeUnit, source,
                true);
    }

    /** Every {@code stride}-th frame from {@code offset}; the frame interval grows by the stride. */
    public StateSequence stride(int stride, int offset) {
        if (stride < 1 || offset < 0 || offset >= stride) {
            throw new IllegalArgumentException("stride must be >= 1 and 0 <= offset < stride, got stride " + stride
                    + ", offset " + offset);
        }
        if (stride == 1) {
            return this;
        }
        int n = states.length > offset ? (states.length - offset + stride - 1) / stride : 0;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = states[offset + i * stride];
        }
        return new StateSequence(out, numberOfStates, frameInterval * stride, timeUnit,
                source + " [stride " + stride + " offset " + offset + "]", true);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StateSequence)) {
            return false;
        }
        StateSequence s = (StateSequence) o;
        return s.numberOfStates == numberOfStates && s.frameInterval == frameInterval && s.timeUnit.equals(timeUnit)
                && Arrays.equals(s.states, states);
    }

    @Override
    public int hashCode() {
        return Objects.hash(numberOfStates, frameInterval, Arrays.hashCode(states));
    }

    @Override
    public String toString() {
        return "StateSequence[" + source + ", " + states.length + " frames, " + numberOfStates + " states, every "
                + frameInterval + " " + timeUnit + "]";
    }
}
