package org.slowdyn.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.StateSequence;

class PipelineStepsTest {
    private static FeatureSeries series(double... x) {
        return new FeatureSeries(x, List.of("x"), 2.0, "ps", "t");
    }

    @Test
    void strideKeepsEveryKthFrameFromTheFirstAndScalesTheFrameInterval() {
        List<FeatureSeries> s = PipelineSteps.stride(List.of(series(0, 1, 2, 3, 4, 5, 6)), 3);
        assertArrayEquals(new double[] { 0, 3, 6 }, s.get(0).column(0));
        assertEquals(6.0, s.get(0).frameInterval());
    }

    @Test
    void partitionThenAssignGiveTheStatesOfTheFittedPartition() {
        PipelineSteps.Partitioned p = PipelineSteps.partition(
                org.slowdyn.core.settings.NestedStage.of(org.slowdyn.core.StageFamily.PARTITION,
                        (org.slowdyn.core.StatePartition) new TestStages.Sign(),
                        new TestStages.Sign().settingsSchema().defaults()),
                List.of(series(-1, 2, -3)), new NullProgressMonitor());
        assertArrayEquals(new int[] { 0, 1, 0 }, p.states().get(0).toArray());
        PipelineSteps.Partitioned held = PipelineSteps.assign(p, List.of(series(5, -5)));
        assertArrayEquals(new int[] { 1, 0 }, held.states().get(0).toArray());
    }

    @Test
    void generationSpansEachLongEnoughTemplateAndStartsWithItsPrefix() {
        TestStages.Blocks trainer = new TestStages.Blocks("test.blocks");
        StateSequence a = new StateSequence(new int[] { 1, 0, 1, 1, 0, 0, 1, 0, 1, 1 }, 2, 2.0, "ps", "a");
        StateSequence shortOne = new StateSequence(new int[] { 0, 1 }, 2, 2.0, "ps", "b");
        KineticModel every2 = trainer.train(List.of(a), trainer.settingsSchema().defaults().with(TestStages.STEP, 2)
                .with(TestStages.BLOCK, 3), 1, null);
        PipelineSteps.Generation g = PipelineSteps.generate(every2, List.of(a, shortOne), 2, 7, 1.0,
                new NullProgressMonitor());
        // two model steps of 2 frames need 3 frames: the short template is left out
        assertEquals(List.of(a), g.used());
        assertEquals(2, g.step());
        // 10 frames of the template take 5 model steps; the prefix is frames 0 and 2 of the template (1, 1),
        // then blocks of 3 (the first one shortened by the prefix): 1, 1 | 1, 1 | 0
        assertArrayEquals(new int[] { 1, 1, 1, 1, 0 }, g.generated().get(0).toArray());
    }

    @Test
    void copiesGiveSeveralTrajectoriesPerTemplateEachFromItsPrefix() {
        TestStages.Blocks trainer = new TestStages.Blocks("test.blocks");
        StateSequence a = new StateSequence(new int[] { 1, 0, 1, 1, 0, 0 }, 2, 2.0, "ps", "a");
        StateSequence b = new StateSequence(new int[] { 0, 0, 1 }, 2, 2.0, "ps", "b");
        KineticModel m = trainer.train(List.of(a), trainer.settingsSchema().defaults(), 1, null);
        PipelineSteps.Generation g = PipelineSteps.generate(m, List.of(a, b), 1, 3, 7, 1.0, new NullProgressMonitor());
        assertEquals(List.of(a, b), g.used());
        assertEquals(6, g.generated().size());
        for (int c = 0; c < 3; c++) { // copy c of template t is trajectory c * 2 + t
            assertEquals(6, g.generated().get(2 * c).length());
            assertEquals(1, g.generated().get(2 * c).state(0));
            assertEquals(3, g.generated().get(2 * c + 1).length());
            assertEquals(0, g.generated().get(2 * c + 1).state(0));
        }
    }

    @Test
    void aModelFrameIntervalThatIsNotAWholeNumberOfDataFramesIsAConfigurationError() {
        TestStages.Blocks trainer = new TestStages.Blocks("test.blocks");
        StateSequence a = new StateSequence(new int[] { 0, 1, 0 }, 2, 2.0, "ps", "a");
        KineticModel m = trainer.train(List.of(a), trainer.settingsSchema().defaults(), 1, null);
        StateSequence finer = new StateSequence(new int[] { 0, 1, 0 }, 2, 0.8, "ps", "b");
        assertThrows(ConfigurationException.class, () -> PipelineSteps.modelStep(m, finer));
        assertEquals(1, PipelineSteps.modelStep(m, a));
    }

    @Test
    void seedsDeriveFromTheMasterSeedInAFixedOrder() {
        assertEquals(PipelineSteps.derivedSeeds(5), PipelineSteps.derivedSeeds(5));
        assertEquals(List.of("master", "simulation", "training", "generation", "bootstrap"),
                List.copyOf(PipelineSteps.derivedSeeds(5).keySet()));
    }
}
