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
    private final String source;

    public Topology(List<Atom> atoms, String source) {
        this.atoms = List.copyOf(atoms);
        this.source = source;
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
        return atoms.isEmpty() ? 0 : atoms.get(atoms.size() - 1).residueIndex() + 1;
    }

    /** Atoms of residue r. */
    public List<Atom> residue(int r) {
        List<Atom> out = new ArrayList<>();
        for (Atom a : atoms) {
            if (a.residueIndex() == r) {
                out.add(a);
            }
        }
        return out;
    }

    /** Index of the atom named {@code name} in residue r, or -1. */
    public int find(int r, String name) {
        for (Atom a : atoms) {
            if (a.residueIndex() == r && a.name().equals(name)) {
                return a.index();
            }
        }
        return -1;
    }
}
