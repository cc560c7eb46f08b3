package org.slowdyn.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.slowdyn.core.InputException;

/**
 * PDB files as topologies (ATOM and HETATM records of the first model: names, residues, chains, elements) and single
 * frames (coordinates, Angstrom in the file, nm here). Residues are numbered from 0 in the order they appear; the
 * residue number of the file is kept as {@code residueNumber}.
 */
public final class PdbReader {
    private PdbReader() {
    }

    public static Structure read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
        List<Topology.Atom> atoms = new ArrayList<>();
        List<Float> xyz = new ArrayList<>();
        int residue = -1;
        String lastResidueKey = null;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.startsWith("ENDMDL")) {
                break;
            }
            if (!line.startsWith("ATOM  ") && !line.startsWith("HETATM")) {
                continue;
            }
            if (line.length() < 54) {
                throw new InputException(file + ", line " + (n + 1) + ": ATOM record shorter than 54 columns");
            }
            String name = line.substring(12, 16).trim();
            String resName = line.substring(17, 20).trim();
            String chain = line.substring(21, 22).trim();
            int resSeq;
            float x, y, z;
            try {
                resSeq = Integer.parseInt(line.substring(22, 26).trim());
                x = Float.parseFloat(line.substring(30, 38).trim());
                y = Float.parseFloat(line.substring(38, 46).trim());
                z = Float.parseFloat(line.substring(46, 54).trim());
            } catch (NumberFormatException e) {
                throw new InputException(file + ", line " + (n + 1) + ": bad residue number or coordinate: "
                        + e.getMessage());
            }
            String key = chain + "|" + resSeq + "|" + line.substring(26, 27) + "|" + resName;
            if (!key.equals(lastResidueKey)) {
                residue++;
                lastResidueKey = key;
            }
            String element = line.length() >= 78 ? line.substring(76, 78).trim() : "";
            element = element.isEmpty() ? Topology.guessElement(name) : element.substring(0, 1).toUpperCase(
                    Locale.ROOT) + element.substring(1).toLowerCase(Locale.ROOT);
            atoms.add(new Topology.Atom(atoms.size(), name, element, residue, resName, resSeq, chain));
            xyz.add(x / 10f);
            xyz.add(y / 10f);
            xyz.add(z / 10f);
        }
        if (atoms.isEmpty()) {
            throw new InputException(file + ": no ATOM or HETATM records");
        }
        float[] coords = new float[xyz.size()];
        for (int i = 0; i < coords.length; i++) {
            coords[i] = xyz.get(i);
        }
        return new Structure(new Topology(atoms, file.toString()), coords, null, Double.NaN);
    }
}
