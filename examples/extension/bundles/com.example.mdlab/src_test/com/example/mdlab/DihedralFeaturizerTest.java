package com.example.mdlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.StageRegistry;
import org.slowdyn.core.data.FeatureSeries;
import org.slowdyn.core.data.TrajectoryInput;
import org.slowdyn.core.settings.InvalidSettingException;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.featurize.CombinedFeaturizer;
import org.slowdyn.featurize.TicaFeaturizer;
import org.slowdyn.featurize.TorsionFeaturizer;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The dihedral featurizer against MDTraj's phi and psi of alanine dipeptide, and as a nested stage. */
class DihedralFeaturizerTest {
    static final Path DATA = Path.of(System.getProperty("slowdyn.data", "../../../../../shared/data"));
    static final Path XTC = DATA.resolve("ala2_0-10ns.xtc");
    static final Path PDB = DATA.resolve("ala2.pdb");
    /** phi = C(ACE) N CA C(ALA), psi = N CA C(ALA) N(NME), 0-based atom indices of ala2.pdb. */
    static final String PHI_PSI = "[[4, 6, 8, 14], [6, 8, 14, 16]]";

    private final ObjectMapper json = new ObjectMapper();

    private FeatureSeries featurize(String settings) throws IOException {
        Settings s = DihedralFeaturizer.SCHEMA.fromJson(json.readTree(settings), "test");
        return new DihedralFeaturizer().featurize(TrajectoryInput.ofFiles(List.of(XTC), PDB), s, null).get(0);
    }

    /** MDTraj 1.9.7 compute_phi / compute_psi on the same files (shared/data/...phi_psi.mdtraj.txt). */
    @Test
    void phiAndPsiGivenAsAtomsEqualMdtraj() throws IOException {
        FeatureSeries f = featurize("{\"atoms\": " + PHI_PSI + ", \"output\": \"radians\"}");
        assertEquals(List.of("DIH ACE1:C ALA2:N ALA2:CA ALA2:C", "DIH ALA2:N ALA2:CA ALA2:C NME3:N"), f.labels());
        List<String> lines = Files.readAllLines(DATA.resolve("ala2_0-10ns.xtc.phi_psi.mdtraj.txt"));
        int compared = 0;
        for (String line : lines) {
            if (line.startsWith("#") || line.startsWith("frame")) {
                continue;
            }
            String[] p = line.trim().split("\\s+");
            int frame = Integer.parseInt(p[0]);
            // XTC coordinates are stored to 1e-3 nm and MDTraj computes in float32: agree to 1e-4 rad
            assertEquals(Double.parseDouble(p[1]), f.get(frame, 0), 1e-4, "phi at frame " + frame);
            assertEquals(Double.parseDouble(p[2]), f.get(frame, 1), 1e-4, "psi at frame " + frame);
            compared++;
        }
        assertEquals(10_000, compared);
        assertEquals(10_000, f.frames());
    }

    @Test
    void sinCosAreOfTheSameAnglesAndMatchTheBuiltInTorsions() throws IOException {
        FeatureSeries rad = featurize("{\"atoms\": " + PHI_PSI + ", \"output\": \"radians\", \"stride\": 7}");
        FeatureSeries sc = featurize("{\"atoms\": " + PHI_PSI + ", \"stride\": 7}");
        Settings torsions = TorsionFeaturizer.SCHEMA.fromJson(json.readTree("{\"stride\": 7}"), "test");
        FeatureSeries builtIn = new TorsionFeaturizer().featurize(TrajectoryInput.ofFiles(List.of(XTC), PDB),
                torsions, null).get(0);
        assertEquals(builtIn.frames(), rad.frames());
        for (int i = 0; i < rad.frames(); i++) {
            for (int a = 0; a < 2; a++) {
                assertEquals(Math.cos(rad.get(i, a)), sc.get(i, 2 * a), 1e-12);
                assertEquals(Math.sin(rad.get(i, a)), sc.get(i, 2 * a + 1), 1e-12);
                // the same angle by featurize.torsions' own formula: round-off of 1e-8 rad is seen, 1e-6 bounds it
                assertEquals(builtIn.get(i, a), rad.get(i, a), 1e-6, "frame " + i);
            }
        }
    }

    @Test
    void badAtomsAreNamed() throws IOException {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> featurize("{\"atoms\": [[1, 2, 3]]}"));
        assertTrue(e.getMessage().contains("needs 4"), e.getMessage());
        e = assertThrows(InvalidSettingException.class, () -> featurize("{\"atoms\": [[1, 2, 2, 3]]}"));
        assertTrue(e.getMessage().contains("repeats an atom"), e.getMessage());
        e = assertThrows(InvalidSettingException.class, () -> featurize("{}"));
        assertEquals("atoms", e.field());
        ConfigurationException c = assertThrows(ConfigurationException.class,
                () -> featurize("{\"atoms\": [[4, 6, 8, 22]]}"));
        assertTrue(c.getMessage().contains("atom 22") && c.getMessage().contains("22 atoms"), c.getMessage());
    }

    /** A lab's featurizer as a part of featurize.combined and as the input of featurize.tica. */
    @Test
    void servesAsANestedStageOfTheBuiltInComposites() throws IOException {
        StageRegistry stages = StageRegistry.of(new DihedralFeaturizer(), new TorsionFeaturizer(),
                new CombinedFeaturizer(), new TicaFeaturizer());
        TrajectoryInput input = TrajectoryInput.ofFiles(List.of(XTC), PDB);
        Settings combined = CombinedFeaturizer.SCHEMA.fromJson(json.readTree("{\"stride\": 10, \"features\": ["
                + "{\"id\": \"featurize.torsions\"}, {\"id\": \"mdlab.dihedrals\", \"settings\": {\"atoms\": "
                + "[[0, 4, 6, 8]]}}]}"), "test", stages);
        FeatureSeries c = new CombinedFeaturizer().featurize(input, combined, null).get(0);
        assertEquals(List.of("PHI 0 ALA 2", "PSI 0 ALA 2", "COS(DIH ACE1:CH3 ACE1:C ALA2:N ALA2:CA)",
                "SIN(DIH ACE1:CH3 ACE1:C ALA2:N ALA2:CA)"), c.labels());
        assertEquals(1000, c.frames());
        Settings tica = TicaFeaturizer.SCHEMA.fromJson(json.readTree("{\"lag\": 5, \"dimensions\": 2, \"features\": "
                + "{\"id\": \"mdlab.dihedrals\", \"settings\": {\"atoms\": " + PHI_PSI + "}}}"), "test", stages);
        FeatureSeries t = new TicaFeaturizer().featurize(input, tica, null).get(0);
        assertEquals(List.of("TIC1", "TIC2"), t.labels());
        assertEquals(10_000, t.frames());
    }
}
