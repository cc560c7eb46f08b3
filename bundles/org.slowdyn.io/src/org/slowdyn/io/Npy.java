package org.slowdyn.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slowdyn.core.AtomicFiles;
import org.slowdyn.core.InputException;

/**
 * NumPy {@code .npy} files (format versions 1, 2 and 3): arrays of float32, float64, int32 or int64 in either byte
 * order, C (row-major) order. Arrays are read whole into a double or long array with their shape; they are written
 * little-endian, format version 1 (or 2 when the header needs it), and atomically.
 */
public final class Npy {
    private static final byte[] MAGIC = { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y' };
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** An array read from a file: its element type (as NumPy names it, e.g. {@code <f8}), shape and values. */
    public record Array(String dtype, int[] shape, double[] doubles, long[] longs) {
        /** Elements in the array. */
        public int size() {
            return doubles != null ? doubles.length : longs.length;
        }

        /** Whether the elements are integers (then {@link #longs()} holds them, else {@link #doubles()}). */
        public boolean integral() {
            return longs != null;
        }

        /** Element i as a double. */
        public double get(int i) {
            return doubles != null ? doubles[i] : longs[i];
        }
    }

    private Npy() {
    }

    public static Array read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), Files.size(file));
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    static Array read(InputStream in, String source) throws IOException {
        return read(in, source, Long.MAX_VALUE);
    }

    /** @param fileSize the size of the file, against which the header's shape is checked before reading the data */
    static Array read(InputStream in, String source, long fileSize) throws IOException {
        byte[] start = in.readNBytes(8);
        for (int i = 0; i < MAGIC.length; i++) {
            if (start.length < 8 || start[i] != MAGIC[i]) {
                throw new InputException(source + ": not a NumPy .npy file (the first bytes are not \\x93NUMPY)");
            }
        }
        int major = start[6];
        int headerLength;
        if (major == 1) {
            byte[] l = in.readNBytes(2);
            headerLength = l.length < 2 ? -1 : ByteBuffer.wrap(l).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
        } else if (major == 2 || major == 3) {
            byte[] l = in.readNBytes(4);
            headerLength = l.length < 4 ? -1 : ByteBuffer.wrap(l).order(ByteOrder.LITTLE_ENDIAN).getInt();
        } else {
            throw new InputException(source + ": .npy format version " + major + " is not supported (1, 2 or 3)");
        }
        byte[] headerBytes = headerLength < 0 ? new byte[0] : in.readNBytes(headerLength);
        if (headerLength < 0 || headerBytes.length < headerLength) {
            throw new InputException(source + ": file ends inside the .npy header");
        }
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header), fortran = FORTRAN.matcher(header), shapeM = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeM.find()) {
            throw new InputException(source + ": .npy header without descr, fortran_order and shape: " + header.trim());
        }
        if (fortran.group(1).equals("True")) {
            throw new InputException(source + ": the array is stored in Fortran (column-major) order; save it in C "
                    + "order (numpy.ascontiguousarray) to read it here");
        }
        String dtype = descr.group(1);
        ByteOrder order;
        switch (dtype.isEmpty() ? ' ' : dtype.charAt(0)) {
            case '<':
                order = ByteOrder.LITTLE_ENDIAN;
                break;
            case '>':
                order = ByteOrder.BIG_ENDIAN;
                break;
            case '=':
            case '|':
                order = ByteOrder.nativeOrder();
                break;
            default:
                throw new InputException(source + ": unsupported dtype '" + dtype + "'");
        }
        String kind = dtype.substring(1);
        if (!List.of("f4", "f8", "i4", "i8").contains(kind)) {
            throw new InputException(source + ": unsupported dtype '" + dtype + "' (supported: float32, float64, "
                    + "int32, int64 in either byte order: <f4 >f4 <f8 >f8 <i4 >i4 <i8 >i8)");
        }
        List<Integer> dims = new ArrayList<>();
        long count = 1;
        for (String t : shapeM.group(1).split(",")) {
            if (t.isBlank()) {
                continue;
            }
            long d;
            try {
                d = Long.parseLong(t.trim().replace("L", ""));
            } catch (NumberFormatException e) {
                throw new InputException(source + ": bad shape in the .npy header: (" + shapeM.group(1) + ")");
            }
            if (d < 0 || d > Integer.MAX_VALUE - 8 || (count = count * d) > Integer.MAX_VALUE - 8) {
                throw new InputException(source + ": array of shape (" + shapeM.group(1) + ") is larger than "
                        + (Integer.MAX_VALUE - 8) + " elements, which one array here can hold");
            }
            dims.add((int) d);
        }
        int n = (int) count;
        int width = kind.charAt(1) - '0';
        long dataBytes = (long) n * width;
        if (dataBytes > Integer.MAX_VALUE - 8) {
            throw new InputException(source + ": array of shape (" + shapeM.group(1) + ") holds " + dataBytes
                    + " bytes, more than one array here can hold");
        }
        if (dataBytes > fileSize) {
            throw new InputException(source + ": the header's shape (" + shapeM.group(1) + ") needs " + dataBytes
                    + " bytes of data, but the file has only " + fileSize + " bytes (damaged header or truncated file)");
        }
        byte[] raw = in.readNBytes((int) dataBytes);
        if (raw.length < (long) n * width) {
            throw new InputException(source + ": file ends after " + raw.length / width + " of " + n
                    + " elements (truncated file?)");
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(order);
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        switch (kind) {
            case "f4": {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = b.getFloat(4 * i);
                }
                return new Array(dtype, shape, v, null);
            }
            case "f8": {
                double[] v = new double[n];
                b.asDoubleBuffer().get(v);
                return new Array(dtype, shape, v, null);
            }
            case "i4": {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = b.getInt(4 * i);
                }
                return new Array(dtype, shape, null, v);
            }
            default: {
                long[] v = new long[n];
                b.asLongBuffer().get(v);
                return new Array(dtype, shape, null, v);
            }
        }
    }

    /**
     * A one- or two-dimensional array as a table: rows are frames, columns features, named by their index ("0",
     * "1", ...).
     */
    public static Table readTable(Path file) {
        Array a = read(file);
        if (a.shape().length != 1 && a.shape().length != 2) {
            throw new InputException(file + ": a table needs a 1- or 2-dimensional array (frames x features), found "
                    + "shape " + java.util.Arrays.toString(a.shape()));
        }
        int columns = a.shape().length == 1 ? 1 : a.shape()[1];
        if (columns == 0 || a.size() == 0) {
            throw new InputException(file + ": empty array of shape " + java.util.Arrays.toString(a.shape()));
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < columns; j++) {
            names.add(Integer.toString(j));
        }
        double[] values = new double[a.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = a.get(i);
            if (!Double.isFinite(values[i])) {
                throw new InputException(file + ": row " + (i / columns) + ", column " + (i % columns) + " is "
                        + values[i] + "; features must be finite numbers");
            }
        }
        return new Table(names, values, file.toString());
    }

    /** Writes doubles as float64 ({@code <f8}) or, with {@code float32}, as {@code <f4}. */
    public static void write(Path file, int[] shape, double[] values, boolean float32) throws IOException {
        writeElements(file, float32 ? "<f4" : "<f8", shape, values.length, float32 ? 4 : 8,
                float32 ? (b, i) -> b.putFloat((float) values[i]) : (b, i) -> b.putDouble(values[i]));
    }

    /** Writes integers as int32 ({@code <i4}) or, with {@code int64}, as {@code <i8}. */
    public static void write(Path file, int[] shape, long[] values, boolean int64) throws IOException {
        for (int i = 0; i < values.length && !int64; i++) {
            if (values[i] != (int) values[i]) {
                throw new IllegalArgumentException("element " + i + " = " + values[i] + " does not fit int32");
            }
        }
        writeElements(file, int64 ? "<i8" : "<i4", shape, values.length, int64 ? 8 : 4,
                int64 ? (b, i) -> b.putLong(values[i]) : (b, i) -> b.putInt((int) values[i]));
    }

    /** Puts element i into a little-endian buffer. */
    interface Element {
        void put(ByteBuffer b, int i);
    }

    private static void writeElements(Path file, String dtype, int[] shape, int n, int width, Element element)
            throws IOException {
        check(shape, n);
        AtomicFiles.write(file, out -> writeElements(out, dtype, shape, n, width, element));
    }

    /** One whole .npy (header and data) onto a stream, e.g. an entry of an .npz. */
    static void writeElements(OutputStream out, String dtype, int[] shape, int n, int width, Element element)
            throws IOException {
        check(shape, n);
        writeHeader(out, dtype, shape);
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            if (b.remaining() < width) {
                out.write(b.array(), 0, b.position());
                b.clear();
            }
            element.put(b, i);
        }
        out.write(b.array(), 0, b.position());
    }

    private static void check(int[] shape, int n) {
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        if (count != n) {
            throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " holds " + count
                    + " elements, given " + n);
        }
    }

    private static void writeHeader(OutputStream out, String dtype, int[] shape) throws IOException {
        StringBuilder s = new StringBuilder("{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (");
        for (int d : shape) {
            s.append(d).append(shape.length == 1 ? "," : ", ");
        }
        if (shape.length > 1) {
            s.setLength(s.length() - 2);
        }
        s.append("), }");
        int prefix = s.length() + 1 < 65536 - 10 ? 10 : 12;
        int total = ((prefix + s.length() + 1 + 63) / 64) * 64;
        s.append(" ".repeat(total - prefix - s.length() - 1)).append('\n');
        byte[] h = s.toString().getBytes(StandardCharsets.ISO_8859_1);
        out.write(MAGIC);
        ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        if (prefix == 10) {
            out.write(new byte[] { 1, 0 });
            len.putShort((short) h.length);
            out.write(len.array(), 0, 2);
        } else {
            out.write(new byte[] { 2, 0 });
            len.putInt(h.length);
            out.write(len.array(), 0, 4);
        }
        out.write(h);
        out.flush();
    }
}
