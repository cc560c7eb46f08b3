package org.slowdyn.app;

import java.io.PrintStream;
import java.util.Locale;

import org.eclipse.core.runtime.NullProgressMonitor;

/**
 * Shows progress as a one-line bar on a terminal stream (stderr), redrawn at most every 200 ms, with the current task
 * and subtask. When the stream is not a terminal it prints a line every 10% and a changed subtask at most every 10 s.
 */
public final class ConsoleProgressMonitor extends NullProgressMonitor {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean terminal;
    private double total = 1;
    private double done;
    private String task = "";
    private String subTask = "";
    private String lastPrinted = "";
    private long lastDraw;
    private int lastDecile = -1;

    public ConsoleProgressMonitor(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void beginTask(String name, int totalWork) {
        task = name == null ? "" : name;
        total = totalWork <= 0 ? 1 : totalWork;
        done = 0;
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
        done = total;
        draw(true);
        if (terminal) {
            out.println();
        }
    }

    private void draw(boolean force) {
        double fraction = done / total;
        if (terminal) {
            long now = System.nanoTime();
            if (!force && now - lastDraw < 200_000_000L) {
                return;
            }
            lastDraw = now;
            int filled = (int) Math.round(fraction * WIDTH);
            String line = String.format(Locale.ROOT, "\r[%s%s] %3.0f%% %s%s", "#".repeat(filled),
                    " ".repeat(WIDTH - filled), 100 * fraction, task, subTask.isEmpty() ? "" : ": " + subTask);
            out.print(line.length() > 120 ? line.substring(0, 120) : line + "\033[K");
            out.flush();
        } else {
            int decile = (int) Math.floor(fraction * 10);
            long now = System.nanoTime();
            // a line every 10%, and a changed subtask (an epoch's loss, say) at most every 10 s
            boolean newSubTask = !subTask.equals(lastPrinted) && now - lastDraw >= 10_000_000_000L;
            if (decile > lastDecile || newSubTask) {
                lastDecile = Math.max(lastDecile, decile);
                lastDraw = now;
                lastPrinted = subTask;
                out.printf(Locale.ROOT, "slowdyn: %3.0f%% %s%s%n", 100 * fraction, task,
                        subTask.isEmpty() ? "" : ": " + subTask);
            }
        }
    }
}
