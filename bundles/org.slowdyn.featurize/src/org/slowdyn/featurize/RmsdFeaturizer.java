package org.slowdyn.featurize;

import java.nio.file.Path;
import java.util.List;

import org.slowdyn.core.ConfigurationException;
import org.slowdyn.core.settings.Setting;
import org.slowdyn.core.settings.Settings;
import org.slowdyn.core.settings.SettingsSchema;
import org.slowdyn.io.AtomSelection;
import org.slowdyn.io.FrameChunk;
import org.slowdyn.io.Structure;
import org.slowdyn.io.Topology;
import org.slowdyn.io.TrajectoryFiles;

/**
 * RMSD (nm) of the selected atoms to a reference structure after optimal translation and rotation. The reference is a
 * PDB with the same atoms (by default the topology file itself); relative paths are relative to the working folder.
 */
public class RmsdFeaturizer extends TrajectoryFeaturizer {
    public static final String ID = "featurize.rmsd";

    public static final Setting<String> REFERENCE = Setting.text("reference", null,
            "reference structure (PDB or GRO); default: the topology file");
    public static final Setting<String> SELECTION = Setting.text("selection", "backbone",
            "atoms fitted and measured");
    public static final SettingsSchema SCHEMA = schema(REFERENCE, SELECTION);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "RMSD";
    }

    @Override
    public String description() {
        return "RMSD to a reference structure after optimal superposition (nm)";
    }

    @Override
    public SettingsSchema settingsSchema() {
        return SCHEMA;
    }

    @Override
    public Plan plan(Topology topology, Path topologyFile, Settings settings) {
        Path refFile = settings.get(REFERENCE) == null ? topologyFile : Path.of(settings.get(REFERENCE));
        Structure ref = TrajectoryFiles.structure(refFile);
        if (ref.topology().atoms() != topology.atoms()) {
            throw new ConfigurationException(ID + ": reference " + refFile + " has " + ref.topology().atoms()
                    + " atoms, the topology " + topology.atoms());
        }
        int[] atoms = AtomSelection.parse(settings.get(SELECTION)).select(topology);
        if (atoms.length < 3) {
            throw new ConfigurationException(ID + ": selection '" + settings.get(SELECTION) + "' has " + atoms.length
                    + " atoms; RMSD needs at least 3");
        }
        double[] centered = new double[atoms.length * 3];
        double[] mean = new double[3];
        for (int a : atoms) {
            for (int k = 0; k < 3; k++) {
                mean[k] += ref.coordinates()[3 * a + k] / (double) atoms.length;
            }
        }
        double inner = 0;
        for (int i = 0; i < atoms.length; i++) {
            for (int k = 0; k < 3; k++) {
                centered[3 * i + k] = ref.coordinates()[3 * atoms[i] + k] - mean[k];
                inner += centered[3 * i + k] * centered[3 * i + k];
            }
        }
        double referenceInner = inner;
        List<String> labels = List.of("RMSD: " + settings.get(SELECTION) + " to " + refFile.getFileName());
        return new Plan() {
            @Override
            public List<String> labels() {
                return labels;
            }

            @Override
            public void compute(FrameChunk chunk, int f, double[] out, int offset) {
                out[offset] = Geometry.rmsd(chunk, f, atoms, centered, referenceInner);
            }
        };
    }
}
