package org.slowdyn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowdyn.core.InputException;

class TextTableReaderTest {
    @TempDir
    Path dir;

    private Table read(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return new TextTableReader().read(f);
    }

    @Test
    void readsPlumedColvarWithFieldsHeader() throws IOException {
        Table t = read("COLVAR", "#! FIELDS time phi psi\n#! SET min_phi -pi\n 0.000000 -1.5 2.5\n"
                + " 2.000000 -1.4 2.6\n#! FIELDS time phi psi\n 4.000000 -1.3 2.7\n");
        assertEquals(List.of("time", "phi", "psi"), t.columns());
        assertEquals(3, t.rows());
        assertArrayEquals(new double[] { 0, 2, 4 }, t.column(0));
        assertArrayEquals(new double[] { 2.5, 2.6, 2.7 }, t.column(2));
    }

    @Test
    void readsCsvAndWhitespaceWithHeaderAndHeaderless() throws IOException {
        Table csv = read("a.csv", "x, y\n1.0, 2.0\n3.0, 4.0\n");
        assertEquals(List.of("x", "y"), csv.columns());
        assertEquals(4.0, csv.get(1, 1));
        Table ws = read("a.txt", "# comment\nx   y  z\n\n1 2 3\n4 5 6\n");
        assertEquals(List.of("x", "y", "z"), ws.columns());
        assertEquals(6.0, ws.get(1, 2));
        Table plain = read("b.txt", "1 2\n3 4\n");
        assertEquals(List.of("col1", "col2"), plain.columns());
        assertEquals(2, plain.rows());
    }

    @Test
    void wrongNumberOfValuesNamesFileLineAndWhatWasRead() throws IOException {
        InputException e = assertThrows(InputException.class, () -> read("c.txt", "x y\n1 2\n3 4\n5\n"));
        assertTrue(e.getMessage().contains("c.txt, line 4"), e.getMessage());
        assertTrue(e.getMessage().contains("found 1 values, expected 2"), e.getMessage());
        assertTrue(e.getMessage().contains("2 rows were read"), e.getMessage());
    }

    @Test
    void nonNumericAndNonFiniteValuesAreErrors() throws IOException {
        InputException e = assertThrows(InputException.class, () -> read("d.txt", "x y\n1 2\n3 abc\n"));
        assertTrue(e.getMessage().contains("line 3, column 2 (y): 'abc' is not a number"), e.getMessage());
        e = assertThrows(InputException.class, () -> read("e.txt", "x y\n1 NaN\n"));
        assertTrue(e.getMessage().contains("line 2, column 2 (y)") && e.getMessage().contains("not finite"),
                e.getMessage());
        assertThrows(InputException.class, () -> read("f.txt", "x y\n1 Infinity\n"));
    }

    @Test
    void emptyMissingAndChangedFieldsAreErrors() throws IOException {
        assertTrue(assertThrows(InputException.class, () -> read("g.txt", "# only a comment\n")).getMessage()
                .contains("no data rows"));
        assertTrue(assertThrows(InputException.class, () -> new TextTableReader().read(dir.resolve("missing.txt")))
                .getMessage().contains("no such file"));
        InputException e = assertThrows(InputException.class,
                () -> read("COLVAR2", "#! FIELDS time a\n0 1\n#! FIELDS time b\n1 2\n"));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }
}
