package org.slowdyn.io;

import java.util.ArrayList;
import java.util.List;

/** Atoms with their names, elements and residues, in the atom order of the trajectories. Immutable. */
public final class Topology {
    /** One atom: index in the topology, name, element symbol, residue index (0-based), residue name and number. */
    public record Atom(int index, String name, String element, int residueIndex, String residueName, int residueNumber,
            String chain) {
    }

    private final List<Atom> atoms;
    private final List<List<Atom>> byResidue;
    private final String source;

    /**
     * @throws IllegalArgumentException if an atom's index is not its position, or residue indices leave gaps
     */
    public Topology(List<Atom> atoms, String source) {
        this.atoms = List.copyOf(atoms);
        this.source = source;
        int residues = 0;
        for (int i = 0; i < this.atoms.size(); i++) {
            Atom a = this.atoms.get(i);
            if (a.index() != i || a.residueIndex() < 0) {
                throw new IllegalArgumentException(source + ": atom " + i + " has index " + a.index()
                        + " and residue index " + a.residueIndex());
            }
            residues = Math.max(residues, a.residueIndex() + 1);
        }
        List<List<Atom>> groups = new ArrayList<>(residues);
        for (int r = 0; r < residues; r++) {
            groups.add(new ArrayList<>());
        }
        for (Atom a : this.atoms) {
            groups.get(a.residueIndex()).add(a);
        }
        List<List<Atom>> frozen = new ArrayList<>(residues);
        for (int r = 0; r < residues; r++) {
            if (groups.get(r).isEmpty()) {
                throw new IllegalArgumentException(source + ": residue index " + r + " has no atom");
            }
            frozen.add(List.copyOf(groups.get(r)));
        }
        this.byResidue = List.copyOf(frozen);
    }

    public int atoms() {
        return atoms.size();
    }

    public Atom atom(int i) {
        return atoms.get(i);
    }

    public List<Atom> atomList() {
        return atoms;
    }

    public String source() {
        return source;
    }

    /** Number of residues (residue indices run from 0). */
    public int residues() {
        return byResidue.size();
    }

    /** Atoms of residue r (grouped once, when the topology is made). */
    public List<Atom> residue(int r) {
        return byResidue.get(r);
    }

    /**
     * The element of an atom from its name when the file gives none: the first letter of the name (as MD force fields
     * name atoms: CA, CB, HA, OXT), upper case; "" for a name without letters.
     */
    public static String guessElement(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (Character.isLetter(name.charAt(i))) {
                return String.valueOf(Character.toUpperCase(name.charAt(i)));
            }
        }
        return "";
    }

    /** Index of the atom named {@code name} in residue r, or -1. */
    public int find(int r, String name) {
        for (Atom a : byResidue.get(r)) {
            if (a.name().equals(name)) {
                return a.index();
            }
        }
        return -1;
    }
}
