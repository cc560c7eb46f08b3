package org.slowdyn.train.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.SlowDynException;
import org.slowdyn.core.settings.Settings;

/**
 * Seeded mutations of a saved model (parameters.bin, model.json) and of a checkpoint (every part and its manifest):
 * loading either succeeds or fails with SlowDyn's own error naming the file; nothing else escapes and no load takes
 * more than a second. {@code slowdyn.fuzz.count} (default 10,000 per file kind) sets the number of mutations.
 */
class ModelFilesFuzzTest {
    static final int COUNT = Integer.getInteger("slowdyn.fuzz.count", 10_000);

    @TempDir
    Path tmp;

    interface Load {
        void load(Path dir) throws Exception;
    }

    @Test
    void mutatedModelAndCheckpointFilesFailOnlyWithSlowDynErrors() throws Exception {
        Settings s = LstmTrainer.SCHEMA.defaults().edit().set(LstmTrainer.UNITS, 4).set(LstmTrainer.EMBEDDING, 2)
                .set(LstmTrainer.EPOCHS, 1).done();
        KineticModel m = new LstmTrainer().train(ChainCheck.sample(ChainCheck.CHAIN, 4, 1_500, 1), s, 1,
                tmp.resolve("training"), null);
        Path model = tmp.resolve("model");
        m.save(model);
        Path checkpoint = tmp.resolve("training").resolve(SequenceTrainer.CHECKPOINT);
        List<String> summary = new ArrayList<>(), escapes = new ArrayList<>();
        fuzz("parameters.bin", model, List.of(ParameterFile.NAME), dir -> new LstmTrainer().load(dir), summary, escapes);
        fuzz("model.json", model, List.of(SequenceModel.DESCRIPTION), dir -> new LstmTrainer().load(dir), summary,
                escapes);
        fuzz("checkpoint", checkpoint, List.of(SequenceTrainer.CHECKPOINT_MANIFEST, "state.json", "best.bin",
                SequenceTrainer.CHECKPOINT_NETWORK), dir -> {
                    SequenceTrainer.verifyCheckpoint(dir);
                    LstmTrainer.checkDl4jZip(dir.resolve(SequenceTrainer.CHECKPOINT_NETWORK));
                }, summary, escapes);
        System.out.println(String.join("\n", summary));
        assertEquals(List.of(), escapes, String.join("\n", summary));
    }

    private void fuzz(String kind, Path original, List<String> parts, Load load, List<String> summary,
            List<String> escapes) throws IOException {
        Path dir = tmp.resolve("fuzz-" + kind);
        Files.createDirectories(dir);
        try (var files = Files.list(original)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        SplittableRandom r = new SplittableRandom(kind.hashCode());
        int ok = 0, refused = 0, escaped = 0;
        long slowest = 0;
        for (int i = 0; i < COUNT; i++) {
            String part = parts.get(r.nextInt(parts.size()));
            byte[] valid = Files.readAllBytes(original.resolve(part));
            Files.write(dir.resolve(part), org.slowdyn.train.neural.FuzzMutations.mutate(valid, r));
            long t0 = System.nanoTime();
            try {
                load.load(dir);
                ok++;
            } catch (SlowDynException e) {
                refused++;
                if (!e.getMessage().contains(dir.toString())) {
                    escaped++;
                    if (escaped <= 5) {
                        escapes.add(kind + " " + i + " (" + part + "): does not name the file: " + e.getMessage());
                    }
                }
            } catch (Throwable e) {
                escaped++;
                if (escaped <= 5) {
                    escapes.add(kind + " " + i + " (" + part + "): " + e + " at "
                            + (e.getStackTrace().length > 0 ? e.getStackTrace()[0] : ""));
                }
            }
            slowest = Math.max(slowest, System.nanoTime() - t0);
            Files.write(dir.resolve(part), valid);
        }
        summary.add(String.format("%s: %d mutations, %d loaded, %d refused, %d escaped, slowest %.1f ms", kind, COUNT,
                ok, refused, escaped, slowest / 1e6));
        assertTrue(slowest < 1_000_000_000L, kind + ": a load took " + slowest / 1e6 + " ms");
    }
}
