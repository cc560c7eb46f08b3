package org.slowdyn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowdyn.core.InputException;
import org.slowdyn.core.data.StateSequence;

/** State sequences as NumPy files: written as numpy writes them, read as numpy's files, with clear errors. */
class NumpyStatesTest {
    @TempDir
    Path tmp;

    /** numpy 2.4.6: {@code np.savez_compressed(f, np.array([0,1,1,2], np.int32), np.array([2,2,0], np.int64))}. */
    static final String NUMPY_NPZ = "UEsDBC0AAAAIAAAAIQB4FC3i//////////8JABQAYXJyXzAubnB5AQAQAJAAAAAAAAAATAAAAAAAAACb"
            + "7BfqGxDJyFDGUK2eklqcXKRupaBuk2mirqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RomOpo6CrUKFAAuBiBghGImIAYAUEs"
            + "DBC0AAAAIAAAAIQB3P8RY//////////8JABQAYXJyXzEubnB5AQAQAJgAAAAAAAAASwAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupa"
            + "Buk2mhrqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RrGOpo6CrUKFAAuJgYIgNEwAABQSwECLQMtAAAACAAAACEAeBQt4kwAA"
            + "ACQAAAACQAAAAAAAAAAAAAAgAEAAAAAYXJyXzAubnB5UEsBAi0DLQAAAAgAAAAhAHc/xFhLAAAAmAAAAAkAAAAAAAAAAAAAAIABhwAA"
            + "AGFycl8xLm5weVBLBQYAAAAAAgACAG4AAAANAQAAAAA=";
    /** numpy 2.4.6: {@code np.save(f, np.array([3, 1, 2], '<i4'))}. */
    static final String NUMPY_NPY_I4 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBl"
            + "JzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoDAAAAAQAA"
            + "AAIAAAA=";

    private static StateSequence seq(int... s) {
        return new StateSequence(s, 4, 2.0, "ps", "t");
    }

    @Test
    void numpysArchiveIsReadAsDtrajsInItsOrder() throws Exception {
        Path f = tmp.resolve("dtrajs.npz");
        Files.write(f, Base64.getDecoder().decode(NUMPY_NPZ));
        List<StateSequence> d = StateSequenceFiles.readDtrajs(List.of(f), 0.5, "ps", 0);
        assertEquals(2, d.size());
        assertArrayEquals(new int[] { 0, 1, 1, 2 }, d.get(0).toArray());
        assertArrayEquals(new int[] { 2, 2, 0 }, d.get(1).toArray());
        assertEquals(3, d.get(0).numberOfStates());
        assertEquals(0.5, d.get(1).frameInterval());
        assertEquals(5, StateSequenceFiles.readDtrajs(List.of(f), 1, "ps", 5).get(0).numberOfStates());
    }

    @Test
    void anArchiveWrittenHereHoldsOneNumpyArrayPerTrajectoryByteForByte() throws Exception {
        Path f = tmp.resolve("states.npz");
        StateSequenceFiles.write(f, List.of(seq(3, 1, 2), seq(0, 0)));
        try (ZipFile zip = new ZipFile(f.toFile())) {
            assertArrayEquals(Base64.getDecoder().decode(NUMPY_NPY_I4), zip.getInputStream(zip.getEntry("arr_0.npy"))
                    .readAllBytes(), "entry arr_0.npy is what numpy.save writes for the same int32 array");
            assertTrue(zip.getEntry("arr_1.npy") != null && zip.size() == 2);
        }
        List<StateSequence> back = StateSequenceFiles.read(f);
        assertArrayEquals(new int[] { 3, 1, 2 }, back.get(0).toArray());
        assertArrayEquals(new int[] { 0, 0 }, back.get(1).toArray());
    }

    @Test
    void oneNpyHoldsTrajectoriesOfOneLengthAsRows() throws Exception {
        Path f = tmp.resolve("one.npy");
        StateSequenceFiles.write(f, List.of(seq(3, 1, 2)));
        assertArrayEquals(Base64.getDecoder().decode(NUMPY_NPY_I4), Files.readAllBytes(f));
        Path rows = tmp.resolve("rows.npy");
        StateSequenceFiles.write(rows, List.of(seq(3, 1, 2), seq(0, 1, 0)));
        assertEquals(2, StateSequenceFiles.read(rows).size());
        assertArrayEquals(new int[] { 0, 1, 0 }, StateSequenceFiles.read(rows).get(1).toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StateSequenceFiles.write(tmp.resolve("ragged.npy"), List.of(seq(3, 1, 2), seq(0))));
        assertTrue(e.getMessage().contains("name the file .npz"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StateSequenceFiles.write(tmp.resolve("x.txt"),
                List.of(seq(1))));
    }

    @Test
    void valuesThatAreNotStatesAreNamedWithFileAndFrame() throws Exception {
        Path neg = tmp.resolve("neg.npy");
        Npy.write(neg, new int[] { 3 }, new long[] { 0, -1, 1 }, false);
        InputException e = assertThrows(InputException.class, () -> StateSequenceFiles.readDtrajs(List.of(neg), 1,
                "ps", 0));
        assertTrue(e.getMessage().contains("neg.npy, frame 1: -1 is not a state index"), e.getMessage());
        Path floats = tmp.resolve("f.npy");
        Npy.write(floats, new int[] { 2 }, new double[] { 0, 1 }, false);
        e = assertThrows(InputException.class, () -> StateSequenceFiles.readDtrajs(List.of(floats), 1, "ps", 0));
        assertTrue(e.getMessage().contains("states must be integers"), e.getMessage());
        Path big = tmp.resolve("big.npy");
        Npy.write(big, new int[] { 2 }, new long[] { 0, 7 }, false);
        e = assertThrows(InputException.class, () -> StateSequenceFiles.readDtrajs(List.of(big), 1, "ps", 4));
        assertTrue(e.getMessage().contains("state 7 found, but numberOfStates is 4"), e.getMessage());
        Path notZip = tmp.resolve("bad.npz");
        Files.writeString(notZip, "not a zip");
        e = assertThrows(InputException.class, () -> StateSequenceFiles.readDtrajs(List.of(notZip), 1, "ps", 0));
        assertTrue(e.getMessage().contains("bad.npz: not a valid .npz"), e.getMessage());
    }

    @Test
    void featuresAreWrittenAsFloat32ArraysOfFramesByFeatures() throws Exception {
        Path f = tmp.resolve("features.npz");
        Npz.writeFloats(f, List.of("arr_0"), List.of(new double[] { 0.5, 1, 2, 3.25, 4, 5 }), 2);
        Npy.Array a = Npz.read(f).get("arr_0");
        assertEquals("<f4", a.dtype());
        assertArrayEquals(new int[] { 3, 2 }, a.shape());
        assertArrayEquals(new double[] { 0.5, 1, 2, 3.25, 4, 5 }, a.doubles());
    }
}
