package org.slowdyn.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.slowdyn.core.AtomicFiles;
import org.slowdyn.core.InputException;

/**
 * NumPy {@code .npz} archives: a zip file of {@code NAME.npy} entries, as {@code numpy.savez_compressed} writes them
 * (deflated) and {@code numpy.load} reads them; entries in the order written. Read with the checks of {@link Npy}.
 */
public final class Npz {
    /** More entries than any list of trajectories needs; a damaged or hostile central directory is refused. */
    static final int MAX_ENTRIES = 1_000_000;

    private Npz() {
    }

    /** Writes one int32 array per entry, named {@code names[i]} (numpy's {@code savez} uses arr_0, arr_1, ...). */
    public static void writeInts(Path file, List<String> names, List<int[]> arrays) throws IOException {
        AtomicFiles.write(file, raw -> {
            ZipOutputStream zip = new ZipOutputStream(raw);
            for (int k = 0; k < arrays.size(); k++) {
                int[] a = arrays.get(k);
                zip.putNextEntry(new ZipEntry(names.get(k) + ".npy"));
                Npy.writeElements(zip, "<i4", new int[] { a.length }, a.length, 4, (b, i) -> b.putInt(a[i]));
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    /** Writes one float32 array of shape (rows, columns) per entry; {@code arrays[k]} is row-major. */
    public static void writeFloats(Path file, List<String> names, List<double[]> arrays, int columns)
            throws IOException {
        AtomicFiles.write(file, raw -> {
            ZipOutputStream zip = new ZipOutputStream(raw);
            for (int k = 0; k < arrays.size(); k++) {
                double[] a = arrays.get(k);
                zip.putNextEntry(new ZipEntry(names.get(k) + ".npy"));
                Npy.writeElements(zip, "<f4", new int[] { a.length / columns, columns }, a.length, 4,
                        (b, i) -> b.putFloat((float) a[i]));
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    /** The arrays of an archive by name (without {@code .npy}), in the archive's order. */
    public static Map<String, Npy.Array> read(Path file) {
        Map<String, Npy.Array> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.size() > MAX_ENTRIES) {
                throw new InputException(file + ": " + zip.size() + " entries, more than " + MAX_ENTRIES);
            }
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                if (!e.getName().endsWith(".npy")) {
                    throw new InputException(file + ": entry '" + e.getName() + "' is not an .npy array");
                }
                String source = file + "[" + e.getName() + "]";
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(e.getName().substring(0, e.getName().length() - 4), Npy.read(in, source,
                            e.getSize() < 0 ? Long.MAX_VALUE : e.getSize()));
                }
            }
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new InputException(file + ": no such file");
        } catch (ZipException e) {
            throw new InputException(file + ": not a valid .npz (zip) archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new InputException(file + ": the archive holds no arrays");
        }
        return out;
    }
}
