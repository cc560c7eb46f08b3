package org.slowdyn.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.junit.jupiter.api.Test;

class CellProgressTest {
    /** A study monitor that adds up the work reported to it and keeps its subtasks. */
    static class Recording extends NullProgressMonitor {
        double worked;
        final List<String> subTasks = new ArrayList<>();

        @Override
        public synchronized void internalWorked(double work) {
            worked += work;
        }

        @Override
        public synchronized void subTask(String name) {
            subTasks.add(name);
        }
    }

    @Test
    void aCellMovesTheStudyByItsShareOfItsWeightAndNeverBeyondIt() {
        Recording study = new Recording();
        CellProgress cell = new CellProgress(study, new Object(), "P2 / stride 2 / Transformer / seed 1", 20);
        // a step that gets 60 of the cell's 100 units and reports half of them: 30% of a weight of 20
        SubMonitor progress = SubMonitor.convert(cell, 100);
        SubMonitor train = progress.split(60);
        train.beginTask("Training", 10);
        train.worked(5);
        assertEquals(0.3 * 20, study.worked, 1e-9);
        assertEquals(6, cell.reported(), 1e-9);
        // work reported beyond the cell's units is not passed on: the cell ends at its weight (SubMonitor gave the
        // cell at least 1,000 units)
        cell.internalWorked(1e6);
        assertEquals(20, study.worked, 1e-9);
        cell.finish();
        assertEquals(20, study.worked, 1e-9);
        // a cell that reported nothing (it failed, or its steps report no work) passes its whole weight when it ends
        CellProgress quiet = new CellProgress(study, new Object(), "quiet", 1);
        quiet.finish();
        assertEquals(21, study.worked, 1e-9);
        // subtasks are named by the cell; cancelling the study cancels the cell
        train.subTask("epoch 3/20");
        assertEquals(List.of("P2 / stride 2 / Transformer / seed 1: epoch 3/20"), study.subTasks);
        assertTrue(!cell.isCanceled());
        study.setCanceled(true);
        assertTrue(cell.isCanceled());
        // once the study is done, a cell that is still stopping reports nothing more
        CellProgress stopping = new CellProgress(study, new Object(), "stopping", 5);
        stopping.close();
        stopping.internalWorked(1);
        stopping.subTask("epoch 4/20");
        stopping.finish();
        assertEquals(21, study.worked, 1e-9);
        assertEquals(1, study.subTasks.size());
    }
}
