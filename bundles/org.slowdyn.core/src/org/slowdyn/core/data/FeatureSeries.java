package org.slowdyn.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.slowdyn.core.ConfigurationException;

/**
 * One trajectory's features: frames x features, stored row-major, with a label per column, the time between frames
 * and where the data came from. Immutable: the constructor copies the array and accessors never expose it.
 *
 * <p>Time is in {@link #timeUnit()}: "ps" for MD data; the built-in model potential uses reduced units.
 */
public final class FeatureSeries {
    private final double[] values;
    private final int frames;
    private final List<String> labels;
    private final double frameInterval;
    private final String timeUnit;
    private final String source;

    /**
     * @param values        row-major frames x labels.size() values
     * @param labels        one label per feature column
     * @param frameInterval time between consecutive frames, in {@code timeUnit}
     * @param timeUnit      "ps" for MD data
     * @param source        file name or a description of where the data came from
     */
    public FeatureSeries(double[] values, List<String> labels, double frameInterval, String timeUnit, String source) {
        this(values.clone(), List.copyOf(labels), frameInterval, timeUnit, source, true);
    }

    private FeatureSeries(double[] values, List<String> labels, double frameInterval, String timeUnit, String source,
            boolean owned) {
        if (labels.isEmpty()) {
            throw new IllegalArgumentException(source + ": a feature series needs at least one feature");
        }
        if (values.length % labels.size() != 0) {
            throw new IllegalArgumentException(source + ": " + values.length + " values do not fill whole frames of "
                    + labels.size() + " features");
        }
        if (!(frameInterval > 0) || Double.isInfinite(frameInterval)) {
            throw new IllegalArgumentException(source + ": frame interval must be positive, got " + frameInterval);
        }
        this.values = values;
        this.labels = labels;
        this.frames = values.length / labels.size();
        this.frameInterval = frameInterval;
        this.timeUnit = Objects.requireNonNull(timeUnit);
        this.source = Objects.requireNonNull(source);
    }

    /** Wraps an array the caller hands over and will not touch again (no copy). */
    public static FeatureSeries wrap(double[] values, List<String> labels, double frameInterval, String timeUnit,
            String source) {
        return new FeatureSeries(values, List.copyOf(labels), frameInterval, timeUnit, source, true);
    }

    public int frames() {
        return frames;
    }

    public int features() {
        return labels.size();
    }

    public List<String> labels() {
        return labels;
    }

    public double frameInterval() {
        return frameInterval;
    }

    public String timeUnit() {
        return timeUnit;
    }

    public String source() {
        return source;
    }

    public double get(int frame, int feature) {
        return values[frame * labels.size() + feature];
    }

    /** Copies one frame into {@code out} (length at least {@link #features()}). */
    public void frame(int frame, double[] out) {
        System.arraycopy(values, frame * labels.size(), out, 0, labels.size());
    }

    public double[] column(int feature) {
        double[] c = new double[frames];
        int d = labels.size();
        for (int i = 0; i < frames; i++) {
            c[i] = values[i * d + feature];
        }
        return c;
    }

    /** A copy of all values, row-major. */
    public double[] toArray() {
        return values.clone();
    }

    /** Index of the column with this label, or -1. */
    public int indexOf(String label) {
        return labels.indexOf(label);
    }

    /**
     * Indices of the columns with these labels, in order.
     *
     * @param context who asks, for the message (e.g. a stage id)
     * @throws ConfigurationException naming the missing label and listing the labels there are
     */
    public int[] indicesOf(List<String> wanted, String context) {
        int[] idx = new int[wanted.size()];
        for (int j = 0; j < idx.length; j++) {
            idx[j] = labels.indexOf(wanted.get(j));
            if (idx[j] < 0) {
                throw new ConfigurationException(context + ": " + source + " has no feature '" + wanted.get(j)
                        + "' (features: " + String.join(", ", labels) + ")");
            }
        }
        return idx;
    }

    /** A new series with only the given columns, in the given order. */
    public FeatureSeries selectColumns(int[] columns) {
        int d = labels.size();
        double[] out = new double[frames * columns.length];
        List<String> newLabels = new ArrayList<>(columns.length);
        for (int c : columns) {
            Objects.checkIndex(c, d);
            newLabels.add(labels.get(c));
        }
        for (int i = 0; i < frames; i++) {
            for (int j = 0; j < columns.length; j++) {
                out[i * columns.length + j] = values[i * d + columns[j]];
            }
        }
        return new FeatureSeries(out, List.copyOf(newLabels), frameInterval, timeUnit, source, true);
    }

    /**
     * Every {@code stride}-th frame starting at {@code offset}: frames offset, offset+stride, ... The frame interval
     * grows by the stride.
     */
    public FeatureSeries stride(int stride, int offset) {
        if (stride < 1 || offset < 0 || offset >= Math.max(stride, 1)) {
            throw new IllegalArgumentException("stride must be >= 1 and 0 <= offset < stride, got stride " + stride
                    + ", offset " + offset);
        }
        if (stride == 1) {
            return this;
        }
        int d = labels.size();
        int n = frames > offset ? (frames - offset + stride - 1) / stride : 0;
        double[] out = new double[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(values, (offset + i * stride) * d, out, i * d, d);
        }
        return new FeatureSeries(out, labels, frameInterval * stride, timeUnit, source + " [stride " + stride
                + " offset " + offset + "]", true);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FeatureSeries)) {
            return false;
        }
        FeatureSeries f = (FeatureSeries) o;
        return f.labels.equals(labels) && f.frameInterval == frameInterval && f.timeUnit.equals(timeUnit)
                && Arrays.equals(f.values, values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(labels, frameInterval, Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "FeatureSeries[" + source + ", " + frames + " frames x " + labels + ", every " + frameInterval + " "
                + timeUnit + "]";
    }
}
