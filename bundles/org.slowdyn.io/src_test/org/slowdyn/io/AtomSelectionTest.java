package org.slowdyn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slowdyn.core.ConfigurationException;

/** Selections on alanine dipeptide (ACE 1, ALA 2, NME 3; 22 atoms), with the atom indices read off ala2.pdb. */
class AtomSelectionTest {
    private static int[] sel(String s) {
        return AtomSelection.parse(s).select(PdbReader.read(SharedData.dir().resolve("ala2.pdb")).topology());
    }

    @Test
    void keywordsFollowMdtraj() {
        assertArrayEquals(new int[] { 8 }, sel("name CA"));
        // N, CA, C, O of every protein residue: ACE C 4, O 5; ALA N 6, CA 8, C 14, O 15; NME N 16 and its methyl,
        // which this PDB names C (18)
        assertArrayEquals(new int[] { 4, 5, 6, 8, 14, 15, 16, 18 }, sel("backbone"));
        assertArrayEquals(new int[] { 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 }, sel("resname ALA"));
        assertArrayEquals(sel("resname ALA"), sel("resid 1"), "resid is the 0-based residue index");
        assertArrayEquals(sel("resname ALA"), sel("resSeq 2"), "resSeq is the number in the file");
        assertArrayEquals(new int[] { 0, 1, 2 }, sel("index 0 to 2"));
        assertArrayEquals(new int[] { 6, 16 }, sel("element N"));
        assertTrue(sel("protein").length == 22, "the caps ACE and NME count as protein");
    }

    @Test
    void booleanCombinations() {
        assertArrayEquals(new int[] { 8, 14 }, sel("resname ALA and (name CA or name C)"));
        // (backbone and not ALA) = 4, 5, 16, 18; or name N adds 6
        assertArrayEquals(new int[] { 4, 5, 6, 16, 18 }, sel("backbone and not resname ALA or name N"),
                "and binds tighter than or");
        assertArrayEquals(new int[] { 4, 8, 14, 18 }, sel("element C and not element H and (backbone or name C)"));
        assertArrayEquals(new int[] { 0, 4, 8, 10, 14, 18 }, sel("element C"));
        assertArrayEquals(new int[] { 8, 10 }, sel("name CA CB"));
        assertArrayEquals(new int[0], sel("none"));
    }

    @Test
    void errorsNameThePosition() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> AtomSelection.parse("name CA and"));
        assertTrue(e.getMessage().contains("ends where a keyword was expected"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> AtomSelection.parse("resid two"));
        assertTrue(e.getMessage().contains("character 7") && e.getMessage().contains("'two'"), e.getMessage());
        e = assertThrows(ConfigurationException.class, () -> AtomSelection.parse("nmae CA"));
        assertTrue(e.getMessage().contains("unknown keyword 'nmae'"), e.getMessage());
        assertThrows(ConfigurationException.class, () -> AtomSelection.parse("(name CA"));
        assertThrows(ConfigurationException.class, () -> AtomSelection.parse("index 5 to 2"));
    }
}
