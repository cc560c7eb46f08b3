package org.slowdyn.app;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.slowdyn.core.ConfigurationException;

/**
 * A run folder: claimed empty and atomically before any work (two runs never pick the same one), assembled under a
 * temporary name beside it, and renamed onto it in one step when complete, so a crash never leaves a half-written
 * folder that looks whole.
 */
public final class RunFolder {
    private final Path target;
    private final Path partial;

    private RunFolder(Path target, Path partial) {
        this.target = target;
        this.partial = partial;
    }

    /**
     * Claims a run folder by creating it empty. With {@code unique}, a taken name gets a suffix {@code -2},
     * {@code -3}, ...; otherwise a taken name is an error.
     *
     * @return the folder claimed
     * @throws ConfigurationException when the folder exists and {@code unique} is false
     */
    public static Path claim(Path folder, boolean unique) throws IOException {
        Files.createDirectories(folder.toAbsolutePath().getParent());
        for (int n = 1;; n++) {
            Path candidate = n == 1 ? folder : folder.resolveSibling(folder.getFileName() + "-" + n);
            try {
                return Files.createDirectory(candidate);
            } catch (FileAlreadyExistsException e) {
                if (!unique) {
                    throw new ConfigurationException(folder + ": the run folder exists already; choose another with "
                            + "--out");
                }
            }
        }
    }

    /** Starts assembling the contents of a claimed folder under a temporary name beside it. */
    public static RunFolder assemble(Path claimed) throws IOException {
        Path parent = claimed.toAbsolutePath().getParent();
        return new RunFolder(claimed, Files.createTempDirectory(parent, "." + claimed.getFileName() + ".partial-"));
    }

    /** Where files go while the folder is assembled. */
    public Path path() {
        return partial;
    }

    /** Renames the assembled folder onto the claimed one (POSIX rename onto an empty directory). */
    public Path complete() throws IOException {
        try {
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }
}
