package org.slowdyn.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import org.slowdyn.core.InputException;

/**
 * Reads numeric tables from text: PLUMED COLVAR files (names from the {@code #! FIELDS} line, other {@code #!} lines
 * ignored), CSV with a header line, and whitespace-separated columns with or without a header line. Lines starting
 * with {@code #} (other than {@code #! FIELDS}) and blank lines are skipped. Every data line must have one value per
 * column; a missing, extra, non-numeric, NaN or infinite value is an error that names the file, the line and the
 * column. A table without a header names its columns {@code col1}, {@code col2}, ...
 */
public final class TextTableReader {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern COMMA = Pattern.compile("\\s*,\\s*");

    public Table read(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    Table read(BufferedReader in, String source) throws IOException {
        List<String> columns = null;
        Pattern separator = null;
        double[] values = new double[1 << 12];
        int count = 0;
        int lineNumber = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.startsWith("#! FIELDS")) {
                List<String> fields = Arrays.asList(WHITESPACE.split(trimmed.substring("#! FIELDS".length()).strip()));
                if (columns == null) {
                    columns = fields;
                    separator = WHITESPACE;
                } else if (!columns.equals(fields)) {
                    throw new InputException(source + ", line " + lineNumber + ": a new FIELDS header " + fields
                            + " differs from the first one " + columns + "; split the file where the fields change");
                }
                continue;
            }
            if (trimmed.startsWith("#")) {
                continue;
            }
            if (columns == null) {
                separator = trimmed.contains(",") ? COMMA : WHITESPACE;
                String[] tokens = separator.split(trimmed);
                if (!allNumeric(tokens)) {
                    columns = Arrays.asList(tokens);
                    if (columns.stream().anyMatch(String::isEmpty)) {
                        throw new InputException(source + ", line " + lineNumber + ": empty column name in header");
                    }
                    continue;
                }
                List<String> names = new ArrayList<>();
                for (int c = 0; c < tokens.length; c++) {
                    names.add("col" + (c + 1));
                }
                columns = names;
            }
            String[] tokens = separator.split(trimmed);
            if (tokens.length != columns.size()) {
                throw new InputException(source + ", line " + lineNumber + ": found " + tokens.length
                        + " values, expected " + columns.size() + " (" + String.join(", ", columns) + "); "
                        + count / columns.size() + " rows were read before it");
            }
            if (count + tokens.length > values.length) {
                values = Arrays.copyOf(values, Math.max(values.length * 2, count + tokens.length));
            }
            for (int c = 0; c < tokens.length; c++) {
                double v;
                try {
                    v = Double.parseDouble(tokens[c]);
                } catch (NumberFormatException e) {
                    throw new InputException(source + ", line " + lineNumber + ", column " + (c + 1) + " ("
                            + columns.get(c) + "): '" + tokens[c] + "' is not a number");
                }
                if (!Double.isFinite(v)) {
                    throw new InputException(source + ", line " + lineNumber + ", column " + (c + 1) + " ("
                            + columns.get(c) + "): value " + tokens[c] + " is not finite");
                }
                values[count++] = v;
            }
        }
        if (columns == null || count == 0) {
            throw new InputException(source + ": no data rows found");
        }
        return new Table(columns, Arrays.copyOf(values, count), source);
    }

    private static boolean allNumeric(String[] tokens) {
        for (String t : tokens) {
            try {
                Double.parseDouble(t);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }
}
