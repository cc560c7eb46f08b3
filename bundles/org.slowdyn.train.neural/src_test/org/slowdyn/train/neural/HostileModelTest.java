package org.slowdyn.train.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowdyn.core.KineticModel;
import org.slowdyn.core.SlowDynException;
import org.slowdyn.core.data.StateSequence;
import org.slowdyn.core.settings.Settings;

/**
 * Model and checkpoint folders someone sent you: damaged, mixed or hostile files fail fast with the file named, and
 * nothing in them reaches Java deserialization (the model loads from parameters.bin; network.zip is never read).
 */
class HostileModelTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path checkpoint;
    static List<StateSequence> data;
    static Settings settings;

    @BeforeAll
    static void trainOnce() throws IOException {
        data = ChainCheck.sample(ChainCheck.CHAIN, 6, 2_000, 4);
        settings = LstmTrainer.SCHEMA.defaults().edit().set(LstmTrainer.UNITS, 8).set(LstmTrainer.EPOCHS, 2)
                .set(LstmTrainer.PATIENCE, 100).done();
        KineticModel m = new LstmTrainer().train(data, settings, 3, tmp.resolve("training"), null);
        model = tmp.resolve("model");
        m.save(model);
        checkpoint = tmp.resolve("training").resolve(LstmTrainer.CHECKPOINT);
    }

    /** A copy of the trained model folder to damage. */
    private static Path copy(String name) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        try (var files = Files.list(model)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    private static void assertRefused(Path dir, String... fragments) {
        long t0 = System.nanoTime();
        SlowDynException e = assertThrows(SlowDynException.class, () -> new LstmTrainer().load(dir));
        assertTrue((System.nanoTime() - t0) / 1e9 < 20, "refused within seconds");
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void theModelLoadsFromItsParametersAloneAndNetworkZipIsNeverRead() throws IOException {
        Path dir = copy("no-zip");
        // a serialized Java object where DL4J would deserialize one, and a zip bomb: neither is opened
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(dir.resolve(SequenceModel.NETWORK)))) {
            zip.putNextEntry(new ZipEntry("preprocessor.bin"));
            new ObjectOutputStream(zip).writeObject(new java.util.HashSet<>(List.of("x")));
            zip.putNextEntry(new ZipEntry("coefficients.bin"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 512; i++) {
                zip.write(zeros); // 512 MiB of zeros, a few hundred KiB compressed
            }
        }
        KineticModel a = new LstmTrainer().load(model), b = new LstmTrainer().load(dir);
        List<int[]> prefixes = List.of(new int[] { 0 }, new int[] { 2 });
        for (int t = 0; t < 2; t++) {
            assertArrayEquals(a.generate(prefixes, 300, 7, 1.0, null).get(t).toArray(),
                    b.generate(prefixes, 300, 7, 1.0, null).get(t).toArray());
        }
    }

    @Test
    void damagedParameterFilesAreRefusedNamingTheFile() throws IOException {
        Path p = copy("truncated").resolve(ParameterFile.NAME);
        byte[] all = Files.readAllBytes(p);
        Files.write(p, java.util.Arrays.copyOf(all, all.length - 10));
        assertRefused(p.getParent(), p.toString(), "bytes");

        Path flipped = copy("flipped").resolve(ParameterFile.NAME);
        all[all.length / 2] ^= 0x10;
        Files.write(flipped, all);
        assertRefused(flipped.getParent(), flipped.toString(), "SHA-256");

        Path huge = copy("huge-count").resolve(ParameterFile.NAME);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.write("SLOWDYN-PARAMS-1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        d.writeInt(Integer.MAX_VALUE);
        Files.write(huge, b.toByteArray());
        assertRefused(huge.getParent(), huge.toString());

        Path missing = copy("missing");
        Files.delete(missing.resolve(ParameterFile.NAME));
        assertRefused(missing, "no such file");
    }

    @Test
    void aDescriptionThatDoesNotFitTheParametersIsRefused() throws IOException {
        Path dir = copy("vocabulary");
        Path json = dir.resolve(SequenceModel.DESCRIPTION);
        String text = Files.readString(json);
        Files.writeString(json, text.replaceFirst("\"vocabulary\" : 4", "\"vocabulary\" : 50"));
        assertRefused(dir, json.toString(), "vocabulary 50");

        Files.writeString(json, text.replaceFirst("\"frameInterval\" : [0-9.eE+-]+", "\"frameInterval\" : -1"));
        assertRefused(dir, json.toString(), "frameInterval");

        Files.writeString(json, text.substring(0, text.length() / 2));
        assertRefused(dir, json.toString(), "not valid JSON");
    }

    @Test
    void aCheckpointIsOneUnit() throws IOException {
        // parts from two different epochs: the state of an earlier one next to the network of the last
        Path mixed = tmp.resolve("mixed");
        Files.createDirectories(mixed);
        try (var files = Files.list(checkpoint)) {
            for (Path f : files.toList()) {
                Files.copy(f, mixed.resolve(f.getFileName()));
            }
        }
        String state = Files.readString(mixed.resolve("state.json"));
        Files.writeString(mixed.resolve("state.json"), state.replaceFirst("\"bestEpoch\" : \\d+", "\"bestEpoch\" : 1"));
        Settings resume = settings.with(LstmTrainer.RESUME_FROM, mixed.toString());
        SlowDynException e = assertThrows(SlowDynException.class,
                () -> new LstmTrainer().train(data, resume, 3, tmp.resolve("t2"), null));
        assertTrue(e.getMessage().contains("state.json") && e.getMessage().contains("another epoch"), e.getMessage());

        // a network file with an entry DL4J would pass to Java deserialization, under a manifest that matches it
        Path hostile = tmp.resolve("hostile");
        Files.createDirectories(hostile);
        try (var files = Files.list(checkpoint)) {
            for (Path f : files.toList()) {
                Files.copy(f, hostile.resolve(f.getFileName()));
            }
        }
        Path zip = hostile.resolve(SequenceTrainer.CHECKPOINT_NETWORK);
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(checkpoint.resolve(SequenceTrainer.CHECKPOINT_NETWORK)
                .toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (var en = in.entries(); en.hasMoreElements();) {
                ZipEntry entry = en.nextElement();
                out.putNextEntry(new ZipEntry(entry.getName()));
                in.getInputStream(entry).transferTo(out);
            }
            out.putNextEntry(new ZipEntry("preprocessor.bin"));
            new ObjectOutputStream(out).writeObject(new java.util.HashSet<>(List.of("x")));
        }
        String manifest = Files.readString(hostile.resolve(SequenceTrainer.CHECKPOINT_MANIFEST));
        String oldSha = org.slowdyn.core.FileDigest.sha256(checkpoint.resolve(SequenceTrainer.CHECKPOINT_NETWORK));
        Files.writeString(hostile.resolve(SequenceTrainer.CHECKPOINT_MANIFEST),
                manifest.replace(oldSha, org.slowdyn.core.FileDigest.sha256(zip)));
        SlowDynException h = assertThrows(SlowDynException.class, () -> new LstmTrainer().train(data,
                settings.with(LstmTrainer.RESUME_FROM, hostile.toString()), 3, tmp.resolve("t3"), null));
        assertTrue(h.getMessage().contains("preprocessor.bin") && h.getMessage().contains(zip.toString()),
                h.getMessage());

        // a checkpoint without its manifest (interrupted before the first epoch ended) is refused
        Files.delete(hostile.resolve(SequenceTrainer.CHECKPOINT_MANIFEST));
        SlowDynException m = assertThrows(SlowDynException.class, () -> new LstmTrainer().train(data,
                settings.with(LstmTrainer.RESUME_FROM, hostile.toString()), 3, tmp.resolve("t4"), null));
        assertTrue(m.getMessage().contains(SequenceTrainer.CHECKPOINT_MANIFEST), m.getMessage());
    }
}
