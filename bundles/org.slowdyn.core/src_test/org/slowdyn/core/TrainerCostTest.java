package org.slowdyn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.junit.jupiter.api.Test;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;

class TrainerCostTest {
    @Test
    void aTrainerThatDoesNotSayIsTakenForASmallNetwork() {
        ModelTrainer silent = new ModelTrainer() {
            public String id() {
                return "third.party";
            }

            public String label() {
                return "third party";
            }

            public String description() {
                return "declares no cost";
            }

            public SettingsSchema settingsSchema() {
                return SettingsSchema.of();
            }

            public KineticModel train(List<StateSequence> sequences, Settings settings, long seed,
                    IProgressMonitor monitor) {
                throw new UnsupportedOperationException();
            }

            public KineticModel load(Path directory) {
                throw new UnsupportedOperationException();
            }
        };
        assertSame(TrainerCost.SMALL_NETWORK, silent.cost(SettingsSchema.of().defaults()));
    }

    @Test
    void aCostIsFiniteAndNotNegative() {
        assertEquals(0, new TrainerCost(0, 0).secondsPerTrainingFrame());
        for (double bad : new double[] { -1e-9, Double.NaN, Double.POSITIVE_INFINITY }) {
            assertThrows(IllegalArgumentException.class, () -> new TrainerCost(bad, 1));
            assertThrows(IllegalArgumentException.class, () -> new TrainerCost(1, bad));
        }
    }
}
