package org.slowdyn.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

import org.slowdyn.core.ConfigurationException;

/**
 * A small atom selection language with MDTraj's meanings:
 *
 * <pre>
 * expression := term ("or" term)*
 * term       := factor ("and" factor)*
 * factor     := "not" factor | "(" expression ")" | keyword
 * keyword    := "all" | "none" | "protein" | "backbone" | "sidechain" | "water"
 *             | ("name" | "resname" | "element" | "chain") word+
 *             | ("index" | "resid" | "resSeq") (integer+ | integer "to" integer)
 * </pre>
 *
 * {@code index} is the 0-based atom index, {@code resid} the 0-based residue index and {@code resSeq} the residue
 * number of the file; {@code backbone} is N, CA, C and O of protein residues. Errors name the position in the text.
 */
public final class AtomSelection {
    /** Residue names counted as protein (amino acids, common protonation variants and caps). */
    static final Set<String> PROTEIN = Set.of("ALA", "ARG", "ASN", "ASP", "CYS", "GLN", "GLU", "GLY", "HIS", "ILE",
            "LEU", "LYS", "MET", "PHE", "PRO", "SER", "THR", "TRP", "TYR", "VAL", "HID", "HIE", "HIP", "HSD", "HSE",
            "HSP", "CYX", "CYM", "ASH", "GLH", "LYN", "ACE", "NME", "NMA", "NH2", "NHE", "MSE");
    static final Set<String> WATER = Set.of("HOH", "WAT", "SOL", "TIP3", "TIP4", "TIP5", "SPC", "T3P", "T4P");
    static final Set<String> BACKBONE = Set.of("N", "CA", "C", "O");

    private final String text;
    private final List<String> tokens = new ArrayList<>();
    private final List<Integer> positions = new ArrayList<>();
    private int next;
    private final Predicate<Topology.Atom> predicate;

    private AtomSelection(String text) {
        this.text = text;
        tokenize();
        if (tokens.isEmpty()) {
            throw error("empty selection");
        }
        predicate = expression();
        if (next < tokens.size()) {
            throw error("unexpected '" + tokens.get(next) + "'");
        }
    }

    /** @throws ConfigurationException naming the position and what was expected */
    public static AtomSelection parse(String text) {
        return new AtomSelection(text);
    }

    /** Indices of the selected atoms, ascending. */
    public int[] select(Topology topology) {
        return topology.atomList().stream().filter(predicate).mapToInt(Topology.Atom::index).toArray();
    }

    public boolean matches(Topology.Atom atom) {
        return predicate.test(atom);
    }

    @Override
    public String toString() {
        return text;
    }

    private void tokenize() {
        int i = 0;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (Character.isWhitespace(ch)) {
                i++;
            } else if (ch == '(' || ch == ')') {
                positions.add(i);
                tokens.add(String.valueOf(ch));
                i++;
            } else {
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '('
                        && text.charAt(i) != ')') {
                    i++;
                }
                positions.add(start);
                tokens.add(text.substring(start, i));
            }
        }
    }

    private ConfigurationException error(String what) {
        int pos = next < positions.size() ? positions.get(next) : text.length();
        return new ConfigurationException("selection '" + text + "', at character " + (pos + 1) + ": " + what);
    }

    private String peek() {
        return next < tokens.size() ? tokens.get(next).toLowerCase(Locale.ROOT) : null;
    }

    private Predicate<Topology.Atom> expression() {
        Predicate<Topology.Atom> p = term();
        while ("or".equals(peek())) {
            next++;
            p = p.or(term());
        }
        return p;
    }

    private Predicate<Topology.Atom> term() {
        Predicate<Topology.Atom> p = factor();
        while ("and".equals(peek())) {
            next++;
            p = p.and(factor());
        }
        return p;
    }

    private static boolean isKeyword(String t) {
        return t == null || Set.of("and", "or", "not", "(", ")", "to").contains(t);
    }

    private Predicate<Topology.Atom> factor() {
        String t = peek();
        if (t == null) {
            throw error("the selection ends where a keyword was expected");
        }
        next++;
        switch (t) {
        case "not":
            return factor().negate();
        case "(": {
            Predicate<Topology.Atom> p = expression();
            if (!")".equals(peek())) {
                throw error("expected ')'");
            }
            next++;
            return p;
        }
        case "all":
            return a -> true;
        case "none":
            return a -> false;
        case "protein":
            return a -> PROTEIN.contains(a.residueName().toUpperCase(Locale.ROOT));
        case "water":
            return a -> WATER.contains(a.residueName().toUpperCase(Locale.ROOT));
        case "backbone":
            return a -> PROTEIN.contains(a.residueName().toUpperCase(Locale.ROOT)) && BACKBONE.contains(a.name());
        case "sidechain":
            return a -> PROTEIN.contains(a.residueName().toUpperCase(Locale.ROOT)) && !BACKBONE.contains(a.name())
                    && !a.element().equals("H");
        case "name":
            return words(Topology.Atom::name);
        case "resname":
            return words(Topology.Atom::residueName);
        case "element":
            return words(Topology.Atom::element);
        case "chain":
            return words(Topology.Atom::chain);
        case "index":
            return numbers(Topology.Atom::index);
        case "resid":
            return numbers(Topology.Atom::residueIndex);
        case "resseq":
            return numbers(Topology.Atom::residueNumber);
        default:
            next--;
            throw error("unknown keyword '" + tokens.get(next) + "' (known: all, none, protein, backbone, sidechain, "
                    + "water, name, resname, element, chain, index, resid, resSeq, and, or, not, parentheses)");
        }
    }

    private Predicate<Topology.Atom> words(java.util.function.Function<Topology.Atom, String> field) {
        List<String> values = new ArrayList<>();
        while (!isKeyword(peek())) {
            values.add(tokens.get(next++));
        }
        if (values.isEmpty()) {
            throw error("expected one or more values");
        }
        return a -> values.contains(field.apply(a));
    }

    private Predicate<Topology.Atom> numbers(java.util.function.ToIntFunction<Topology.Atom> field) {
        List<int[]> ranges = new ArrayList<>();
        while (!isKeyword(peek())) {
            int from = integer();
            int to = from;
            if ("to".equals(peek())) {
                next++;
                to = integer();
                if (to < from) {
                    next--;
                    throw error("range " + from + " to " + to + " is empty");
                }
            }
            ranges.add(new int[] { from, to });
        }
        if (ranges.isEmpty()) {
            throw error("expected one or more integers");
        }
        return a -> {
            int v = field.applyAsInt(a);
            for (int[] r : ranges) {
                if (v >= r[0] && v <= r[1]) {
                    return true;
                }
            }
            return false;
        };
    }

    private int integer() {
        String t = next < tokens.size() ? tokens.get(next) : null;
        try {
            int v = Integer.parseInt(t);
            next++;
            return v;
        } catch (NumberFormatException | NullPointerException e) {
            throw error("expected an integer, found " + (t == null ? "the end" : "'" + t + "'"));
        }
    }
}
