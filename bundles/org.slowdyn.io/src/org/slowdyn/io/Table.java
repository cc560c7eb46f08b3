package org.slowdyn.io;

import java.util.List;

/** A numeric table read from a file: named columns, row-major values, and where it came from. */
public final class Table {
    private final List<String> columns;
    private final double[] values;
    private final int rows;
    private final String source;

    Table(List<String> columns, double[] values, String source) {
        this.columns = List.copyOf(columns);
        this.values = values;
        this.rows = values.length / columns.size();
        this.source = source;
    }

    public List<String> columns() {
        return columns;
    }

    public int rows() {
        return rows;
    }

    public String source() {
        return source;
    }

    public double get(int row, int column) {
        return values[row * columns.size() + column];
    }

    public double[] column(int column) {
        double[] c = new double[rows];
        for (int i = 0; i < rows; i++) {
            c[i] = values[i * columns.size() + column];
        }
        return c;
    }
}
