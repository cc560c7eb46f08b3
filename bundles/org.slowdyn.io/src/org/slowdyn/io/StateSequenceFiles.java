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
 * A list of state sequences as gzip-compressed text: a header line
 * {@code # slowdyn-states v1 states=<n> frameInterval=<dt> timeUnit=<unit> trajectories=<m>}, then one line per
 * trajectory with its states separated by single spaces. Written atomically.
 */
public final class StateSequenceFiles {
    private static final String MAGIC = "# slowdyn-states v1";

    private StateSequenceFiles() {
    }

    public static void write(Path file, List<StateSequence> sequences) throws IOException {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("no sequences to write");
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

    public static List<StateSequence> read(Path file) {
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
