package org.slowdyn.app.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * A chart of a report, drawn by JFreeChart and written as an inline SVG element by JFreeSVG: lines over x with
 * error bands, or bars per category with error bars. Points that are not finite are left out; a chart knows how many
 * points it draws, so a report can say when a plot would be empty.
 */
public final class Chart {
    /** Colours that stay distinguishable in print and for common colour-vision deficiencies (Okabe-Ito). */
    static final Color[] PALETTE = { new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
            new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442) };

    private static final java.util.concurrent.atomic.AtomicLong SVG_IDS = new java.util.concurrent.atomic.AtomicLong();

    private final JFreeChart chart;
    private final int points;

    private Chart(JFreeChart chart, int points) {
        this.chart = chart;
        this.points = points;
    }

    /**
     * One line: y over x with a symmetric error (NaN for none), dashed or not, in the palette's colour number
     * {@code colour} (negative: the line's position in the chart), so that lines of one thing can share a colour.
     */
    public record Line(String name, double[] x, double[] y, double[] error, boolean dashed, int colour) {
        public Line(String name, double[] x, double[] y, double[] error, boolean dashed) {
            this(name, x, y, error, dashed, -1);
        }

        public Line(String name, double[] x, double[] y, double[] error) {
            this(name, x, y, error, false);
        }
    }

    /** Lines over a shared x axis, each with its error band (value +- error). */
    public static Chart lines(String title, String xLabel, String yLabel, boolean logX, boolean logY,
            List<Line> lines) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        int points = 0;
        for (Line l : lines) {
            YIntervalSeries s = new YIntervalSeries(l.name());
            for (int i = 0; i < l.x().length; i++) {
                double y = l.y()[i], e = l.error() == null ? Double.NaN : l.error()[i];
                if (Double.isFinite(l.x()[i]) && Double.isFinite(y) && (!logX || l.x()[i] > 0) && (!logY || y > 0)) {
                    double lo = Double.isFinite(e) ? y - e : y, hi = Double.isFinite(e) ? y + e : y;
                    if (logY && lo <= 0) {
                        lo = y;
                    }
                    s.add(l.x()[i], y, lo, hi);
                    points++;
                }
            }
            data.addSeries(s);
        }
        JFreeChart c = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true,
                false, false);
        XYPlot plot = c.getXYPlot();
        int longest = lines.stream().mapToInt(l -> l.x().length).max().orElse(0);
        DeviationRenderer r = new DeviationRenderer(true, longest <= 30); // markers only where points are few
        for (int i = 0; i < lines.size(); i++) {
            int n = lines.get(i).colour() >= 0 ? lines.get(i).colour() : i;
            Color colour = PALETTE[n % PALETTE.length];
            r.setSeriesPaint(i, colour);
            r.setSeriesFillPaint(i, colour);
            r.setSeriesStroke(i, lines.get(i).dashed()
                    ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] { 5f, 4f },
                            0f)
                    : new BasicStroke(1.8f));
        }
        r.setAlpha(0.18f);
        plot.setRenderer(r);
        if (logX) {
            plot.setDomainAxis(logAxis(xLabel));
        }
        if (logY) {
            plot.setRangeAxis(logAxis(yLabel));
        } else {
            ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        }
        style(c);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        return new Chart(c, points);
    }

    /** One group of bars: a value with its error per category. */
    public record Bars(String name, List<String> categories, double[] values, double[] errors) {
    }

    /** Bars per category, one bar per group side by side, with error bars (value +- error). */
    public static Chart bars(String title, String categoryLabel, String valueLabel, List<Bars> groups) {
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        int points = 0;
        for (Bars g : groups) {
            for (int i = 0; i < g.categories().size(); i++) {
                double v = g.values()[i], e = g.errors() == null ? Double.NaN : g.errors()[i];
                if (Double.isFinite(v)) {
                    data.add(v, Double.isFinite(e) ? e : 0, g.name(), g.categories().get(i));
                    points++;
                } else {
                    data.add(null, null, g.name(), g.categories().get(i));
                }
            }
        }
        JFreeChart c = ChartFactory.createBarChart(title, categoryLabel, valueLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        CategoryPlot plot = c.getCategoryPlot();
        StatisticalBarRenderer r = new StatisticalBarRenderer();
        for (int i = 0; i < groups.size(); i++) {
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        r.setErrorIndicatorPaint(Color.DARK_GRAY);
        r.setDrawBarOutline(false);
        r.setShadowVisible(false);
        r.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
        r.setItemMargin(0.05);
        plot.setRenderer(r);
        CategoryAxis axis = plot.getDomainAxis();
        int longest = groups.stream().flatMap(g -> g.categories().stream()).mapToInt(String::length).max().orElse(0);
        if (groups.isEmpty() ? false : groups.get(0).categories().size() * Math.max(longest, 4) > 90) {
            axis.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        style(c);
        return new Chart(c, points);
    }

    private static ValueAxis logAxis(String label) {
        return new DecadeAxis(label);
    }

    /**
     * A base-10 log axis labelled in plain numbers: ticks at 1, 2 and 5 times the powers of ten when the axis spans
     * at most three decades (with one tick per decade, an axis from 1 to 5 had a single label), one tick per decade
     * beyond that. An axis between two of those values gets four ticks spaced evenly in log, to two significant
     * digits.
     */
    static final class DecadeAxis extends LogAxis {
        private static final long serialVersionUID = 1L;
        private final DecimalFormat format = new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(
                Locale.ROOT));

        DecadeAxis(String label) {
            super(label);
            setBase(10);
            setSmallestValue(1e-12);
            setNumberFormatOverride(format);
        }

        /** The tick values between lo and hi (both > 0). */
        static double[] tickValues(double lo, double hi) {
            boolean fine = Math.log10(hi / lo) <= 3;
            List<Double> values = new ArrayList<>();
            for (int k = (int) Math.floor(Math.log10(lo)); k <= (int) Math.ceil(Math.log10(hi)); k++) {
                for (double m : fine ? new double[] { 1, 2, 5 } : new double[] { 1 }) {
                    double v = m * Math.pow(10, k);
                    if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) {
                        values.add(v);
                    }
                }
            }
            if (values.size() < 2) {
                values.clear();
                for (int i = 0; i < 4; i++) {
                    double v = lo * Math.pow(hi / lo, (i + 0.5) / 4);
                    double scale = Math.pow(10, Math.floor(Math.log10(v)) - 1);
                    values.add(Math.round(v / scale) * scale);
                }
            }
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        }

        @Override
        @SuppressWarnings({ "rawtypes", "unchecked" })
        public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
            TextAnchor anchor = edge == RectangleEdge.LEFT ? TextAnchor.CENTER_RIGHT
                    : edge == RectangleEdge.RIGHT ? TextAnchor.CENTER_LEFT
                            : edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER;
            List ticks = new ArrayList<>();
            for (double v : tickValues(getLowerBound(), getUpperBound())) {
                ticks.add(new NumberTick(TickType.MAJOR, v, format.format(v), anchor, TextAnchor.CENTER, 0));
            }
            return ticks;
        }
    }

    private static void style(JFreeChart c) {
        c.setBackgroundPaint(Color.WHITE);
        c.getPlot().setBackgroundPaint(Color.WHITE);
        c.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        c.setAntiAlias(true);
    }

    /**
     * Shows y only from lo to hi (a line beyond it leaves the plot at its edge) and says so in a subtitle under the
     * title, e.g. which value lies above the axis.
     */
    public Chart yRange(double lo, double hi, String note) {
        rangeAxis().setRange(lo, hi);
        TextTitle subtitle = new TextTitle(note, new Font(Font.SANS_SERIF, Font.ITALIC, 11));
        subtitle.setPaint(Color.DARK_GRAY);
        chart.addSubtitle(0, subtitle);
        return this;
    }

    /** The lower and upper bound of the y axis (a test reads them). */
    public double[] yBounds() {
        return new double[] { rangeAxis().getLowerBound(), rangeAxis().getUpperBound() };
    }

    private ValueAxis rangeAxis() {
        return chart.getPlot() instanceof XYPlot p ? p.getRangeAxis() : ((CategoryPlot) chart.getPlot()).getRangeAxis();
    }

    /** The number of points (or bars) drawn. */
    public int points() {
        return points;
    }

    /** The chart as one {@code <svg>} element, for inline use in HTML. */
    public String svg(int width, int height) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        // charts share one HTML page: their clip paths and gradients need ids of their own
        g.setDefsKeyPrefix("c" + SVG_IDS.incrementAndGet() + "-");
        // a tenth of a pixel is finer than any screen; full double precision only makes the file large
        g.setGeomDoubleConverter(d -> Double.toString(Math.rint(d * 10) / 10));
        g.setTransformDoubleConverter(d -> Double.toString(Math.rint(d * 1000) / 1000));
        chart.draw(g, new Rectangle(width, height));
        return g.getSVGElement();
    }

    /** The names of the data series, in order (a test reads them from the legend). */
    public List<String> seriesNames() {
        List<String> names = new ArrayList<>();
        if (chart.getPlot() instanceof XYPlot p) {
            for (int i = 0; i < p.getDataset().getSeriesCount(); i++) {
                names.add(p.getDataset().getSeriesKey(i).toString());
            }
        } else if (chart.getPlot() instanceof CategoryPlot p) {
            p.getDataset().getRowKeys().forEach(k -> names.add(k.toString()));
        }
        return names;
    }
}
