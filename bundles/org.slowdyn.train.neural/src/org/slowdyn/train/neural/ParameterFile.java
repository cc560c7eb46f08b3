package org.slowdyn.train.neural;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;

import org.slowdyn.core.AtomicFiles;
import org.slowdyn.core.FileDigest;
import org.slowdyn.core.InputException;

/**
 * The parameters of a trained network as plain data: the magic {@code SLOWDYN-PARAMS-1}, the number of parameters
 * (int32) and the float32 values, big-endian, in the network's fixed parameter order. A model is loaded by building
 * the network its {@code model.json} describes and filling in these values: nothing in a model file reaches Java
 * deserialization or a native parser, and the count is checked against the network and against the file's size
 * before anything is allocated.
 */
final class ParameterFile {
    static final String NAME = "parameters.bin";
    private static final byte[] MAGIC = "SLOWDYN-PARAMS-1".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = MAGIC.length + 4;

    private ParameterFile() {
    }

    /** Writes the values atomically; returns their SHA-256 (hex), computed while writing, for model.json. */
    static String write(Path file, float[] values) throws IOException {
        MessageDigest digest = FileDigest.newSha256();
        AtomicFiles.write(file, out -> {
            DataOutputStream d = new DataOutputStream(new BufferedOutputStream(new DigestOutputStream(out, digest),
                    1 << 16));
            d.write(MAGIC);
            d.writeInt(values.length);
            for (float v : values) {
                d.writeFloat(v);
            }
            d.flush();
        });
        return FileDigest.hex(digest);
    }

    /**
     * Reads exactly {@code expected} values.
     *
     * @param sha256 the digest the model description recorded, or null to skip that check
     * @throws InputException naming the file: missing, wrong magic, a count that is not the network's, a size that is
     *                        not the count's, a digest that differs, or a value that is not finite
     */
    static float[] read(Path file, int expected, String sha256) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file (a model folder needs " + NAME + ")");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + ": not a regular file");
        }
        if (size != HEADER + 4L * expected) {
            throw new InputException(file + ": " + size + " bytes, but the network model.json describes has "
                    + expected + " parameters (" + (HEADER + 4L * expected) + " bytes)");
        }
        try (InputStream raw = Files.newInputStream(file);
                DigestInputStream digest = new DigestInputStream(new BufferedInputStream(raw, 1 << 16),
                        FileDigest.newSha256());
                DataInputStream in = new DataInputStream(digest)) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new InputException(file + ": not a SlowDyn parameter file (no SLOWDYN-PARAMS-1 header)");
            }
            int count = in.readInt();
            if (count != expected) {
                throw new InputException(file + ": holds " + count + " parameters, but the network model.json "
                        + "describes has " + expected);
            }
            float[] values = new float[count];
            int firstNonFinite = -1;
            for (int i = 0; i < count; i++) {
                values[i] = in.readFloat();
                if (firstNonFinite < 0 && !Float.isFinite(values[i])) {
                    firstNonFinite = i;
                }
            }
            String actual = FileDigest.hex(digest.getMessageDigest());
            if (sha256 != null && !sha256.equals(actual)) {
                throw new InputException(file + ": SHA-256 " + actual + " differs from the " + sha256
                        + " that model.json recorded: the file was changed or damaged");
            }
            if (firstNonFinite >= 0) {
                throw new InputException(file + ": parameter " + firstNonFinite + " is " + values[firstNonFinite]);
            }
            return values;
        } catch (EOFException e) {
            throw new InputException(file + ": ends early (truncated)", e);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
