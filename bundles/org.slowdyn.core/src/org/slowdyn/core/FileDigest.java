package org.slowdyn.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files, as run manifests, model descriptions and checkpoint manifests record them (lower-case hex). */
public final class FileDigest {
    private FileDigest() {
    }

    /** A new SHA-256 digest (every Java platform has one). */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws InputException naming the file when it does not exist */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), newSha256())) {
            in.transferTo(OutputStream.nullOutputStream());
            return hex(((DigestInputStream) in).getMessageDigest());
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        }
    }

    /** The digest's value so far, as lower-case hex. */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }
}
