package org.slowdyn.app.report;

import java.util.Locale;

import org.slowdyn.kinetics.RelativeError;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** How reports write numbers: fixed digits, "n/a" for undefined values, thousands separators for large ones. */
public final class Format {
    private Format() {
    }

    /** value ± error with the digits given; "n/a" when the value is not finite. */
    public static String pm(double v, double err, int digits) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        return number(v, digits) + (Double.isFinite(err) ? " ± " + number(err, digits) : "");
    }

    /** A number with the digits given, grouped by thousands when it has no decimals. */
    public static String number(double v, int digits) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        return digits == 0 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%." + digits + "f",
                v);
    }

    /** (value - reference) / reference as a signed percentage. */
    public static String relative(double reference, double value) {
        return Double.isFinite(reference) && Double.isFinite(value) && reference != 0
                ? String.format(Locale.ROOT, "%+.1f%%", 100 * (value - reference) / reference) : "n/a";
    }

    /** The relative error with its propagated standard error. */
    public static String relative(double ref, double refErr, double gen, double genErr) {
        RelativeError e = RelativeError.of(ref, refErr, gen, genErr);
        if (!Double.isFinite(e.value())) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%+.1f%%", 100 * e.value())
                + (Double.isFinite(e.error()) ? String.format(Locale.ROOT, " ± %.1f%%", 100 * e.error()) : "");
    }

    /** A time in frames as a short plain number (no grouping), e.g. a frame interval. */
    public static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** JSON has no NaN: undefined values are written as null. */
    public static void put(ObjectNode node, String name, double v) {
        if (Double.isFinite(v)) {
            node.put(name, v);
        } else {
            node.putNull(name);
        }
    }

    /** reference, generated, their errors and the relative error of the generated value, as JSON fields. */
    public static void putComparison(ObjectNode node, double ref, double refErr, double gen, double genErr) {
        RelativeError e = RelativeError.of(ref, refErr, gen, genErr);
        put(node, "reference", ref);
        put(node, "referenceError", refErr);
        put(node, "generated", gen);
        put(node, "generatedError", genErr);
        put(node, "relativeError", e.value());
        put(node, "relativeErrorError", e.error());
    }
}
