package org.slowdyn.app;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;

/**
 * The progress monitor of one study cell while it runs beside others: the work it reports moves the study's monitor
 * by its share of the cell's weight, so that the study's progress and time left move during a cell of an hour, not
 * only when it ends; its subtasks reach the study's monitor named by the cell; and it is cancelled with the study.
 * The study's monitor is called under one lock shared by the cells, since they run on their own threads.
 */
final class CellProgress extends NullProgressMonitor {
    private final IProgressMonitor study;
    private final Object lock;
    private final String label;
    private final double weight;
    private double total = 1;
    private double reported;
    private boolean closed; // guarded by lock

    /**
     * @param study  the study's monitor, whose task counts the cells' weights
     * @param lock   what every cell of the study synchronizes on before it calls the study's monitor
     * @param label  the cell, as it prefixes its subtasks
     * @param weight the cell's share of the study's work
     */
    CellProgress(IProgressMonitor study, Object lock, String label, double weight) {
        this.study = study;
        this.lock = lock;
        this.label = label;
        this.weight = weight;
    }

    @Override
    public synchronized void beginTask(String name, int totalWork) {
        total = totalWork <= 0 ? 1 : totalWork;
    }

    @Override
    public void internalWorked(double work) {
        double share;
        synchronized (this) {
            share = Math.max(0, Math.min(weight - reported, weight * work / total));
            reported += share;
        }
        forward(share);
    }

    @Override
    public void worked(int work) {
        internalWorked(work);
    }

    @Override
    public void subTask(String name) {
        synchronized (lock) {
            if (!closed) {
                study.subTask(name == null || name.isEmpty() ? label : label + ": " + name);
            }
        }
    }

    @Override
    public boolean isCanceled() {
        return study.isCanceled();
    }

    /**
     * The cell has ended (finished or failed): the part of its weight it did not report moves the study's monitor, so
     * that the study's work adds up to the cells' weights.
     */
    void finish() {
        double rest;
        synchronized (this) {
            rest = weight - reported;
            reported = weight;
        }
        forward(rest);
    }

    /**
     * The study has ended: what the cell reports from now on (a cell interrupted by a cancellation may still report
     * as it stops) does not reach the study's monitor, which is done. Called holding the lock, with the study's
     * {@code done()}.
     */
    void close() {
        synchronized (lock) {
            closed = true;
        }
    }

    /** The share of the cell's weight reported so far. */
    synchronized double reported() {
        return reported;
    }

    private void forward(double work) {
        if (work > 0) {
            synchronized (lock) {
                if (!closed) {
                    study.internalWorked(work);
                }
            }
        }
    }
}
