package org.slowdyn.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A small line-and-marker plot written as SVG, with optional logarithmic axes. */
final class SvgPlot {
    private static final String[] COLORS = { "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
            "#e377c2", "#17becf", "#7f7f7f", "#bcbd22" };
    private static final int W = 720, H = 440, LEFT = 80, RIGHT = 250, TOP = 40, BOTTOM = 60;

    private record Series(String name, double[] x, double[] y, boolean line, String dash) {
    }

    private final String title, xLabel, yLabel;
    private final boolean logX, logY;
    private final List<Series> series = new ArrayList<>();
    private final List<double[]> references = new ArrayList<>(); // horizontal lines: {y}

    SvgPlot(String title, String xLabel, String yLabel, boolean logX, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logX = logX;
        this.logY = logY;
    }

    SvgPlot line(String name, double[] x, double[] y) {
        series.add(new Series(name, x, y, true, null));
        return this;
    }

    SvgPlot dashed(String name, double[] x, double[] y) {
        series.add(new Series(name, x, y, true, "5,4"));
        return this;
    }

    SvgPlot points(String name, double[] x, double[] y) {
        series.add(new Series(name, x, y, false, null));
        return this;
    }

    SvgPlot horizontal(double y) {
        references.add(new double[] { y });
        return this;
    }

    private double tx(double v) {
        return logX ? Math.log10(v) : v;
    }

    private double ty(double v) {
        return logY ? Math.log10(v) : v;
    }

    private static boolean ok(double v, boolean log) {
        return Double.isFinite(v) && (!log || v > 0);
    }

    void write(Path file) throws IOException {
        double x0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y0 = Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (ok(s.x[i], logX) && ok(s.y[i], logY)) {
                    x0 = Math.min(x0, tx(s.x[i]));
                    x1 = Math.max(x1, tx(s.x[i]));
                    y0 = Math.min(y0, ty(s.y[i]));
                    y1 = Math.max(y1, ty(s.y[i]));
                }
            }
        }
        for (double[] r : references) {
            if (ok(r[0], logY)) {
                y0 = Math.min(y0, ty(r[0]));
                y1 = Math.max(y1, ty(r[0]));
            }
        }
        if (x0 > x1) {
            x0 = 0;
            x1 = 1;
            y0 = 0;
            y1 = 1;
        }
        double px = (x1 - x0) * 0.05 + 1e-9, py = (y1 - y0) * 0.08 + 1e-9;
        x0 -= px;
        x1 += px;
        y0 -= py;
        y1 += py;
        final double fx0 = x0, fx1 = x1, fy0 = y0, fy1 = y1;
        int pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
        java.util.function.DoubleUnaryOperator sx = v -> LEFT + (tx(v) - fx0) / (fx1 - fx0) * pw;
        java.util.function.DoubleUnaryOperator sy = v -> TOP + ph - (ty(v) - fy0) / (fy1 - fy0) * ph;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" "
                + "fill=\"white\"/>%n", W, H));
        b.append(text(W / 2.0 - RIGHT / 2.0, 22, title, "middle", 14));
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"black\"/>%n", LEFT, TOP, pw, ph));
        for (double[] t : ticks(x0, x1, logX)) {
            double x = LEFT + (t[0] - x0) / (x1 - x0) * pw;
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    x, TOP, x, TOP + ph));
            b.append(text(x, TOP + ph + 16, label(t[1]), "middle", 11));
        }
        for (double[] t : ticks(y0, y1, logY)) {
            double y = TOP + ph - (t[0] - y0) / (y1 - y0) * ph;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, y, LEFT + pw, y));
            b.append(text(LEFT - 6, y + 4, label(t[1]), "end", 11));
        }
        for (double[] r : references) {
            if (ok(r[0], logY)) {
                double y = sy.applyAsDouble(r[0]);
                b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                        + "stroke=\"black\" stroke-dasharray=\"2,3\"/>%n", LEFT, y, LEFT + pw, y));
            }
        }
        b.append(text(LEFT + pw / 2.0, H - 18, xLabel, "middle", 12));
        b.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\" "
                + "transform=\"rotate(-90 18 %.1f)\">%s</text>%n", TOP + ph / 2.0, TOP + ph / 2.0, escape(yLabel)));
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String color = COLORS[k % COLORS.length];
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < s.x.length; i++) {
                if (!ok(s.x[i], logX) || !ok(s.y[i], logY)) {
                    continue;
                }
                double x = sx.applyAsDouble(s.x[i]), y = sy.applyAsDouble(s.y[i]);
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
                b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>%n", x, y,
                        color));
            }
            if (s.line && path.length() > 0) {
                b.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"%s/>%n",
                        path, color, s.dash == null ? "" : " stroke-dasharray=\"" + s.dash + "\""));
            }
            double ly = TOP + 10 + 18 * k;
            b.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n",
                    LEFT + pw + 14, ly, color));
            b.append(text(LEFT + pw + 24, ly + 4, s.name, "start", 11));
        }
        b.append("</svg>\n");
        Files.writeString(file, b);
    }

    /** Tick positions (transformed) and their values. */
    private static List<double[]> ticks(double lo, double hi, boolean log) {
        List<double[]> t = new ArrayList<>();
        if (log) {
            for (int e = (int) Math.floor(lo); e <= Math.ceil(hi); e++) {
                for (int m : new int[] { 1, 2, 5 }) {
                    double v = Math.log10(m * Math.pow(10, e));
                    if (v >= lo && v <= hi && (hi - lo < 3 || m == 1)) {
                        t.add(new double[] { v, m * Math.pow(10, e) });
                    }
                }
            }
            return t;
        }
        double step = Math.pow(10, Math.floor(Math.log10((hi - lo) / 5)));
        if ((hi - lo) / step > 10) {
            step *= 2;
        }
        if ((hi - lo) / step > 10) {
            step *= 2.5;
        }
        for (double v = Math.ceil(lo / step) * step; v <= hi; v += step) {
            t.add(new double[] { v, Math.abs(v) < step * 1e-6 ? 0 : v });
        }
        return t;
    }

    private static String label(double v) {
        if (v != 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-2)) {
            return String.format(Locale.ROOT, "%.0e", v);
        }
        String s = String.format(Locale.ROOT, "%.2f", v);
        return s.replaceAll("\\.?0+$", "");
    }

    private static String text(double x, double y, String s, String anchor, int size) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x, y, anchor, size, escape(s));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
