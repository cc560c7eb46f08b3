package org.slowdyn.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slowdyn.core.InputException;

/**
 * GROMACS GRO files, as topologies and as (possibly multi-frame) trajectories. A frame is a title line (GROMACS writes
 * the time there as {@code t= 10.00000}), the atom count, one fixed-column line per atom (residue number and name,
 * atom name and number in columns 1-20, then x, y, z in nm, optionally followed by velocities) and the box line (3
 * numbers for a rectangular box, 9 for a triclinic one: v1(x) v2(y) v3(z) v1(y) v1(z) v2(x) v2(z) v3(x) v3(y)). The
 * coordinate field width follows the file's precision: it is the distance between the first two decimal points of
 * an atom line, as GROMACS writes it. Residues are numbered from 0 in the order they appear; the number in the file
 * (which wraps at 100000) is kept as {@code residueNumber}.
 */
public final class GroReader implements TrajectoryReader {
    private static final Pattern TIME = Pattern.compile("\\bt=\\s*([-+0-9.eE]+)");

    private final Path file;
    private final BufferedReader in;
    private final int atoms;
    private long line;
    private long frame;
    private double lastTime = Double.NaN;

    public GroReader(Path file) {
        this.file = file;
        this.in = open(file);
        try {
            in.mark(1 << 16);
            readLine("the title");
            this.atoms = atomCount(readLine("the atom count"));
            // every atom takes a line of at least 44 characters (fixed columns up to z)
            long size = java.nio.file.Files.size(file);
            if (44L * atoms > size) {
                throw bad("the atom count " + atoms + " cannot fit in a file of " + size + " bytes (every atom takes a "
                        + "line of at least 44 characters)");
            }
            in.reset();
            line = 0;
        } catch (IOException e) {
            close();
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        } catch (InputException e) {
            close();
            throw e;
        }
    }

    private static BufferedReader open(Path file) {
        try {
            return Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException e) {
            throw new InputException(file + ": cannot open: " + e.getMessage(), e);
        }
    }

    /** The topology, first-frame coordinates, box and time of a GRO file. */
    public static Structure readStructure(Path file) {
        try (GroReader r = new GroReader(file)) {
            List<Topology.Atom> topology = new ArrayList<>();
            float[] xyz = new float[r.atoms * 3];
            double[] box = new double[9];
            r.readFrame(xyz, 0, box, 0, topology);
            return new Structure(new Topology(topology, file.toString()), xyz, box, r.lastTime);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private String readLine(String what) throws IOException {
        String l = in.readLine();
        line++;
        if (l == null) {
            throw new InputException(file + ", line " + line + ", frame " + frame + ": file ends where " + what
                    + " was expected (truncated file?); " + frame + " complete frames were read before it");
        }
        return l;
    }

    private InputException bad(String what) {
        return new InputException(file + ", line " + line + ", frame " + frame + ": " + what + "; " + frame
                + " complete frames were read before it");
    }

    private int atomCount(String l) {
        try {
            int n = Integer.parseInt(l.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad("expected the atom count (a positive integer), found '" + l.trim() + "'");
    }

    @Override
    public int atoms() {
        return atoms;
    }

    @Override
    public String source() {
        return file.toString();
    }

    @Override
    public long position() {
        return frame;
    }

    @Override
    public double lastTime() {
        return lastTime;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public FrameChunk read(int maxFrames, int stride) {
        if (maxFrames < 1 || stride < 1) {
            throw new IllegalArgumentException("maxFrames and stride must be at least 1");
        }
        List<float[]> xyz = new ArrayList<>();
        List<Double> times = new ArrayList<>();
        List<double[]> boxes = new ArrayList<>();
        long start = frame;
        maxFrames = FileTrajectoryReader.framesWithinBudget(maxFrames, atoms);
        try {
            while (xyz.size() < maxFrames) {
                float[] x = new float[atoms * 3];
                double[] b = new double[9];
                if (!readFrame(x, 0, b, 0, null)) {
                    break;
                }
                xyz.add(x);
                times.add(lastTime);
                boxes.add(b);
                if (stride > 1 && skip(stride - 1) < stride - 1) {
                    break;
                }
            }
        } catch (IOException e) {
            throw bad("cannot read: " + e.getMessage());
        }
        int n = xyz.size();
        if (n == 0) {
            return null;
        }
        float[] all = new float[n * atoms * 3];
        double[] time = new double[n];
        double[] box = new double[n * 9];
        for (int f = 0; f < n; f++) {
            System.arraycopy(xyz.get(f), 0, all, f * atoms * 3, atoms * 3);
            System.arraycopy(boxes.get(f), 0, box, f * 9, 9);
            time[f] = times.get(f);
        }
        return new FrameChunk(atoms, n, start, all, time, box);
    }

    @Override
    public long skip(long n) {
        long done = 0;
        try {
            while (done < n && readFrame(null, 0, null, 0, null)) {
                done++;
            }
        } catch (IOException e) {
            throw bad("cannot read: " + e.getMessage());
        }
        return done;
    }

    /**
     * Reads one frame (coordinates into xyz unless null, box into box unless null, atoms into topology unless null);
     * false at the end of the file.
     */
    private boolean readFrame(float[] xyz, int offset, double[] box, int boxOffset, List<Topology.Atom> topology)
            throws IOException {
        String title = in.readLine();
        if (title == null) {
            return false;
        }
        line++;
        if (title.isBlank()) {
            // a trailing blank line after the last frame is harmless
            in.mark(1 << 16);
            String next = in.readLine();
            if (next == null || next.isBlank()) {
                return false;
            }
            in.reset();
        }
        Matcher m = TIME.matcher(title);
        lastTime = Double.NaN;
        if (m.find()) {
            try {
                lastTime = Double.parseDouble(m.group(1));
            } catch (NumberFormatException e) {
                lastTime = Double.NaN;
            }
        }
        int n = atomCount(readLine("the atom count"));
        if (n != atoms) {
            throw bad(n + " atoms, but the first frame has " + atoms);
        }
        int width = -1;
        int residue = -1;
        String lastResidue = null;
        for (int a = 0; a < atoms; a++) {
            String l = readLine("atom " + (a + 1) + " of " + atoms);
            if (xyz == null && topology == null) {
                continue;
            }
            if (width < 0) {
                int p1 = l.indexOf('.', 20);
                int p2 = p1 < 0 ? -1 : l.indexOf('.', p1 + 1);
                width = p2 - p1;
                if (p1 < 0 || p2 < 0 || width < 4) {
                    throw bad("atom line without three coordinates after column 20: '" + l + "'");
                }
            }
            if (l.length() < 20 + 3 * width) {
                throw bad("atom line shorter than the " + (20 + 3 * width) + " columns of its coordinates: '" + l
                        + "'");
            }
            if (xyz != null) {
                for (int k = 0; k < 3; k++) {
                    String field = l.substring(20 + k * width, 20 + (k + 1) * width).trim();
                    float v;
                    try {
                        v = Float.parseFloat(field);
                    } catch (NumberFormatException e) {
                        // C writes non-finite numbers as nan or inf, which Java does not parse
                        v = field.matches("(?i)[+-]?(nan|inf|infinity)") ? Float.NaN : 0f;
                        if (!Float.isNaN(v)) {
                            throw bad("atom " + (a + 1) + ": bad coordinate '" + field + "'");
                        }
                    }
                    if (!Float.isFinite(v)) {
                        throw bad("atom " + (a + 1) + ": coordinate is not finite");
                    }
                    xyz[offset + a * 3 + k] = v;
                }
            }
            if (topology != null) {
                String resNumber = l.substring(0, 5).trim();
                String resName = l.substring(5, 10).trim();
                String name = l.substring(10, 15).trim();
                int number;
                try {
                    number = Integer.parseInt(resNumber);
                } catch (NumberFormatException e) {
                    throw bad("atom " + (a + 1) + ": bad residue number '" + resNumber + "'");
                }
                String key = resNumber + "|" + resName;
                if (!key.equals(lastResidue)) {
                    residue++;
                    lastResidue = key;
                }
                topology.add(new Topology.Atom(a, name, Topology.guessElement(name), residue, resName, number, ""));
            }
        }
        String boxLine = readLine("the box line");
        if (box != null) {
            String[] t = boxLine.trim().split("\\s+");
            if (t.length != 3 && t.length != 9) {
                throw bad("box line with " + t.length + " numbers, expected 3 or 9: '" + boxLine + "'");
            }
            double[] v = new double[t.length];
            for (int k = 0; k < t.length; k++) {
                try {
                    v[k] = Double.parseDouble(t[k]);
                } catch (NumberFormatException e) {
                    throw bad("bad number '" + t[k] + "' in the box line");
                }
            }
            java.util.Arrays.fill(box, boxOffset, boxOffset + 9, 0.0);
            box[boxOffset] = v[0];
            box[boxOffset + 4] = v[1];
            box[boxOffset + 8] = v[2];
            if (v.length == 9) {
                box[boxOffset + 1] = v[3];
                box[boxOffset + 2] = v[4];
                box[boxOffset + 3] = v[5];
                box[boxOffset + 5] = v[6];
                box[boxOffset + 6] = v[7];
                box[boxOffset + 7] = v[8];
            }
        }
        frame++;
        return true;
    }
}
