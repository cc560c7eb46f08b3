package org.slowdyn.kinetics;

import java.util.List;

import org.slowdyn.core.data.StateSequence;

/**
 * Additive statistics of one trajectory (or one block of it), from which populations and direct first-passage times
 * of any set of trajectories follow by summing: frames per state, and for every ordered pair of states (a, b) the
 * number of completed passages a -> b, their total duration, and the time at risk that was cut off by the end of the
 * trajectory.
 *
 * <p>A passage a -> b starts at the first frame in a after the last visit to b (or at the first frame in a of the
 * trajectory) and ends at the next frame in b; re-entering a before reaching b does not restart the clock. Durations
 * are in frames.
 */
public final class TrajectoryStatistics {
    final int n;
    final long frames;
    final long[] framesInState;
    /** [a * n + b] */
    final long[] completed;
    final long[] completedTime;
    final long[] censoredTime;

    private TrajectoryStatistics(int n) {
        this.n = n;
        this.frames = 0;
        this.framesInState = new long[n];
        this.completed = new long[n * n];
        this.completedTime = new long[n * n];
        this.censoredTime = new long[n * n];
    }

    private TrajectoryStatistics(int n, long frames, long[] framesInState, long[] completed, long[] completedTime,
            long[] censoredTime) {
        this.n = n;
        this.frames = frames;
        this.framesInState = framesInState;
        this.completed = completed;
        this.completedTime = completedTime;
        this.censoredTime = censoredTime;
    }

    /** Statistics of frames [from, to) of one sequence. Cost O((to - from) * n). */
    public static TrajectoryStatistics of(StateSequence s, int from, int to) {
        int n = s.numberOfStates();
        long[] inState = new long[n];
        long[] completed = new long[n * n];
        long[] completedTime = new long[n * n];
        long[] censored = new long[n * n];
        for (int i = from; i < to; i++) {
            inState[s.state(i)]++;
        }
        int[] armedSince = new int[n];
        for (int b = 0; b < n; b++) {
            java.util.Arrays.fill(armedSince, -1);
            for (int i = from; i < to; i++) {
                int st = s.state(i);
                if (st == b) {
                    for (int a = 0; a < n; a++) {
                        if (armedSince[a] >= 0) {
                            completed[a * n + b]++;
                            completedTime[a * n + b] += i - armedSince[a];
                            armedSince[a] = -1;
                        }
                    }
                } else if (armedSince[st] < 0) {
                    armedSince[st] = i;
                }
            }
            for (int a = 0; a < n; a++) {
                if (armedSince[a] >= 0) {
                    censored[a * n + b] += (to - 1) - armedSince[a];
                }
            }
        }
        return new TrajectoryStatistics(n, to - from, inState, completed, completedTime, censored);
    }

    public static TrajectoryStatistics of(StateSequence s) {
        return of(s, 0, s.length());
    }

    /** Sum of statistics (of several trajectories). */
    public static TrajectoryStatistics sum(List<TrajectoryStatistics> parts) {
        int n = parts.get(0).n;
        TrajectoryStatistics total = new TrajectoryStatistics(n);
        long frames = 0;
        for (TrajectoryStatistics p : parts) {
            frames += p.frames;
            add(total.framesInState, p.framesInState);
            add(total.completed, p.completed);
            add(total.completedTime, p.completedTime);
            add(total.censoredTime, p.censoredTime);
        }
        return new TrajectoryStatistics(n, frames, total.framesInState, total.completed, total.completedTime,
                total.censoredTime);
    }

    private static void add(long[] into, long[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }

    public int numberOfStates() {
        return n;
    }

    public long frames() {
        return frames;
    }

    public double population(int state) {
        return frames == 0 ? Double.NaN : framesInState[state] / (double) frames;
    }

    public long completedPassages(int a, int b) {
        return completed[a * n + b];
    }

    /** Mean duration of the completed passages a -> b, in frames; NaN when none completed. */
    public double meanCompletedPassage(int a, int b) {
        long c = completed[a * n + b];
        return c == 0 ? Double.NaN : completedTime[a * n + b] / (double) c;
    }

    /**
     * Mean first-passage time a -> b in frames as the rate estimate: all time at risk (completed passages plus the
     * passages cut off by trajectory ends) divided by the number of completed passages. For long trajectories this is
     * the mean of the completed passages; for short ones it avoids the bias towards short passages that dropping the
     * cut-off ones would cause (exact for exponentially distributed passage times). NaN when none completed.
     */
    public double meanFirstPassage(int a, int b) {
        long c = completed[a * n + b];
        return c == 0 ? Double.NaN : (completedTime[a * n + b] + censoredTime[a * n + b]) / (double) c;
    }
}
