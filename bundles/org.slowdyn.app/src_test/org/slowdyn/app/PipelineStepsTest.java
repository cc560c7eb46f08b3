package org.slowdyn.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
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
    void seededGenerationSpreadsWindowsOverTheReferencesAndReturnsOnlyTheGeneratedFrames() {
        TestStages.Blocks trainer = new TestStages.Blocks("test.blocks");
        // model steps of 2 frames: a seed of 2 model steps spans 3 reference frames
        StateSequence a = new StateSequence(new int[] { 0, 0, 1, 0, 0, 0, 0, 0, 0 }, 2, 2.0, "ps", "a");
        StateSequence b = new StateSequence(new int[] { 0, 0, 1, 0 }, 2, 2.0, "ps", "b");
        StateSequence tooShort = new StateSequence(new int[] { 1, 1 }, 2, 2.0, "ps", "c");
        KineticModel m = trainer.train(List.of(a), trainer.settingsSchema().defaults().with(TestStages.STEP, 2)
                .with(TestStages.BLOCK, 1), 1, null);
        PipelineSteps.Generation g = PipelineSteps.generateSeeded(m, List.of(a, tooShort, b), 3, 3, 2, 7, 1.0,
                new NullProgressMonitor());
        // a gets 2 windows, at its start (frames 0, 2: seed 0, 1) and its end (frames 6, 8: seed 0, 0); b one at its
        // start (frames 0, 2: seed 0, 1); c is shorter than a window. With blocks of 1 the model flips at every
        // step after the seed's last state, and the seed is not returned.
        assertEquals(3, g.generated().size());
        assertArrayEquals(new int[] { 0, 1, 0 }, g.generated().get(0).toArray());
        assertArrayEquals(new int[] { 1, 0, 1 }, g.generated().get(1).toArray());
        assertArrayEquals(new int[] { 0, 1, 0 }, g.generated().get(2).toArray());
        assertEquals(List.of(a, tooShort, b), g.used());
        assertEquals(2, g.step());
        ConfigurationException none = assertThrows(ConfigurationException.class, () -> PipelineSteps
                .generateSeeded(m, List.of(tooShort), 4, 3, 2, 7, 1.0, new NullProgressMonitor()));
        assertEquals(true, none.getMessage().contains("span 3 reference frames"), none.getMessage());
        // before training, with the references' own frame interval: a is 9 frames long
        org.slowdyn.core.settings.Settings nine = Pipeline.GENERATE.defaults().with(Pipeline.PREFIX_FRAMES, 9);
        PipelineSteps.checkSeeds(List.of(a, tooShort, b), nine);
        ConfigurationException early = assertThrows(ConfigurationException.class, () -> PipelineSteps
                .checkSeeds(List.of(a, tooShort, b), nine.with(Pipeline.PREFIX_FRAMES, 10)));
        assertEquals(true, early.getMessage().contains("the longest has 9 frames"), early.getMessage());
    }

    @Test
    void theSeededProtocolNeedsALengthAndTakesNoCopies() {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String bad : List.of("{\"trajectories\": 100}", "{\"frames\": 100}",
                "{\"trajectories\": 100, \"frames\": 1000, \"copies\": 2}")) {
            assertThrows(org.slowdyn.core.settings.InvalidSettingException.class,
                    () -> Pipeline.GENERATE.fromJson(json.readTree(bad), "generate"), bad);
        }
        org.slowdyn.core.settings.Settings ok = assertDoesNotThrow(() -> Pipeline.GENERATE.fromJson(json.readTree(
                "{\"trajectories\": 100, \"frames\": 100000, \"prefixFrames\": 5000}"), "generate"));
        assertEquals(100000, ok.get(Pipeline.FRAMES));
        assertEquals("Generation: 100 trajectories of 100,000 frames each at the model's saving interval, each "
                + "seeded with a window of 5,000 real frames of the held-out trajectories (shared out evenly "
                + "over them and spread evenly over each); the seed windows are not compared.",
                StudyReport.generation(ok));
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
