package org.slowdyn.app;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

import org.eclipse.core.runtime.NullProgressMonitor;

/**
 * Shows progress on stderr with the time: the share done, the time elapsed since the task began and an estimate of
 * the time left (the work's own prediction where it gives one, see {@link #timeLeft(double)}, else from the rate so
 * far, once 2% is done), the task and the subtask (which carries rates such as frames per second or seconds per
 * epoch). On a terminal a one-line bar is redrawn at most every 200 ms; otherwise a line is printed when another 10%
 * is done or the subtask changes, at most one every 5 s, and when work was done but no line printed for a minute (a
 * study's 10% can take hours, and a step such as generating keeps one subtask for many minutes).
 */
public final class ConsoleProgressMonitor extends NullProgressMonitor {
    private static final int WIDTH = 24;
    private static final long LINE_INTERVAL_NS = 5_000_000_000L;
    private static final long QUIET_LINE_NS = 60_000_000_000L;
    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier clock;
    private double total = 1;
    private double done;
    private String task = "";
    private String subTask = "";
    private String lastPrinted = "";
    private long started;
    private long lastDraw = Long.MIN_VALUE / 2;
    private int lastDecile = -1;
    private double doneAtLastLine;
    private double predictedLeft = Double.NaN; // seconds, as the work predicted them at predictedAt
    private long predictedAt;

    public ConsoleProgressMonitor(PrintStream out, boolean terminal) {
        this(out, terminal, System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime()} */
    ConsoleProgressMonitor(PrintStream out, boolean terminal, LongSupplier clock) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
    }

    @Override
    public synchronized void beginTask(String name, int totalWork) {
        task = name == null ? "" : name;
        total = totalWork <= 0 ? 1 : totalWork;
        done = 0;
        started = clock.getAsLong();
        predictedLeft = Double.NaN;
        lastDecile = -1;
        draw(true);
    }

    @Override
    public synchronized void setTaskName(String name) {
        task = name == null ? "" : name;
    }

    /** The task and subtask under way, e.g. "Running study: training train.lstm"; empty before any. */
    public synchronized String currentWork() {
        return task + (subTask.isEmpty() ? "" : ": " + subTask);
    }

    /**
     * The time left as the work itself predicts it, in seconds (a study predicts each cell from the seconds its
     * trainer's finished cells took, which the share done cannot know). It is shown in place of the estimate from
     * the rate so far, counted down from now, until the work predicts again or the countdown runs out; NaN goes back
     * to the rate so far. A new task forgets it.
     */
    public synchronized void timeLeft(double seconds) {
        predictedLeft = seconds;
        predictedAt = clock.getAsLong();
    }

    @Override
    public synchronized void subTask(String name) {
        subTask = name == null ? "" : name;
        draw(false);
    }

    @Override
    public synchronized void internalWorked(double work) {
        done = Math.min(total, done + work);
        draw(false);
    }

    @Override
    public void worked(int work) {
        internalWorked(work);
    }

    @Override
    public synchronized void done() {
        if (!isCanceled()) { // cancelled work ends where it stopped, not at 100%
            done = total;
        }
        draw(true);
        if (terminal) {
            out.println();
        }
    }

    /** "1:05 elapsed, about 2:30 left", or only the elapsed time while too little is done to estimate. */
    String time(double fraction, long now) {
        double elapsed = (now - started) / 1e9;
        String s = clockTime(elapsed) + " elapsed";
        double left = predictedLeft - (now - predictedAt) / 1e9; // NaN without a prediction
        if (!(left > 0) && fraction >= 0.02) {
            left = elapsed * (1 - fraction) / fraction;
        }
        if (left >= 0 && fraction < 1) {
            s += ", about " + clockTime(left) + " left";
        }
        return s;
    }

    static String clockTime(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private void draw(boolean force) {
        double fraction = done / total;
        long now = clock.getAsLong();
        String what = task + (subTask.isEmpty() ? "" : ": " + subTask);
        if (terminal) {
            if (!force && now - lastDraw < 200_000_000L) {
                return;
            }
            lastDraw = now;
            int filled = (int) Math.round(fraction * WIDTH);
            String line = String.format(Locale.ROOT, "\r[%s%s] %3.0f%% %s  %s", "#".repeat(filled),
                    " ".repeat(WIDTH - filled), 100 * fraction, time(fraction, now), what);
            out.print(line.length() > 140 ? line.substring(0, 140) : line + "\033[K");
            out.flush();
        } else {
            int decile = (int) Math.floor(fraction * 10);
            boolean news = decile > lastDecile || !subTask.equals(lastPrinted)
                    || done > doneAtLastLine && now - lastDraw >= QUIET_LINE_NS;
            if (force ? decile > lastDecile || lastDecile < 0 : news && now - lastDraw >= LINE_INTERVAL_NS) {
                lastDecile = Math.max(lastDecile, decile);
                lastDraw = now;
                lastPrinted = subTask;
                doneAtLastLine = done;
                out.printf(Locale.ROOT, "slowdyn: %3.0f%% (%s) %s%n", 100 * fraction, time(fraction, now), what);
            }
        }
    }
}
