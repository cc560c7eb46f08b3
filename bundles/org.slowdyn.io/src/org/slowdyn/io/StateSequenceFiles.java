package org.slowdyn.io;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.slowdyn.core.AtomicFiles;
import org.slowdyn.core.InputException;
import org.slowdyn.core.data.StateSequence;

/**
 * Lists of state sequences in the format the file name names:
 * <ul>
 * <li>{@code .txt.gz}: gzip-compressed text, a header line
 * {@code # slowdyn-states v1 states=<n> frameInterval=<dt> timeUnit=<unit> trajectories=<m>}, then one line per
 * trajectory with its states separated by single spaces;</li>
 * <li>{@code .npz}: one int32 array per trajectory, {@code arr_0}, {@code arr_1}, ... (the {@code dtrajs} of
 * PyEMMA and deeptime: {@code list(numpy.load(f).values())});</li>
 * <li>{@code .npy}: one int32 array: one trajectory, or several of one length as rows.</li>
 * </ul>
 * NumPy files carry no frame interval: readers give it. Written atomically.
 */
public final class StateSequenceFiles {
    private static final String MAGIC = "# slowdyn-states v1";

    /** The formats, by the end of the file name. */
    public static final List<String> SUFFIXES = List.of(".txt.gz", ".npz", ".npy");

    private StateSequenceFiles() {
    }

    /** Whether the name ends in one of {@link #SUFFIXES}. */
    public static boolean knownFormat(Path file) {
        return SUFFIXES.stream().anyMatch(x -> file.getFileName().toString().endsWith(x));
    }

    /**
     * Writes in the format the name ends with.
     *
     * @throws IllegalArgumentException for another name, or several trajectories of different lengths in one .npy
     */
    public static void write(Path file, List<StateSequence> sequences) throws IOException {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("no sequences to write");
        }
        String name = file.getFileName().toString();
        if (name.endsWith(".npz")) {
            List<String> names = new ArrayList<>();
            List<int[]> arrays = new ArrayList<>();
            for (StateSequence s : sequences) {
                names.add("arr_" + names.size());
                arrays.add(s.toArray());
            }
            Npz.writeInts(file, names, arrays);
            return;
        }
        if (name.endsWith(".npy")) {
            int length = sequences.get(0).length();
            if (sequences.stream().anyMatch(s -> s.length() != length)) {
                throw new IllegalArgumentException(file + ": " + sequences.size() + " trajectories of different "
                        + "lengths do not fit one .npy array; name the file .npz (one array per trajectory)");
            }
            long[] all = new long[sequences.size() * length];
            for (int t = 0; t < sequences.size(); t++) {
                int[] x = sequences.get(t).toArray();
                for (int i = 0; i < length; i++) {
                    all[t * length + i] = x[i];
                }
            }
            Npy.write(file, sequences.size() == 1 ? new int[] { length } : new int[] { sequences.size(), length },
                    all, false);
            return;
        }
        if (!name.endsWith(".txt.gz")) {
            throw new IllegalArgumentException(file + ": the format follows the file name: .txt.gz (gzip text), "
                    + ".npz (one int32 array per trajectory) or .npy (one int32 array)");
        }
        StateSequence first = sequences.get(0);
        AtomicFiles.write(file, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(out, 1 << 16),
                    StandardCharsets.US_ASCII), 1 << 16);
            w.write(MAGIC + " states=" + first.numberOfStates() + " frameInterval=" + first.frameInterval()
                    + " timeUnit=" + first.timeUnit() + " trajectories=" + sequences.size() + "\n");
            StringBuilder line = new StringBuilder();
            for (StateSequence s : sequences) {
                line.setLength(0);
                for (int i = 0; i < s.length(); i++) {
                    if (i > 0) {
                        line.append(' ');
                    }
                    line.append(s.state(i));
                }
                line.append('\n');
                w.write(line.toString());
            }
            w.close(); // finishes the gzip stream; closing the file stream again is harmless
        });
    }

    /**
     * Discrete trajectories from NumPy files ({@code dtrajs}): every array of each {@code .npz} (in its order), each
     * {@code .npy} (one trajectory, or one per row of a 2-dimensional array), as states of the given frame interval.
     *
     * @param numberOfStates the number of states, or 0 for the largest state + 1
     * @throws InputException naming the file, trajectory and frame of a value that is not a state
     */
    public static List<StateSequence> readDtrajs(List<Path> files, double frameInterval, String timeUnit,
            int numberOfStates) {
        List<int[]> arrays = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            java.util.Map<String, Npy.Array> found = new java.util.LinkedHashMap<>();
            if (name.endsWith(".npz")) {
                found.putAll(Npz.read(f));
            } else if (name.endsWith(".npy")) {
                found.put("", Npy.read(f));
            } else {
                throw new InputException(f + ": dtrajs are .npy or .npz files");
            }
            for (java.util.Map.Entry<String, Npy.Array> e : found.entrySet()) {
                String source = f + (e.getKey().isEmpty() ? "" : "[" + e.getKey() + "]");
                Npy.Array a = e.getValue();
                if (!a.integral()) {
                    throw new InputException(source + ": states must be integers, found dtype " + a.dtype());
                }
                int rows = a.shape().length == 2 ? a.shape()[0] : 1;
                if (a.shape().length > 2 || a.size() == 0) {
                    throw new InputException(source + ": expected a non-empty 1-dimensional array (one trajectory) or "
                            + "a 2-dimensional one (one trajectory per row), found shape "
                            + java.util.Arrays.toString(a.shape()));
                }
                int length = a.size() / rows;
                for (int r = 0; r < rows; r++) {
                    int[] x = new int[length];
                    for (int i = 0; i < length; i++) {
                        long v = a.longs()[r * length + i];
                        if (v < 0 || v > Integer.MAX_VALUE - 1) {
                            throw new InputException(source + (rows > 1 ? ", row " + r : "") + ", frame " + i + ": "
                                    + v + " is not a state index (states are 0, 1, ...; deeptime's -1 marks a frame "
                                    + "outside every state, which a discrete trajectory here cannot have)");
                        }
                        x[i] = (int) v;
                    }
                    arrays.add(x);
                    sources.add(source + (rows > 1 ? " row " + r : ""));
                }
            }
        }
        int max = arrays.stream().flatMapToInt(java.util.Arrays::stream).max().orElse(0);
        int n = numberOfStates > 0 ? numberOfStates : max + 1;
        if (max >= n) {
            throw new InputException(sources.get(0) + " ...: state " + max + " found, but numberOfStates is " + n);
        }
        List<StateSequence> out = new ArrayList<>();
        for (int t = 0; t < arrays.size(); t++) {
            out.add(StateSequence.wrap(arrays.get(t), n, frameInterval, timeUnit, sources.get(t)));
        }
        return out;
    }

    /**
     * Reads a file in the format its name ends with. NumPy files carry no frame interval: their states come with a
     * frame interval of 1 "frame".
     */
    public static List<StateSequence> read(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".npz") || name.endsWith(".npy")) {
            return readDtrajs(List.of(file), 1, "frame", 0);
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                StandardCharsets.US_ASCII))) {
            String header = in.readLine();
            if (header == null || !header.startsWith(MAGIC)) {
                throw new InputException(file + ", line 1: expected a '" + MAGIC + "' header");
            }
            int states = Integer.parseInt(field(header, "states", file));
            double dt = Double.parseDouble(field(header, "frameInterval", file));
            String unit = field(header, "timeUnit", file);
            int expected = Integer.parseInt(field(header, "trajectories", file));
            List<StateSequence> result = new ArrayList<>();
            String line;
            int lineNumber = 1;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                String[] tokens = line.isEmpty() ? new String[0] : line.split(" ");
                int[] s = new int[tokens.length];
                for (int i = 0; i < tokens.length; i++) {
                    try {
                        s[i] = Integer.parseInt(tokens[i]);
                    } catch (NumberFormatException e) {
                        throw new InputException(file + ", line " + lineNumber + ", frame " + i + ": '" + tokens[i]
                                + "' is not a state index");
                    }
                }
                try {
                    result.add(StateSequence.wrap(s, states, dt, unit, file + " trajectory " + result.size()));
                } catch (IllegalArgumentException e) {
                    throw new InputException(file + ", line " + lineNumber + ": " + e.getMessage());
                }
            }
            if (result.size() != expected) {
                throw new InputException(file + ": header announces " + expected + " trajectories, found "
                        + result.size() + " (file truncated?)");
            }
            return result;
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String field(String header, String name, Path file) {
        for (String token : header.split(" ")) {
            if (token.startsWith(name + "=")) {
                return token.substring(name.length() + 1);
            }
        }
        throw new InputException(file + ", line 1: header has no '" + name + "='");
    }
}
